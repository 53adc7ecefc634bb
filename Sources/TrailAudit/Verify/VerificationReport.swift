/// One thing wrong with an archive, named by entry and line.
public struct VerificationFinding: Sendable, Hashable {
    /// The kinds of check.
    public enum Check: String, Sendable, Hashable, CaseIterable {
        /// Entry paths, links, devices, duplicates, size and count limits.
        case safety
        /// The BagIt structure: `bagit.txt`, `bag-info.txt`, manifests present and well-formed.
        case structure
        /// Payload and tag checksums.
        case checksums
        /// `Payload-Oxum` and PromptTrail's counts in `bag-info.txt`.
        case oxum = "payload-oxum"
        /// The Ed25519 signature over the tag manifest.
        case signature
        /// Records against the schemas the archive carries, and their own hashes.
        case records
        /// `lineage.jsonl` against the traces and prompt versions.
        case lineage
        /// `completeness.json` against what the archive holds: nothing missing, nothing outside the window.
        case completeness
    }

    /// Which check failed.
    public var check: Check
    /// The entry, e.g. `data/traces/proj_x/2026-05-20.jsonl`, or `nil` for the archive as a whole.
    public var entry: String?
    /// The 1-based line in the entry, if the problem is in one record.
    public var line: Int?
    /// What differs.
    public var message: String

    /// Creates a finding.
    ///
    /// - Parameters:
    ///   - check: the check.
    ///   - entry: the entry.
    ///   - line: the line.
    ///   - message: what differs.
    public init(_ check: Check, entry: String? = nil, line: Int? = nil, message: String) {
        self.check = check
        self.entry = entry
        self.line = line
        self.message = message
    }

    /// `entry:line: message`.
    public var location: String {
        switch (entry, line) {
        case (let entry?, let line?): "\(entry):\(line)"
        case (let entry?, nil): entry
        default: "archive"
        }
    }
}

/// The outcome of verifying one archive.
public struct VerificationReport: Sendable {
    /// The most findings kept; ``findingCount`` counts them all.
    public static let findingLimit = 1000

    /// The archive.
    public var archive: String
    /// The findings kept (at most ``findingLimit``).
    public private(set) var findings: [VerificationFinding] = []
    /// All findings.
    public private(set) var findingCount = 0
    /// Entries read.
    public var entries = 0
    /// Payload files and bytes.
    public var payload = PayloadOxum(octets: 0, streams: 0)
    /// What was found in the records.
    public var tally = ArchiveTally()
    /// The signature's state in words (`not signed`, `valid (key …)`, …).
    public var signature = "not signed"
    /// Which checks ran (a refused archive stops after `safety`).
    public var checksRun: [VerificationFinding.Check] = []
    /// What the auditor's page shows of the archive, gathered while verifying.
    public var page = AuditPageData()
    /// The page's title.
    public var pageTitle = "audit archive"
    /// What the archive claims to hold in full, when it carries a readable `completeness.json`.
    public var completeness: CompletenessStatement?

    /// The auditor's page with this report's verdict at the top (`trail-verify --report`).
    public var html: String {
        let shown = findings.prefix(100).map { "[\($0.check.rawValue)] \($0.location): \($0.message)" }
        let verdict = AuditPage.Verdict(
            intact: isIntact,
            checks: checksRun.map(\.rawValue),
            findings: Array(shown),
            findingCount: findingCount,
            signature: signature
        )
        return AuditPage.html(page, title: pageTitle, verdict: verdict)
    }

    /// An empty report for `archive`.
    ///
    /// - Parameter archive: the archive path.
    public init(archive: String) {
        self.archive = archive
    }

    /// Whether nothing was found.
    public var isIntact: Bool { findingCount == 0 }

    /// Whether a finding of `check` was recorded.
    public func hasFinding(_ check: VerificationFinding.Check) -> Bool {
        findings.contains { $0.check == check }
    }

    /// Adds a finding.
    ///
    /// - Parameter finding: the finding.
    public mutating func add(_ finding: VerificationFinding) {
        findingCount += 1
        if findings.count < Self.findingLimit { findings.append(finding) }
    }
}
