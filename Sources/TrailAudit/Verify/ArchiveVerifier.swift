import Crypto
import Foundation
public import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema

/// Verifies an audit archive while streaming it, without writing anything to disk.
///
/// 1. *Tag pass.* Reads the tag files, which PromptTrail writes first (any order is accepted; a foreign
///    order costs a full extra read): `bagit.txt`, `bag-info.txt`, the manifests, the signature and
///    `schemas/`, which are loaded into the record validator.
/// 2. *Main pass.* Hashes every entry; parses and validates every record against the carried schemas and
///    recomputes its hashes; indexes prompt versions; joins every trace with its `lineage.jsonl` line
///    through a second reader positioned on `data/lineage.jsonl` (both are in trace order), so nothing
///    grows with the number of traces.
/// 3. Compares checksums, `Payload-Oxum`, PromptTrail's counts and the signature.
///
/// Unsafe entries (``SafeArchiveReader``) stop verification with a `safety` finding.
public final class ArchiveVerifier {
    private let file: ArchiveFile
    private var path: String { file.path }
    private let options: VerificationOptions
    private var report: VerificationReport
    private var computed: [String: (digest: String, size: Int64)] = [:]
    private var resolver = LineageResolver()
    private var schemas: AuditSchemas?
    private var cursor: LineageCursor?
    /// What `trail-verify --report` shows, gathered as the records are checked.
    private var page = AuditPageData()
    /// What the archive claims to hold in full, from `completeness.json`.
    private var completeness: CompletenessStatement?

    /// Verifies the archive at `path`.
    ///
    /// - Parameters:
    ///   - path: the archive.
    ///   - options: key, limits.
    /// - Returns: the report; ``VerificationReport/isIntact`` tells the verdict.
    /// - Throws: ``AuditError`` or ``ArchiveError`` when the archive cannot be read at all.
    public static func verify(
        _ path: String,
        options: VerificationOptions = VerificationOptions()
    ) throws -> VerificationReport {
        try verify(file: open(path), options: options).report
    }

    /// Verifies an opened archive; every pass reads that one file, so what a caller does next with `file`
    /// (extract, export) reads the bytes that were verified.
    ///
    /// - Parameters:
    ///   - file: the archive, opened once.
    ///   - options: key, limits.
    /// - Returns: the report and the digest of every entry that was verified.
    /// - Throws: ``AuditError`` or ``ArchiveError`` when the archive cannot be read at all.
    public static func verify(
        file: ArchiveFile,
        options: VerificationOptions = VerificationOptions()
    ) throws -> VerifiedArchive {
        let verifier = ArchiveVerifier(file: file, options: options)
        let report = try verifier.run()
        var digests: [String: String] = [:]
        for (name, computed) in verifier.computed { digests[name] = computed.digest }
        return VerifiedArchive(file: file, report: report, digests: digests)
    }

    /// Opens `path` once for every pass that follows.
    ///
    /// - Parameter path: the archive.
    /// - Returns: the opened file.
    /// - Throws: ``AuditError/archive(_:)`` when it cannot be opened or is not a regular file.
    public static func open(_ path: String) throws -> ArchiveFile {
        do { return try ArchiveFile(path: path) } catch let error as ArchiveError { throw AuditError.archive(error) }
    }

    private init(file: ArchiveFile, options: VerificationOptions) {
        self.file = file
        self.options = options
        report = VerificationReport(archive: file.path)
    }

    private func run() throws -> VerificationReport {
        var info: BagInfo?
        do {
            report.checksRun.append(.safety)
            let tags = try CarriedTags(file: file, limits: options.limits)
            report.checksRun.append(.structure)
            var findings: [VerificationFinding] = []
            let (manifest, tagManifest, parsedInfo) = tags.structure(findings: &findings)
            info = parsedInfo
            // The format version bag-info.txt declares (1 when it declares none).
            let formatVersion = info?.value("PromptTrail-Archive-Format-Version").flatMap(Int.init) ?? 1
            report.checksRun.append(.signature)
            let signature = SignatureCheck(tags: tags, info: info, options: options)
            findings += signature.findings
            report.signature = signature.signature
            schemas = options.schemas ?? tags.schemas(formatVersion: formatVersion, findings: &findings)
            completeness = CompletenessCheck.read(
                tags: tags,
                formatVersion: formatVersion,
                schemas: schemas,
                findings: &findings
            )
            for finding in findings { report.add(finding) }
            report.checksRun.append(contentsOf: [.records, .lineage])
            try mainPass()
            report.checksRun.append(contentsOf: [.checksums, .oxum])
            findings = ManifestComparison.checksums(manifest: manifest, tagManifest: tagManifest, computed: computed)
            if let info {
                findings += ManifestComparison.counts(info: info, payload: report.payload, tally: report.tally)
            }
            if let completeness {
                report.checksRun.append(.completeness)
                findings += CompletenessCheck.compare(
                    completeness,
                    with: page,
                    manifestDigest: computed[BagLayout.manifest]?.digest
                )
            }
            for finding in findings { report.add(finding) }
        } catch let error as ArchiveError {
            switch error {
            case .unsafeEntry(let entry, let reason):
                report.add(VerificationFinding(.safety, entry: entry, message: "refused: \(reason)"))
            case .limitExceeded(_, let reason):
                report.add(VerificationFinding(.safety, message: "refused: \(reason)"))
            default:
                throw AuditError.archive(error)
            }
        }
        report.page = info.map { page.with(info: $0) } ?? page
        report.pageTitle = AuditPageData.title(info)
        report.completeness = completeness
        return report
    }

    // MARK: Main pass

    private func mainPass() throws {
        var checkedRecords = 0
        var reportedBlock = 0
        let reader = try SafeArchiveReader(file: file, limits: options.limits)
        defer { reader.close() }
        while let entry = try reader.nextEntry() {
            report.entries += 1
            try Task.checkCancellation()
            var hasher = SHA256()
            var size: Int64 = 0
            let observe = { (chunk: UnsafeRawBufferPointer) in
                hasher.update(bufferPointer: chunk)
                size += Int64(chunk.count)
            }
            let kind = RecordKind.of(payloadPath: entry.path)
            options.progress?(AuditProgress(phase: .verifying, path: entry.path, records: checkedRecords))
            if kind == .workspace || kind == .state {
                let bytes = try reader.readData(limit: 64 << 20)
                bytes.withUnsafeBytes { observe($0) }
                let checker = RecordChecker(kind: kind!, validator: schemas?.validator)
                let line = checker.check(NDJSONLine(number: 1, bytes: bytes))
                try record(kind!, entry: entry.path, day: "", checked: line)
            } else if let kind, kind != .lineage {
                let lines = EntryLineReader(reader, observe: observe)
                if kind == .trace, cursor == nil {
                    cursor = try LineageCursor(file: file, limits: options.limits, jobs: options.jobs)
                }
                let checker = RecordChecker(kind: kind, validator: schemas?.validator)
                let day = kind == .trace ? AuditPageData.day(ofTraceFile: entry.path) : ""
                do {
                    try OrderedParallelMap.run(
                        workers: options.jobs,
                        produce: { () -> [NDJSONLine]? in
                            let batch = try lines.nextBatch(maxBytes: 256 << 10, maxLines: 1024)
                            return batch.isEmpty ? nil : batch
                        },
                        transform: { batch in checker.check(batch) },
                        consume: { checked in
                            for line in checked { try record(kind, entry: entry.path, day: day, checked: line) }
                            checkedRecords += checked.count
                            if let progress = options.progress, checkedRecords / 4096 != reportedBlock {
                                reportedBlock = checkedRecords / 4096
                                progress(AuditProgress(phase: .verifying, path: entry.path, records: checkedRecords))
                            }
                        }
                    )
                } catch AuditError.lineTooLong(_, let name, let line, let limit) {
                    // The rest of the entry is still hashed, so its checksum is reported as usual.
                    report.add(
                        VerificationFinding(
                            .records,
                            entry: name,
                            line: line,
                            message: "longer than \(limit) bytes; the rest of the entry was not checked"
                        )
                    )
                    try lines.drain()
                }
            } else {
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                    if count == 0 { break }
                    chunk.withUnsafeBytes { observe(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                }
            }
            computed[entry.path] = (Hex.string(hasher.finalize()), size)
            if entry.path.hasPrefix("data/") {
                report.payload.octets += size
                report.payload.streams += 1
            }
        }
        if cursor == nil, computed[BagLayout.lineage] != nil {
            cursor = try LineageCursor(file: file, limits: options.limits, jobs: options.jobs)
        }
        while let extra = try cursor?.next(schemas: schemas) {
            reportLineageOnly(extra)
        }
        if computed[BagLayout.lineage] == nil, report.tally.traces > 0 {
            report.add(VerificationFinding(.lineage, entry: BagLayout.lineage, message: "missing"))
        }
        for finding in cursor?.findings ?? [] { report.add(finding) }
    }

    /// Reports what ``RecordChecker`` found on one line, in file order, and indexes, counts and joins the
    /// record with its lineage line; `day` is the UTC day of the entry, for a trace file.
    private func record(_ kind: RecordKind, entry: String, day: String, checked: CheckedRecord) throws {
        let line = checked.number
        if kind == .quarantine, !checked.isBlank {
            page.addQuarantined(file: entry, line: line, reasons: checked.quarantineReasons ?? "the line is not JSON")
        }
        if checked.isBlank {
            report.add(VerificationFinding(.records, entry: entry, line: line, message: "blank line"))
            return
        }
        if let parseError = checked.parseError {
            report.add(VerificationFinding(.records, entry: entry, line: line, message: "not JSON: \(parseError)"))
            if kind == .trace { try skipLineage(entry: entry, line: line) }
            return
        }
        for problem in checked.schemaProblems {
            report.add(
                VerificationFinding(
                    .records,
                    entry: entry,
                    line: line,
                    message: "\(problem) (\(kind.rawValue) schema \(problem.keywordLocation))"
                )
            )
        }
        for problem in checked.recordProblems {
            report.add(VerificationFinding(.records, entry: entry, line: line, message: problem.description))
        }
        switch kind {
        case .promptVersion:
            if let facts = checked.promptVersion {
                page.add(facts)
                resolver.add(facts.reference)
                report.tally.promptVersions += 1
            }
        case .activation:
            if let facts = checked.activation {
                resolver.observe(projectID: facts.projectID, promptVersionID: facts.promptVersionID)
                page.add(facts)
                report.tally.activations += 1
            }
        case .trace:
            if let facts = checked.trace {
                let resolution = resolver.resolve(projectID: facts.projectID, promptVersionID: facts.promptVersionID)
                let expected = LineageRecord(trace: facts, resolution: resolution, file: entry, line: line)
                report.tally.noteTrace(expected, createdAt: facts.createdAt)
                page.add(facts, day: day, status: expected.status)
                if let window = completeness?.projects[facts.projectID], let created = Timestamp(facts.createdAt),
                    !window.contains(created)
                {
                    report.add(
                        VerificationFinding(
                            .completeness,
                            entry: entry,
                            line: line,
                            message: "trace \(facts.traceID) was created at \(created), outside the window "
                                + "[\(window.since?.description ?? "start"), \(window.until?.description ?? "open")) "
                                + "that \(BagLayout.completeness) claims"
                        )
                    )
                }
                try join(expected)
            } else {
                try skipLineage(entry: entry, line: line)
            }
        default:
            break
        }
    }

    /// Matches the trace at `expected.file:expected.line` with the next lineage line.
    private func join(_ expected: LineageRecord) throws {
        guard let cursor else { return }
        while let actual = try cursor.peek(schemas: schemas) {
            if actual.record.map({ Self.precedes(($0.file, $0.line), (expected.file, expected.line)) }) ?? true {
                reportLineageOnly(try cursor.next(schemas: schemas)!)
                continue
            }
            guard let record = actual.record, record.file == expected.file, record.line == expected.line else { break }
            _ = try cursor.next(schemas: schemas)
            for (field, stated, recomputed) in Self.differences(record, expected) {
                report.add(
                    VerificationFinding(
                        .lineage,
                        entry: BagLayout.lineage,
                        line: actual.line,
                        message:
                            "\(field) is \(stated) but the trace at \(expected.file):\(expected.line) gives \(recomputed)"
                    )
                )
            }
            return
        }
        report.add(
            VerificationFinding(
                .lineage,
                entry: expected.file,
                line: expected.line,
                message: "trace \(expected.traceID) has no line in \(BagLayout.lineage)"
            )
        )
    }

    private func skipLineage(entry: String, line: Int) throws {
        guard let cursor, let next = try cursor.peek(schemas: schemas), let record = next.record,
            record.file == entry, record.line == line
        else { return }
        _ = try cursor.next(schemas: schemas)
    }

    private func reportLineageOnly(_ item: LineageCursor.Item) {
        guard let record = item.record else { return }
        report.add(
            VerificationFinding(
                .lineage,
                entry: BagLayout.lineage,
                line: item.line,
                message: "names trace \(record.traceID) at \(record.file):\(record.line), which holds no such trace"
            )
        )
    }

    static func precedes(_ lhs: (String, Int), _ rhs: (String, Int)) -> Bool {
        lhs.0 != rhs.0 ? BagLayout.precedes(lhs.0, rhs.0) : lhs.1 < rhs.1
    }

    static func differences(_ stated: LineageRecord, _ expected: LineageRecord) -> [(String, String, String)] {
        func show(_ value: (some CustomStringConvertible)?) -> String { value.map { "\($0)" } ?? "null" }
        var result: [(String, String, String)] = []
        if stated.traceID != expected.traceID { result.append(("trace_id", stated.traceID, expected.traceID)) }
        if stated.projectID != expected.projectID {
            result.append(("project_id", stated.projectID, expected.projectID))
        }
        if stated.promptVersionID != expected.promptVersionID {
            result.append(("prompt_version_id", show(stated.promptVersionID), show(expected.promptVersionID)))
        }
        if stated.status != expected.status {
            result.append(("status", stated.status.rawValue, expected.status.rawValue))
        }
        if stated.version != expected.version {
            result.append(("version", show(stated.version), show(expected.version)))
        }
        if stated.promptContentSHA256 != expected.promptContentSHA256 {
            result.append(
                ("prompt_content_sha256", show(stated.promptContentSHA256), show(expected.promptContentSHA256))
            )
        }
        if stated.outputSHA256 != expected.outputSHA256 {
            result.append(("output_sha256", stated.outputSHA256, expected.outputSHA256))
        }
        return result
    }

}
