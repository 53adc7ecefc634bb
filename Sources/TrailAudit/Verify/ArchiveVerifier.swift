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
    private var tags: [String: [UInt8]] = [:]
    private var computed: [String: (digest: String, size: Int64)] = [:]
    private var resolver = LineageResolver()
    private var schemas: AuditSchemas?
    private var cursor: LineageCursor?
    /// What `trail-verify --report` shows, gathered as the records are checked.
    private var page = AuditPageData()
    /// What the archive claims to hold in full, from `completeness.json`.
    private var completeness: CompletenessStatement?
    /// The format version `bag-info.txt` declares (1 when it declares none).
    private var infoFormatVersion = 1

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
            try readTags()
            report.checksRun.append(.structure)
            let (manifest, tagManifest, parsedInfo) = checkStructure()
            info = parsedInfo
            infoFormatVersion = info?.value("PromptTrail-Archive-Format-Version").flatMap(Int.init) ?? 1
            report.checksRun.append(.signature)
            checkSignature(info: info)
            checkAttestation(info: info)
            schemas = options.schemas ?? carriedSchemas()
            readCompleteness(info: info)
            report.checksRun.append(contentsOf: [.records, .lineage])
            try mainPass()
            report.checksRun.append(contentsOf: [.checksums, .oxum])
            checkChecksums(manifest: manifest, tagManifest: tagManifest)
            checkCounts(info: info)
            if completeness != nil {
                report.checksRun.append(.completeness)
                checkCompleteness()
            }
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

    // MARK: Tag pass

    /// Reads the tag files verification needs into memory, each under its own cap; other tag files (the
    /// report, the format document, anything unknown) are only hashed by the main pass, so no archive can
    /// make verification hold more than ``TagLimits`` allow.
    private func readTags() throws {
        // The main pass reads every name again with the tar headers checked.
        let reader = try SafeArchiveReader(file: file, limits: options.limits, checksTarHeaders: false)
        defer { reader.close() }
        var schemaBytes = 0
        var schemaCount = 0
        while let entry = try reader.nextEntry() {
            if entry.path.hasPrefix("data/") {
                if tags[BagLayout.declaration] != nil, tags[BagLayout.manifest] != nil, tags[BagLayout.info] != nil {
                    return
                }
                continue
            }
            let cap: Int
            if let limit = TagLimits.bytes[entry.path] {
                cap = limit
            } else if entry.path.hasPrefix(BagLayout.schemasDirectory), entry.path.hasSuffix(".json") {
                schemaCount += 1
                guard schemaCount <= TagLimits.schemaCount else {
                    throw ArchiveError.limitExceeded(
                        path: path,
                        reason: "more than \(TagLimits.schemaCount) schema files under \(BagLayout.schemasDirectory)"
                    )
                }
                cap = min(TagLimits.schemaBytes, TagLimits.schemaTotalBytes - schemaBytes)
            } else {
                continue
            }
            guard entry.size <= cap else {
                throw ArchiveError.limitExceeded(
                    path: path,
                    reason: "tag file \(entry.path) is larger than \(cap) bytes"
                )
            }
            let bytes = try reader.readData(limit: cap)
            if entry.path.hasPrefix(BagLayout.schemasDirectory) { schemaBytes += bytes.count }
            tags[entry.path] = bytes
        }
    }

    private func checkStructure() -> (Manifest?, Manifest?, BagInfo?) {
        func text(_ name: String) -> String? {
            guard let bytes = tags[name] else {
                report.add(VerificationFinding(.structure, entry: name, message: "missing"))
                return nil
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        if let declaration = text(BagLayout.declaration), !declaration.hasPrefix("BagIt-Version: ") {
            report.add(
                VerificationFinding(
                    .structure,
                    entry: BagLayout.declaration,
                    message: "does not start with BagIt-Version"
                )
            )
        }
        var info: BagInfo?
        if let text = text(BagLayout.info) {
            info = BagInfo.parse(text)
            if info == nil {
                report.add(VerificationFinding(.structure, entry: BagLayout.info, message: "a line has no label"))
            }
        }
        func manifest(_ name: String) -> Manifest? {
            guard let text = text(name) else { return nil }
            switch Manifest.parse(text) {
            case .success(let manifest):
                return manifest
            case .failure(let error):
                report.add(
                    VerificationFinding(.structure, entry: name, line: error.line, message: "not \"<sha256>  <path>\"")
                )
                return nil
            }
        }
        return (manifest(BagLayout.manifest), manifest(BagLayout.tagManifest), info)
    }

    private func checkSignature(info: BagInfo?) {
        let signature = tags[BagLayout.signature].flatMap {
            Data(base64Encoded: String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }.map { Array($0) }
        let message = tags[BagLayout.tagManifest] ?? []
        let declared = info?.value("PromptTrail-Signing-Key-SHA256")
        let embedded = info?.value("PromptTrail-Signing-Key").flatMap { Data(base64Encoded: $0) }.flatMap {
            try? ArchiveVerificationKey(raw: Array($0))
        }
        guard let signature else {
            if tags[BagLayout.signature] != nil {
                report.add(VerificationFinding(.signature, entry: BagLayout.signature, message: "not base64"))
            } else if let named = declared ?? info?.value("PromptTrail-Signing-Key") {
                // A signed archive whose signature file was removed: bag-info.txt still names the key.
                report.add(
                    VerificationFinding(
                        .signature,
                        entry: BagLayout.signature,
                        message: "missing, but \(BagLayout.info) names signing key \(named): the signature was removed"
                    )
                )
            } else if options.key != nil || options.requireSignature, tags[BagLayout.attestation] == nil {
                report.add(
                    VerificationFinding(.signature, entry: BagLayout.signature, message: "the archive is not signed")
                )
            }
            return
        }
        if let key = options.key {
            if key.isValidSignature(signature, for: message) {
                report.signature = "valid, by the given key \(key.fingerprint)"
            } else {
                let named = declared.map { "; bag-info.txt names key \($0)" } ?? ""
                report.add(
                    VerificationFinding(
                        .signature,
                        entry: BagLayout.signature,
                        message: "does not verify with the given key \(key.fingerprint)\(named)"
                    )
                )
                report.signature = "INVALID for the given key \(key.fingerprint)"
            }
            return
        }
        guard let embedded, embedded.fingerprint == declared else {
            report.add(
                VerificationFinding(
                    .signature,
                    entry: BagLayout.info,
                    message: "the signing key in bag-info.txt is missing or does not match its fingerprint"
                )
            )
            return
        }
        if embedded.isValidSignature(signature, for: message) {
            report.signature = "valid, by key \(embedded.fingerprint) named in the archive (pass --key to trust it)"
        } else {
            report.add(
                VerificationFinding(
                    .signature,
                    entry: BagLayout.signature,
                    message: "does not verify with the key the archive names"
                )
            )
        }
    }

    /// Checks `attestation.sigstore.json`: a Sigstore bundle whose DSSE signature, by the given key (or the
    /// one `bag-info.txt` names), covers an in-toto statement about the tag and payload manifests, with the
    /// completeness statement as its predicate.
    private func checkAttestation(info: BagInfo?) {
        let entry = BagLayout.attestation
        func add(_ message: String) { report.add(VerificationFinding(.signature, entry: entry, message: message)) }
        let named = info?.value("PromptTrail-Attestation-Key-ID")
        guard let bytes = tags[entry] else {
            if let named {
                add("missing, but \(BagLayout.info) names attestation key \(named): the attestation was removed")
            } else if let key = options.attestationKey, options.key == nil, tags[BagLayout.signature] == nil {
                add("the archive carries no attestation to check with the given key \(key.keyID)")
            }
            return
        }
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle.parse(bytes) } catch {
            add("not a readable Sigstore bundle: \(error)")
            return
        }
        let key: AttestationVerifier
        let trusted: Bool
        if let given = options.attestationKey {
            key = given
            trusted = true
        } else if let embedded = info?.value("PromptTrail-Attestation-Key").flatMap({ Data(base64Encoded: $0) })
            .flatMap({ AttestationVerifier.from(subjectPublicKeyInfo: Array($0)) }), embedded.keyID == named
        {
            key = embedded
            trusted = false
        } else {
            add("the attestation key in \(BagLayout.info) is missing or does not match its key id")
            return
        }
        let expected = [
            BagLayout.tagManifest: RecordInterpreter.sha256(tags[BagLayout.tagManifest] ?? []),
            BagLayout.manifest: RecordInterpreter.sha256(tags[BagLayout.manifest] ?? []),
        ]
        let result = bundle.verify(with: key, expectedSubjects: expected)
        for failure in result.failures { add("\(failure)") }
        guard result.isValid, let statement = result.statement else { return }
        let claimed = tags[BagLayout.completeness].flatMap { try? JSONParser().parse($0) }
        if statement.predicate["completeness"] != claimed {
            add("the signed predicate's completeness differs from \(BagLayout.completeness)")
            return
        }
        let attested = "attestation valid, by \(trusted ? "the given" : "the named") \(key.scheme) key \(key.keyID)"
        report.signature = report.signature == "not signed" ? attested : report.signature + "; " + attested
    }

    private func carriedSchemas() -> AuditSchemas? {
        var documents: [BundledSchema] = []
        for (name, bytes) in tags where name.hasPrefix(BagLayout.schemasDirectory) && name.hasSuffix(".json") {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let id = (try? JSONParser().parse(bytes))?["$id"]?.stringValue else {
                report.add(VerificationFinding(.records, entry: name, message: "not a schema with an $id"))
                continue
            }
            documents.append(
                BundledSchema(path: String(name.dropFirst(BagLayout.schemasDirectory.count)), id: id, text: text)
            )
        }
        let schemas = AuditSchemas(documents: documents)
        let version = infoFormatVersion
        for kind in RecordKind.required(formatVersion: version) where !schemas.contains(id: kind.schemaID) {
            report.add(
                VerificationFinding(
                    .records,
                    entry: BagLayout.schemasDirectory,
                    message: "the archive does not carry \(kind.schemaID)"
                )
            )
        }
        return schemas
    }

    // MARK: Completeness

    /// Reads `completeness.json`; required from format version 2 on.
    private func readCompleteness(info: BagInfo?) {
        guard let bytes = tags[BagLayout.completeness] else {
            let version = info?.value("PromptTrail-Archive-Format-Version").flatMap(Int.init) ?? 1
            if version >= 2 {
                report.add(
                    VerificationFinding(
                        .completeness,
                        entry: BagLayout.completeness,
                        message: "missing, although the archive declares format version \(version)"
                    )
                )
            }
            return
        }
        let schemaID = CompletenessStatement.schemaID
        if let schemas, schemas.contains(id: schemaID), let value = try? JSONParser().parse(bytes) {
            for problem in schemas.validator.problems(in: value, schemaID: schemaID) {
                report.add(
                    VerificationFinding(.completeness, entry: BagLayout.completeness, message: "\(problem) (schema)")
                )
            }
        }
        switch CompletenessStatement.parse(bytes) {
        case .success(let statement): completeness = statement
        case .failure(let error):
            report.add(VerificationFinding(.completeness, entry: BagLayout.completeness, message: "\(error)"))
        }
    }

    /// Recounts what `completeness.json` claims: a day, a prompt version or a project that holds fewer
    /// traces than claimed is *missing*; more than claimed, or a project not claimed, is reported too.
    private func checkCompleteness() {
        guard let statement = completeness else { return }
        let entry = BagLayout.completeness
        func add(_ message: String) { report.add(VerificationFinding(.completeness, entry: entry, message: message)) }
        if let manifest = computed[BagLayout.manifest], manifest.digest != statement.payloadManifestSHA256 {
            add(
                "payload_manifest_sha256 is \(statement.payloadManifestSHA256) but \(BagLayout.manifest) hashes to \(manifest.digest)"
            )
        }
        let actual = CompletenessStatement.counts(of: page, windows: [:], projects: [])
        for id in Set(statement.projects.keys).union(actual.keys).sorted() {
            guard let claimed = statement.projects[id] else {
                add("project \(id) holds records but the statement does not claim it")
                continue
            }
            let held =
                actual[id]
                ?? CompletenessStatement.Project(
                    since: nil,
                    until: nil,
                    promptVersions: 0,
                    traces: 0,
                    days: [:],
                    versions: [:]
                )
            func compare(_ what: String, _ claimed: Int, _ held: Int) {
                if held < claimed {
                    add("missing: \(what) of project \(id): the statement claims \(claimed), the archive holds \(held)")
                } else if held > claimed {
                    add("\(what) of project \(id): the archive holds \(held), more than the \(claimed) claimed")
                }
            }
            compare("prompt versions", claimed.promptVersions, held.promptVersions)
            compare("traces", claimed.traces, held.traces)
            for day in Set(claimed.days.keys).union(held.days.keys).sorted() {
                compare("traces of \(day)", claimed.days[day] ?? 0, held.days[day] ?? 0)
            }
            for version in Set(claimed.versions.keys).union(held.versions.keys).sorted() {
                compare(
                    "traces of prompt version \(version)",
                    claimed.versions[version] ?? 0,
                    held.versions[version] ?? 0
                )
            }
        }
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
                try record(kind!, entry: entry.path, checked: checker.check(NDJSONLine(number: 1, bytes: bytes)))
            } else if let kind, kind != .lineage {
                let lines = EntryLineReader(reader, observe: observe)
                if kind == .trace, cursor == nil {
                    cursor = try LineageCursor(file: file, limits: options.limits, jobs: options.jobs)
                }
                let checker = RecordChecker(kind: kind, validator: schemas?.validator)
                do {
                    try OrderedParallelMap.run(
                        workers: options.jobs,
                        produce: { () -> [NDJSONLine]? in
                            let batch = try lines.nextBatch(maxBytes: 256 << 10, maxLines: 1024)
                            return batch.isEmpty ? nil : batch
                        },
                        transform: { batch in batch.map(checker.check) },
                        consume: { checked in
                            for line in checked { try record(kind, entry: entry.path, checked: line) }
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
    /// record with its lineage line.
    private func record(_ kind: RecordKind, entry: String, checked: CheckedRecord) throws {
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
                page.add(facts, day: AuditPageData.day(ofTraceFile: entry), status: expected.status)
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

    // MARK: Comparisons

    private func checkChecksums(manifest: Manifest?, tagManifest: Manifest?) {
        if let manifest {
            var listed: Set<String> = []
            for entry in manifest.entries {
                listed.insert(entry.path)
                compare(entry, in: BagLayout.manifest)
            }
            for name in computed.keys.sorted() where name.hasPrefix("data/") && !listed.contains(name) {
                report.add(VerificationFinding(.checksums, entry: name, message: "not listed in \(BagLayout.manifest)"))
            }
        }
        for entry in tagManifest?.entries ?? [] { compare(entry, in: BagLayout.tagManifest) }
        // Every entry but the tag manifest (which the signature covers) and the signature itself must be
        // covered by a manifest: an unlisted file would otherwise ride along in a signed archive.
        if let tagManifest {
            let listed = Set(tagManifest.entries.map(\.path))
            for name in computed.keys.sorted()
            where !name.hasPrefix("data/") && !listed.contains(name) && !Self.uncovered.contains(name) {
                report.add(
                    VerificationFinding(
                        .checksums,
                        entry: name,
                        message: "not covered by any manifest (not listed in \(BagLayout.tagManifest))"
                    )
                )
            }
        }
    }

    /// The entries no manifest lists: the tag manifest and the signature over it.
    static let uncovered: Set<String> = [BagLayout.tagManifest, BagLayout.signature, BagLayout.attestation]

    private func compare(_ entry: Manifest.Entry, in manifest: String) {
        guard let actual = computed[entry.path] else {
            report.add(
                VerificationFinding(
                    .checksums,
                    entry: entry.path,
                    message: "listed in \(manifest) but not in the archive"
                )
            )
            return
        }
        if actual.digest != entry.digest {
            report.add(
                VerificationFinding(
                    .checksums,
                    entry: entry.path,
                    message: "SHA-256 is \(actual.digest) but \(manifest) says \(entry.digest)"
                )
            )
        }
    }

    private func checkCounts(info: BagInfo?) {
        guard let info else { return }
        if let text = info.value("Payload-Oxum") {
            if let oxum = PayloadOxum(text) {
                if oxum != report.payload {
                    report.add(
                        VerificationFinding(
                            .oxum,
                            entry: BagLayout.info,
                            message: "Payload-Oxum is \(oxum) but the payload holds \(report.payload)"
                        )
                    )
                }
            } else {
                report.add(
                    VerificationFinding(
                        .oxum,
                        entry: BagLayout.info,
                        message: "Payload-Oxum \(text) is not OCTETS.STREAMS"
                    )
                )
            }
        }
        let counts: [(String, Int)] = [
            ("PromptTrail-Prompt-Versions", report.tally.promptVersions),
            ("PromptTrail-Traces", report.tally.traces),
            ("PromptTrail-Linked-Traces", report.tally.linked),
            ("PromptTrail-Unlinked-Traces", report.tally.unlinked),
            ("PromptTrail-Dangling-Traces", report.tally.dangling),
            ("PromptTrail-Never-Observed-Traces", report.tally.neverObserved),
            ("PromptTrail-Activations", report.tally.activations),
        ]
        for (label, actual) in counts {
            guard let stated = info.value(label) else { continue }
            if Int(stated) != actual {
                report.add(
                    VerificationFinding(
                        .oxum,
                        entry: BagLayout.info,
                        message: "\(label) is \(stated) but the archive holds \(actual)"
                    )
                )
            }
        }
    }
}
