public import TrailJSON

/// What the auditor's page (`report.html`) shows, gathered record by record while an archive is built or
/// verified. Memory grows with projects, days and prompt versions, never with the number of traces: lists
/// are capped at ``listLimit`` with their totals kept.
public struct AuditPageData: Sendable {
    /// The most items of any list on the page (unlinked and dangling traces, quarantined records).
    public static let listLimit = 50

    /// One project's counts.
    public struct Project: Sendable {
        /// Prompt versions by id.
        public var versions: [String: PromptVersionFacts] = [:]
        /// Traces per UTC day and per version key (a version id, ``unlinkedKey`` or ``danglingKey``).
        public var perDay: [String: [String: Int]] = [:]
        /// Review outcomes per version key: status (``reviewStatuses``, or `none`) → count.
        public var reviews: [String: [String: Int]] = [:]
        /// Lineage counts.
        public var linked = 0
        public var unlinked = 0
        public var dangling = 0
        public var neverObserved = 0
        /// The first unlinked traces.
        public var unlinkedSample: [String] = []
        /// The first dangling traces with the version each names.
        public var danglingSample: [(trace: String, version: String)] = []
        /// The first traces naming a version no pull observed, with that version.
        public var neverObservedSample: [(trace: String, version: String)] = []
        /// The activation history, oldest first (the first ``listLimit`` lines and the last ones, up to
        /// ``listLimit`` in all), and how many lines it has.
        public var activations: [ActivationFacts] = []
        public var activationCount = 0
        /// A linked trace to walk through as a provenance example.
        public var example: (trace: String, outputSHA256: String, version: String)?
    }

    /// The review outcomes Tuor documents; any other status (or none) is counted as `none`.
    public static let reviewStatuses: Set<String> = ["approved", "corrected", "rejected", "pending"]

    /// The version key of traces that name no prompt version.
    public static let unlinkedKey = "(unlinked)"
    /// The version key of traces that name a version the archive does not hold.
    public static let danglingKey = "(dangling)"
    /// The version key of traces that name a version no pull observed.
    public static let neverObservedKey = "(never observed)"

    /// `bag-info.txt` fields shown at the top, in order.
    public var info: [(label: String, value: String)]
    /// Projects by id.
    public var projects: [String: Project] = [:]
    /// Quarantined records: total and the first ones with their reasons.
    public var quarantined = 0
    public var quarantineSample: [(file: String, line: Int, reasons: String)] = []

    /// Starts empty.
    ///
    /// - Parameter info: the bag metadata to show.
    public init(info: [(label: String, value: String)] = []) {
        self.info = info
    }

    /// The same data showing the fields of `info` (all but the embedded key, which the fingerprint names).
    public func with(info: BagInfo) -> AuditPageData {
        var copy = self
        copy.info = info.fields.filter { $0.label != "PromptTrail-Signing-Key" }
        return copy
    }

    /// The page's title: the projects the archive holds, from `bag-info.txt`.
    public static func title(_ info: BagInfo?) -> String {
        let projects = info?.values("PromptTrail-Project-ID") ?? []
        return projects.isEmpty ? "audit archive" : "projects " + projects.joined(separator: ", ")
    }

    /// The UTC day of a trace file, `…/<YYYY-MM-DD>.jsonl`.
    public static func day(ofTraceFile path: String) -> String {
        let name = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[path.utf8.index(after: $0)...] } ?? path[...]
        return name.hasSuffix(".jsonl") ? String(name.dropLast(6)) : String(name)
    }

    /// Adds a prompt version.
    public mutating func add(_ version: PromptVersionFacts) {
        projects[version.projectID, default: Project()].versions[version.promptVersionID] = version
    }

    /// Adds a line of the activation history. The page keeps the first half and the latest half of
    /// ``listLimit`` lines, so memory does not grow with the history.
    public mutating func add(_ activation: ActivationFacts) {
        Self.add(activation, to: &projects[activation.projectID, default: Project()])
    }

    // The two `add`s change a project in place: a copy taken out of the dictionary and stored back copied its
    // per-day and review tables on every trace (copy-on-write), the archive's largest cost after parsing.
    private static func add(_ activation: ActivationFacts, to project: inout Project) {
        project.activationCount += 1
        if project.activations.count == listLimit { project.activations.remove(at: listLimit / 2) }
        project.activations.append(activation)
    }

    /// Adds a trace of `day` (`YYYY-MM-DD`, the day of its file) with the status its lineage resolved to.
    public mutating func add(_ trace: TraceFacts, day: String, status: LineageRecord.Status) {
        Self.add(trace, day: day, status: status, to: &projects[trace.projectID, default: Project()])
    }

    private static func add(_ trace: TraceFacts, day: String, status: LineageRecord.Status, to project: inout Project) {
        let key: String
        switch status {
        case .linked:
            key = trace.promptVersionID ?? Self.unlinkedKey
            if project.example == nil, let version = trace.promptVersionID {
                project.example = (trace.traceID, trace.outputSHA256, version)
            }
        case .unlinked:
            key = Self.unlinkedKey
            if project.unlinkedSample.count < Self.listLimit { project.unlinkedSample.append(trace.traceID) }
        case .dangling:
            key = Self.danglingKey
            if project.danglingSample.count < Self.listLimit {
                project.danglingSample.append((trace.traceID, trace.promptVersionID ?? "?"))
            }
        case .neverObserved:
            key = Self.neverObservedKey
            if project.neverObservedSample.count < Self.listLimit {
                project.neverObservedSample.append((trace.traceID, trace.promptVersionID ?? "?"))
            }
        }
        count(key: key, reviewStatus: trace.reviewStatus, day: day, status: status, traces: 1, in: &project)
    }

    /// Adds `count` linked traces of one project, day, version and review status (`nil` for none), counted
    /// together (``TraceCountBatch``); `example` is the first of them, the project's example when it has none yet.
    mutating func addLinked(
        projectID: String,
        promptVersionID: String,
        reviewStatus: String?,
        day: String,
        count: Int,
        example: (trace: String, outputSHA256: String)
    ) {
        Self.addLinked(
            promptVersionID: promptVersionID,
            reviewStatus: reviewStatus,
            day: day,
            count: count,
            example: example,
            to: &projects[projectID, default: Project()]
        )
    }

    private static func addLinked(
        promptVersionID: String,
        reviewStatus: String?,
        day: String,
        count: Int,
        example: (trace: String, outputSHA256: String),
        to project: inout Project
    ) {
        if project.example == nil { project.example = (example.trace, example.outputSHA256, promptVersionID) }
        Self.count(
            key: promptVersionID,
            reviewStatus: reviewStatus,
            day: day,
            status: .linked,
            traces: count,
            in: &project
        )
    }

    /// Counts `count` traces of `day` with version key `key`, review status `reviewStatus` and lineage status
    /// `status` in `project`.
    private static func count(
        key: String,
        reviewStatus: String?,
        day: String,
        status: LineageRecord.Status,
        traces count: Int,
        in project: inout Project
    ) {
        switch status {
        case .linked: project.linked += count
        case .unlinked: project.unlinked += count
        case .dangling: project.dangling += count
        case .neverObserved: project.neverObserved += count
        }
        project.perDay[day, default: [:]][key, default: 0] += count
        let status = reviewStatus.flatMap { Self.reviewStatuses.contains($0) ? $0 : nil } ?? "none"
        project.reviews[key, default: [:]][status, default: 0] += count
    }

    /// Adds the quarantined record on `line` of `file` (a `data/quarantine/` entry), with the messages of its
    /// `errors` as the reasons.
    public mutating func addQuarantined(file: String, line: Int, record: JSONValue?) {
        addQuarantined(file: file, line: line, reasons: Self.reasons(record))
    }

    /// The messages of a quarantine record's `errors`, joined.
    static func reasons(_ record: JSONValue?) -> String {
        guard let record else { return "the line is not JSON" }
        let messages = record["errors"]?.arrayValue?.compactMap { error -> String? in
            guard let message = error["message"]?.stringValue else { return nil }
            let location = error["instanceLocation"]?.stringValue ?? ""
            return location.isEmpty ? message : "\(location): \(message)"
        }
        return messages.map { $0.joined(separator: "; ") } ?? "no errors recorded"
    }

    /// Adds a quarantined record.
    public mutating func addQuarantined(file: String, line: Int, reasons: String) {
        quarantined += 1
        if quarantineSample.count < Self.listLimit { quarantineSample.append((file, line, reasons)) }
    }
}
