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
///    grows with the number of traces. That reader hashes `lineage.jsonl`, which it reads whole anyway.
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
    /// The windows of ``completeness`` by project (without their tallies), looked up for every trace.
    private var windows: [String: CompletenessStatement.Project] = [:]
    /// Record lines checked so far, for ``VerificationOptions/progress``.
    private var checkedRecords = 0
    /// The linked traces of the batch being taken, added to ``page`` and the tally after its last record.
    private var linkedCounts = TraceCountBatch()
    /// The size of `lineage.jsonl` as the main pass read it, without hashing it (see ``finishLineage()``).
    private var unhashedLineageSize: Int64?
    /// What ``window(of:)`` keeps.
    private var lastWindow: (projectID: String, window: CompletenessStatement.Project?)?

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
            // Only the window is read per trace; without the tallies a copy of it counts no references.
            windows = (completeness?.projects ?? [:]).mapValues { project in
                var window = project
                window.days = [:]
                window.versions = [:]
                return window
            }
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

    /// The entry whose lines the main pass is reading, and what its batches carry to the workers.
    private struct OpenEntry {
        var entry: EntryBatches
        var lines: ChunkedLineReader
    }

    /// What the batches of one record entry share: where they are from and how they are checked.
    private struct EntryBatches: Sendable {
        var path: String
        var kind: RecordKind
        /// The UTC day of a trace file (for the auditor page); empty for other kinds.
        var day: String
        var checker: RecordChecker
    }

    /// A piece of the main pass, in archive order: lines of a record entry to check on a worker, or a finding
    /// to report between them.
    private enum Work: Sendable {
        case lines(EntryBatches, NDJSONBlock)
        case finding(VerificationFinding)
    }

    /// A piece of the main pass, checked.
    private enum Checked: Sendable {
        case records(EntryBatches, [CheckedRecord])
        case finding(VerificationFinding)
    }

    /// Reads every entry once, in archive order, hashing each, and checks the lines of record entries on the
    /// workers in one pipeline across entries, so the workers do not wait at the end of each file. The archive
    /// is decompressed and hashed on a thread of its own (``EntryPrefetcher``).
    private func mainPass() throws {
        // The lineage cursor hashes `lineage.jsonl` as it reads it (see ``finishLineage()``).
        let reader = EntryPrefetcher(
            try SafeArchiveReader(file: file, limits: options.limits),
            unhashed: [BagLayout.lineage]
        )
        defer { reader.close() }
        var open: OpenEntry?
        try OrderedParallelMap.run(
            workers: options.jobs,
            maxInFlight: 8 * options.jobs,
            produce: { try nextWork(reader, open: &open) },
            transform: { (work: Work) -> Checked in
                switch work {
                case .lines(let entry, let lines): .records(entry, entry.checker.check(lines))
                case .finding(let finding): .finding(finding)
                }
            },
            consume: { (checked: consuming Checked) in
                switch consume checked {
                case .records(let entry, var records):
                    // Each record moved out (an empty one left in its place), not copied: a copy retains each of
                    // its strings, and the array would release them once more.
                    let count = records.count
                    // Also when a record throws: the page then counts the traces taken before it, as it did
                    // when every trace was added in turn.
                    defer { linkedCounts.flush(into: &page, tally: &report.tally) }
                    try records.withUnsafeMutableBufferPointer { records in
                        for index in records.indices {
                            var checked = CheckedRecord(number: 0)
                            swap(&checked, &records[index])
                            try record(entry.kind, entry: entry.path, day: entry.day, checked: checked)
                        }
                    }
                    noteChecked(count, in: entry.path)
                case .finding(let finding):
                    report.add(finding)
                }
            }
        )
        // A cursor was opened when the main pass reached the lineage entry or the first trace file.
        while let extra = try cursor?.next() {
            reportLineageOnly(line: extra.line, extra.record)
        }
        finishLineage()
        if computed[BagLayout.lineage] == nil, report.tally.traces > 0 {
            report.add(VerificationFinding(.lineage, entry: BagLayout.lineage, message: "missing"))
        }
        for finding in cursor?.findings ?? [] { report.add(finding) }
    }

    /// Counts checked records, and reports progress every 4,096.
    private func noteChecked(_ count: Int, in path: String) {
        let before = checkedRecords / 4096
        checkedRecords += count
        if let progress = options.progress, checkedRecords / 4096 != before {
            progress(AuditProgress(phase: .verifying, path: path, records: checkedRecords))
        }
    }

    /// The next batch of record lines to check, reading on through the archive: an entry that holds no
    /// records, or only one document, is read (and hashed) here whole. `nil` after the last entry.
    private func nextWork(_ reader: EntryPrefetcher, open: inout OpenEntry?) throws -> Work? {
        while true {
            if let current = open {
                do {
                    let batch = try current.lines.nextBlock(maxBytes: 512 << 10, maxLines: 2048)
                    if !batch.isEmpty { return .lines(current.entry, batch) }
                } catch AuditError.lineTooLong(_, let name, let line, let limit) {
                    // The rest of the entry is still hashed, so its checksum is reported as usual.
                    try current.lines.drain()
                    finish(current.entry.path, reader.digest)
                    open = nil
                    return .finding(
                        VerificationFinding(
                            .records,
                            entry: name,
                            line: line,
                            message: "longer than \(limit) bytes; the rest of the entry was not checked"
                        )
                    )
                }
                finish(current.entry.path, reader.digest)
                open = nil
            }
            guard let entry = try reader.nextEntry() else { return nil }
            report.entries += 1
            try Task.checkCancellation()
            let kind = RecordKind.of(payloadPath: entry.path)
            options.progress?(AuditProgress(phase: .verifying, path: entry.path, records: checkedRecords))
            if let kind, kind == .workspace || kind == .state {
                let bytes = try reader.readData(limit: 64 << 20)
                finish(entry.path, reader.digest)
                let checker = RecordChecker(kind: kind, validator: schemas?.validator)
                let batch = EntryBatches(path: entry.path, kind: kind, day: "", checker: checker)
                var block = NDJSONBlock()
                bytes.withUnsafeBufferPointer { block.append(number: 1, $0) }
                return .lines(batch, block)
            } else if let kind, kind != .lineage {
                // Traces before the lineage entry (a foreign order): the cursor reads on to it.
                if kind == .trace { try openLineageCursor() }
                let batches = EntryBatches(
                    path: entry.path,
                    kind: kind,
                    day: kind == .trace ? AuditPageData.day(ofTraceFile: entry.path) : "",
                    checker: RecordChecker(kind: kind, validator: schemas?.validator)
                )
                let lines = ChunkedLineReader(nextChunk: reader.nextChunk, archive: reader.path, entry: entry.path)
                open = OpenEntry(entry: batches, lines: lines)
            } else {
                // The cursor checks the first lines on the other threads while this one hashes the entry.
                if kind == .lineage { try openLineageCursor() }
                try reader.skipRest()
                finish(entry.path, reader.digest)
            }
        }
    }

    /// Opens the second reader on `data/lineage.jsonl`, once, and has it start reading ahead.
    private func openLineageCursor() throws {
        guard cursor == nil else { return }
        let opened = try LineageCursor(file: file, limits: options.limits, schemas: schemas, jobs: options.jobs)
        opened.startReadingAhead()
        cursor = opened
    }

    /// Records the digest and size of an entry read to its end (the digest of `lineage.jsonl` comes later, from
    /// ``finishLineage()``).
    private func finish(_ path: String, _ digest: EntryPrefetcher.Digest?) {
        guard let digest else { preconditionFailure("\(path) was not read to its end") }
        if let sha256 = digest.sha256 {
            computed[path] = (sha256, digest.size)
        } else {
            unhashedLineageSize = digest.size
        }
        if path.hasPrefix("data/") {
            report.payload.octets += digest.size
            report.payload.streams += 1
        }
    }

    /// Records the digest of `lineage.jsonl`, which the main pass read without hashing it: the lineage cursor's,
    /// which hashed the entry as it read every line. The cursor has read the entry to its end whenever the main
    /// pass gets here (its errors end the pass); should it not have, the entry is reported unchecked, never taken
    /// for intact.
    private func finishLineage() {
        guard let size = unhashedLineageSize else { return }
        guard let digest = cursor?.digest, let sha256 = digest.sha256, digest.size == size else {
            report.add(
                VerificationFinding(
                    .checksums,
                    entry: BagLayout.lineage,
                    message: "not read to its end by the lineage check, so its SHA-256 was not computed"
                )
            )
            return
        }
        computed[BagLayout.lineage] = (sha256, size)
    }

    /// Reports what ``RecordChecker`` found on one line, in file order, and indexes, counts and joins the
    /// record with its lineage line; `day` is the UTC day of the entry, for a trace file.
    private func record(_ kind: RecordKind, entry: String, day: String, checked: consuming CheckedRecord) throws {
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
                // Parsed once, for the tally and the completeness window.
                let created = Timestamp(facts.createdAt)
                if expected.status == .linked {
                    linkedCounts.addLinked(facts, day: day)
                    report.tally.noteCreated(facts.createdAt, created)
                } else {
                    report.tally.noteTrace(expected, createdAt: facts.createdAt, created: created)
                    page.add(facts, day: day, status: expected.status)
                }
                if let created, let window = window(of: facts.projectID), !window.contains(created) {
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

    /// The completeness window of `projectID`, if `completeness.json` states one; the last one looked up is kept.
    private func window(of projectID: String) -> CompletenessStatement.Project? {
        guard !windows.isEmpty else { return nil }
        if let lastWindow, lastWindow.projectID == projectID { return lastWindow.window }
        let window = windows[projectID]
        lastWindow = (projectID, window)
        return window
    }

    /// Matches the trace at `expected.file:expected.line` with the next lineage line.
    private func join(_ expected: LineageRecord) throws {
        guard let cursor else { return }
        while let actual = try cursor.next() {
            // The common case: the line is, byte for byte, the one the archive writes for this trace.
            if let text = actual.text, text.withUnsafeBufferPointer(expected.isWritten(as:)) { return }
            // Read once: a line kept as its bytes is parsed to give its record.
            let record = actual.record
            guard let record, !Self.precedes((record.file, record.line), (expected.file, expected.line)) else {
                reportLineageOnly(line: actual.line, record)
                continue
            }
            guard record.file == expected.file, record.line == expected.line else {
                cursor.putBack(actual)
                break
            }
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
        guard let cursor, let next = try cursor.next() else { return }
        let record = next.record
        if record?.file != entry || record?.line != line { cursor.putBack(next) }
    }

    /// Reports lineage line `line`, which states `record`, as naming no trace of the archive.
    private func reportLineageOnly(line: Int, _ record: LineageRecord?) {
        guard let record else { return }
        report.add(
            VerificationFinding(
                .lineage,
                entry: BagLayout.lineage,
                line: line,
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
