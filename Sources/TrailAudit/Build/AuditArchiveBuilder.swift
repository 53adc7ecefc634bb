import Crypto
import Foundation
import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema
import TrailWorkspace

/// Packs a workspace into an audit archive: a BagIt 1.0 bag inside a compressed tar (or zip).
///
/// Two passes, memory independent of the number of traces:
/// 1. *Analysis.* Each workspace file is streamed line by line. Every record is parsed, validated and its
///    hashes recomputed; prompt versions go into a small index; each trace adds one line to
///    `lineage.jsonl`, which is spooled to a staging directory beside the output. Invalid records are
///    spooled for `data/quarantine/`. Each payload file's size and SHA-256 are computed as if it were
///    written, so the manifests, `Payload-Oxum` and `bag-info.txt` are complete before the archive starts.
/// 2. *Writing.* Tag files first, then the payload in sorted order (``BagLayout/orderKey(_:)``). Workspace
///    files are streamed again (from the page cache, in practice) and hashed again; a file that changed
///    in between stops the run with ``AuditError/workspaceChanged(path:)``.
///
/// The output appears only when complete (``ArchiveWriter/write(to:format:compression:options:_:)``);
/// cancellation (Ctrl-C in the tool) or any error removes the temporary file and the staging directory.
public final class AuditArchiveBuilder {
    private let workspace: String
    private let output: String
    private let options: ArchiveBuildOptions
    private let staging: String
    private var tally = ArchiveTally()
    /// What `report.html` shows.
    private var page = AuditPageData()
    /// Each project's window `[since, until)` of trace `created_at`; traces outside it are left out.
    private var windows: [String: (since: Timestamp?, until: Timestamp?)] = [:]
    /// Traces left out because they lie outside their project's window.
    private var outsideWindow = 0
    /// Prompt versions by id, across projects: ids must be unique, and the report lists version numbers.
    private var index: [String: PromptVersionFacts] = [:]
    private var resolver = LineageResolver()
    private var plans: [PayloadPlan] = []
    private var quarantine: [String: HashingFile] = [:]
    private var lineage: HashingFile
    private var receivedAt = "1970-01-01T00:00:00Z"
    /// Records read so far, for ``ArchiveBuildOptions/progress``.
    private var checkedRecords = 0

    /// Packs `workspace` into `output`.
    ///
    /// - Parameters:
    ///   - workspace: the workspace directory (`workspace.json` at its top).
    ///   - output: the archive to write; replaced atomically if it exists.
    ///   - options: container, signing and validation choices.
    /// - Returns: what was written.
    /// - Throws: ``AuditError`` (bad workspace, invalid records with `failOnInvalid`, I/O), or
    ///   `CancellationError` when the task is cancelled.
    @discardableResult
    public static func build(
        workspace: String,
        output: String,
        options: ArchiveBuildOptions = ArchiveBuildOptions()
    ) throws -> ArchiveBuildSummary {
        let staging = try makeStagingDirectory(beside: output)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let builder = try AuditArchiveBuilder(workspace: workspace, output: output, options: options, staging: staging)
        return try builder.run()
    }

    private init(workspace: String, output: String, options: ArchiveBuildOptions, staging: String) throws {
        self.workspace = workspace.hasSuffix("/") ? String(workspace.dropLast()) : workspace
        self.output = output
        self.options = options
        self.staging = staging
        lineage = try HashingFile(path: staging + "/lineage.jsonl")
    }

    // MARK: Pass 1: analysis

    private func run() throws -> ArchiveBuildSummary {
        for kind in RecordKind.required(formatVersion: BagLayout.formatVersion)
        where !options.schemas.contains(id: kind.schemaID) {
            throw AuditError.invalidOption("schema \(kind.schemaID) is not bundled with this build")
        }
        let reader: WorkspaceReader
        do { reader = try WorkspaceReader(root: workspace) } catch {
            throw AuditError.invalidWorkspace(path: workspace, message: "\(error)")
        }
        let descriptor = try readDescriptor(reader)
        windows = try Self.windows(descriptor: descriptor, options: options)
        let prompts = try listFiles(reader, .prompts)
        let traces = try listFiles(reader, .traces)
        let quarantined = try listFiles(reader, .quarantine)
        let activations = try listFiles(reader, .activations)

        for file in prompts { try analyze(file, in: reader, kind: .promptVersion) }
        // Before the traces: the versions pulls observed tell "never observed" from "missing".
        for file in activations { try analyze(file, in: reader, kind: .activation) }
        for file in traces { try analyze(file, in: reader, kind: .trace) }
        plans.append(try staged(lineage, as: BagLayout.lineage))
        try mergeQuarantine(workspaceFiles: quarantined, in: reader)

        if options.failOnInvalid, tally.failures > 0, let first = tally.failureSample.first {
            throw AuditError.invalidRecords(
                count: tally.failures,
                firstProblem:
                    "\(first.file):\(first.line): \(first.problems.map(\.description).joined(separator: "; "))"
            )
        }
        plans.sort { BagLayout.precedes($0.archivePath, $1.archivePath) }

        // MARK: Tag files
        let oxum = PayloadOxum(octets: plans.reduce(0) { $0 + $1.size }, streams: plans.count)
        let manifest = Manifest(plans.map { Manifest.Entry(digest: $0.digest, path: $0.archivePath) })
        var info = bagInfo(descriptor: descriptor, oxum: oxum)
        let fingerprint = options.signingKey?.publicKey.fingerprint
        if let key = options.signingKey?.publicKey {
            info.append("PromptTrail-Signing-Key-SHA256", key.fingerprint)
            info.append("PromptTrail-Signing-Key", Data(key.raw).base64EncodedString())
        }
        let attestationSigner = options.effectiveAttestationSigner
        if let attestationSigner {
            info.append("PromptTrail-Attestation-Key-ID", attestationSigner.keyID)
            info.append(
                "PromptTrail-Attestation-Key",
                Data(attestationSigner.verifier.subjectPublicKeyInfo).base64EncodedString()
            )
        }
        let completeness = CompletenessStatement(
            source: descriptor.source,
            baseURL: descriptor.baseURL,
            lastPull: descriptor.stateUpdatedAt,
            projects: CompletenessStatement.counts(of: page, windows: windows, projects: descriptor.projects),
            payloadManifestSHA256: RecordInterpreter.sha256(Array(manifest.text.utf8))
        )
        var tags: [(path: String, bytes: [UInt8])] = [
            (BagLayout.declaration, Array(BagLayout.declarationText.utf8)),
            (BagLayout.info, Array(info.text.utf8)),
            (BagLayout.manifest, Array(manifest.text.utf8)),
            (BagLayout.formatDocument, Array(ArchiveFormatDocument.text.utf8)),
            (
                BagLayout.report,
                Array(AuditReport.markdown(tally: tally, info: info, versions: index).utf8)
            ),
            (BagLayout.htmlReport, Array(AuditPage.html(page.with(info: info), title: AuditPageData.title(info)).utf8)),
            (BagLayout.completeness, completeness.bytes),
        ]
        for schema in options.schemas.documents {
            tags.append((BagLayout.schemasDirectory + schema.path, Array(schema.text.utf8)))
        }
        let tagManifest = Manifest(
            tags.map { Manifest.Entry(digest: RecordInterpreter.sha256($0.bytes), path: $0.path) }
        )
        let tagManifestBytes = Array(tagManifest.text.utf8)
        tags.append((BagLayout.tagManifest, tagManifestBytes))
        var bundle: SigstoreBundle?
        if let attestationSigner {
            let statement = InTotoStatement(
                subjects: [
                    .init(name: BagLayout.tagManifest, sha256: RecordInterpreter.sha256(tagManifestBytes)),
                    .init(name: BagLayout.manifest, sha256: RecordInterpreter.sha256(Array(manifest.text.utf8))),
                ],
                predicateType: InTotoStatement.archivePredicateType,
                predicate: ArchivePredicate.json(completeness: completeness, tally: tally)
            )
            let signed = try SigstoreBundle.sign(statement: statement, with: attestationSigner)
            tags.append((BagLayout.attestation, signed.bytes))
            bundle = signed
        }
        if let key = options.signingKey {
            let signature = try key.signature(for: tagManifestBytes)
            tags.append((BagLayout.signature, Array((Data(signature).base64EncodedString() + "\n").utf8)))
        }
        tags.sort { BagLayout.precedes($0.path, $1.path) }

        // MARK: Pass 2: writing
        let modificationTime = try referenceTime(descriptor: descriptor)
        let level = options.level ?? (options.compression == .zstd ? 3 : nil)
        let filterOptions =
            options.format == .tar
            ? options.compression.reproducibleOptions(level: level, threads: options.threads) : nil
        // gzip runs on every thread in fixed blocks (libarchive's filter is single-threaded); the bytes do
        // not depend on the thread count.
        let parallelGzip = ParallelGzip(level: level ?? 6, threads: options.threads)
        try ArchiveWriter.write(
            to: output,
            format: options.format,
            compression: options.format == .tar ? options.compression : .none,
            options: filterOptions,
            parallelGzip: parallelGzip
        ) { writer in
            for tag in tags {
                try writer.writeFile(
                    ArchiveEntry(path: tag.path, modificationTime: modificationTime),
                    contents: tag.bytes
                )
            }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            for plan in plans {
                try Task.checkCancellation()
                options.progress?(AuditProgress(phase: .writing, path: plan.archivePath, records: checkedRecords))
                try write(plan, to: writer, modificationTime: modificationTime, buffer: &buffer)
            }
        }
        if let bundle, let path = options.attestationOutput {
            do { try AtomicFile.write(bundle.bytes, to: path) } catch {
                throw AuditError.fileSystem(operation: "write", path: path, message: "\(error)")
            }
        }
        return ArchiveBuildSummary(
            output: output,
            payloadOxum: oxum,
            tally: tally,
            signingKeyFingerprint: fingerprint ?? attestationSigner?.keyID
        )
    }

    private struct Descriptor {
        var source: String
        var baseURL: String
        var projects: [String]
        var createdAt: String
        var stateUpdatedAt: String?
        /// Each project's trace high-water mark from `state.json`.
        var highWaterMarks: [String: Timestamp] = [:]
    }

    /// Validates `workspace.json` (fatal when invalid) and reads `state.json` (quarantine rules).
    private func readDescriptor(_ reader: WorkspaceReader) throws -> Descriptor {
        let value = reader.descriptor.json
        let data = reader.descriptor.bytes
        let path = workspace + "/workspace.json"
        let problems = options.schemas.validator.problems(in: value, schemaID: RecordKind.workspace.schemaID)
        guard problems.isEmpty, let baseURL = reader.descriptor.baseURL, let createdAt = reader.descriptor.createdAt
        else {
            throw AuditError.invalidWorkspace(
                path: workspace,
                message: "workspace.json: " + problems.map(\.description).joined(separator: "; ")
            )
        }
        plans.append(
            PayloadPlan(
                archivePath: BagLayout.workspace,
                source: .raw(path),
                size: Int64(data.count),
                digest: RecordInterpreter.sha256(data)
            )
        )
        var descriptor = Descriptor(
            source: reader.descriptor.source,
            baseURL: baseURL,
            projects: reader.descriptor.projects,
            createdAt: createdAt
        )
        receivedAt = createdAt
        let statePath = workspace + "/state.json"
        let stateBytes: [UInt8]?
        do { stateBytes = try reader.stateBytes() } catch {
            throw AuditError.fileSystem(operation: "read", path: statePath, message: "\(error)")
        }
        if let state = stateBytes {
            var problems: [RecordIssue] = []
            do {
                let value = try JSONParser().parse(state)
                problems = options.schemas.validator.problems(in: value, schemaID: RecordKind.state.schemaID)
                if problems.isEmpty, let updated = value["updated_at"]?.stringValue {
                    descriptor.stateUpdatedAt = updated
                    receivedAt = updated
                }
                if problems.isEmpty, let streams = value["streams"]?.objectValue {
                    for (project, stream) in streams {
                        if let mark = stream["traces"]?["high_water_mark"]?.stringValue.flatMap(Timestamp.init) {
                            descriptor.highWaterMarks[project] = mark
                        }
                    }
                }
            } catch {
                problems = [RecordIssue(instanceLocation: "", keywordLocation: "", message: "\(error)")]
            }
            if !problems.isEmpty { tally.noteFailure(file: BagLayout.state, line: 1, problems: problems) }
            plans.append(
                PayloadPlan(
                    archivePath: BagLayout.state,
                    source: .raw(statePath),
                    size: Int64(state.count),
                    digest: RecordInterpreter.sha256(state)
                )
            )
        }
        return descriptor
    }

    /// The workspace's files of one kind, as the reader lists them.
    private func listFiles(_ reader: WorkspaceReader, _ kind: WorkspaceFile.Kind) throws -> [WorkspaceFile] {
        do { return try reader.files(kind) } catch {
            throw AuditError.fileSystem(operation: "list", path: workspace + "/" + kind.folder, message: "\(error)")
        }
    }

    /// Streams one prompts, activations or traces file: validates each record, quarantines the invalid ones, and plans
    /// the payload file made of the valid ones.
    ///
    /// Batches of lines are parsed, validated and hashed on ``ArchiveBuildOptions/jobs`` worker threads
    /// (``LineAnalyzer``); their outcomes are then taken in file order on this thread, which keeps the
    /// prompt-version index, the lineage resolver, the lineage spool, the quarantine and the tally exactly as a
    /// sequential pass would.
    private func analyze(_ file: WorkspaceFile, in workspaceReader: WorkspaceReader, kind: RecordKind) throws {
        let path = workspaceReader.path(of: file)
        let relative = file.relativePath
        let archivePath = "data/" + relative
        let project = file.project
        let day = kind == .trace ? file.member ?? "" : ""
        let stream =
            switch kind {
            case .promptVersion: "prompts"
            case .activation: "activations"
            default: "traces"
            }
        let reader: NDJSONReader
        do {
            reader = try workspaceReader.lineReader(file, blankLines: .report)
        } catch {
            throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
        }
        defer { reader.close() }
        options.progress?(AuditProgress(phase: .checking, path: relative, records: checkedRecords))
        var hasher = SHA256()
        var size: Int64 = 0
        var accepted = 0
        var rejected: Set<Int> = []
        var pristine = true
        let analyzer = LineAnalyzer(kind: kind, project: project, day: day, validator: options.schemas.validator)
        try OrderedParallelMap.run(
            workers: options.jobs,
            produce: { () -> [NDJSONLine]? in
                let batch: [NDJSONLine]
                do { batch = try reader.nextBatch(maxBytes: 256 << 10, maxLines: 1024) } catch {
                    throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
                }
                return batch.isEmpty ? nil : batch
            },
            transform: { batch in batch.map(analyzer.analyze) },
            consume: { lines in
                for line in lines {
                    if line.number % 4096 == 0 {
                        try Task.checkCancellation()
                        options.progress?(AuditProgress(phase: .checking, path: relative, records: checkedRecords))
                    }
                    checkedRecords += 1
                    if line.isBlank {
                        pristine = false
                        continue
                    }
                    var problems = line.problems
                    if problems.isEmpty, let facts = line.promptVersion {
                        problems = acceptPromptVersion(facts)
                    } else if problems.isEmpty, let facts = line.activation {
                        resolver.observe(projectID: project, promptVersionID: facts.promptVersionID)
                        page.add(facts)
                        tally.activations += 1
                    } else if problems.isEmpty, let facts = line.trace {
                        guard isInWindow(facts) else {
                            // Outside the window the archive claims: left out, not quarantined.
                            rejected.insert(line.number)
                            pristine = false
                            outsideWindow += 1
                            continue
                        }
                        problems = acceptTrace(facts, file: archivePath, line: accepted + 1)
                    }
                    guard problems.isEmpty else {
                        let value = line.value ?? LineAnalyzer.record(line.bytes)
                        rejected.insert(line.number)
                        pristine = false
                        tally.noteFailure(file: relative, line: line.number, problems: problems)
                        try quarantineRecord(
                            value,
                            problems: problems,
                            project: value["project_id"]?.stringValue ?? project,
                            stream: stream
                        )
                        continue
                    }
                    accepted += 1
                    hasher.update(data: line.bytes)
                    hasher.update(data: [0x0A])
                    size += Int64(line.bytes.count + 1)
                }
            }
        )
        if pristine, (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) != size {
            pristine = false
        }
        guard accepted > 0 else { return }
        plans.append(
            PayloadPlan(
                archivePath: archivePath,
                source: pristine ? .raw(path) : .filtered(path, rejected: rejected),
                size: size,
                digest: Hex.string(hasher.finalize())
            )
        )
    }

    private func nextLine(_ reader: NDJSONReader, _ path: String) throws -> NDJSONLine? {
        do { return try reader.next() } catch {
            throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
        }
    }

    /// Indexes a prompt version whose record passed ``LineAnalyzer``; a second version with the same id is
    /// a problem.
    private func acceptPromptVersion(_ facts: PromptVersionFacts) -> [RecordIssue] {
        if let existing = index[facts.promptVersionID] {
            return [
                LineAnalyzer.problem(
                    "/prompt_version_id",
                    "duplicates version \(existing.version) of \(existing.projectID)"
                )
            ]
        }
        index[facts.promptVersionID] = facts
        page.add(facts)
        resolver.add(facts.reference)
        tally.promptVersions += 1
        tally.versionNumbers[facts.promptVersionID] = facts.version
        return []
    }

    /// Spools the lineage line of a trace whose record passed ``LineAnalyzer``.
    private func acceptTrace(_ facts: TraceFacts, file: String, line: Int) -> [RecordIssue] {
        let resolution = resolver.resolve(projectID: facts.projectID, promptVersionID: facts.promptVersionID)
        let record = LineageRecord(trace: facts, resolution: resolution, file: file, line: line)
        do { try lineage.appendLine(record.json.serialized()) } catch {
            return [LineAnalyzer.problem("", "could not spool lineage: \(error)")]
        }
        tally.noteTrace(record, createdAt: facts.createdAt)
        page.add(facts, day: AuditPageData.day(ofTraceFile: file), status: record.status)
        return []
    }

    /// Whether a trace lies in its project's window (a trace whose project has none is kept).
    private func isInWindow(_ facts: TraceFacts) -> Bool {
        guard let window = windows[facts.projectID] else { return true }
        guard let created = Timestamp(facts.createdAt) else { return true }
        return (window.since.map { $0 <= created } ?? true) && (window.until.map { created < $0 } ?? true)
    }

    /// Each project's window: `--since` (or none) to the earlier of `--until` and the project's trace
    /// high-water mark; `--until` past a high-water mark is refused, since the archive could not hold
    /// that window in full.
    private static func windows(
        descriptor: Descriptor,
        options: ArchiveBuildOptions
    ) throws -> [String: (since: Timestamp?, until: Timestamp?)] {
        if let since = options.since, let until = options.until, !(since < until) {
            throw AuditError.invalidOption("--since \(since) is not before --until \(until)")
        }
        var result: [String: (since: Timestamp?, until: Timestamp?)] = [:]
        for project in descriptor.projects {
            let mark = descriptor.highWaterMarks[project]
            if let until = options.until {
                guard let mark, !(mark < until) else {
                    throw AuditError.invalidOption(
                        "--until \(until) is after what the last pull of \(project) holds in full ("
                            + (mark.map { "its trace high-water mark is \($0)" } ?? "state.json records no pull")
                            + ")"
                    )
                }
            }
            result[project] = (options.since, options.until ?? mark)
        }
        return result
    }

    // MARK: Quarantine

    private func quarantineRecord(
        _ payload: JSONValue,
        problems: [RecordIssue],
        project: String,
        stream: String
    ) throws {
        let key = "\(project)/\(stream)"
        let spool: HashingFile
        if let existing = quarantine[key] {
            spool = existing
        } else {
            spool = try HashingFile(path: staging + "/quarantine-\(quarantine.count).jsonl")
            quarantine[key] = spool
        }
        let record = QuarantineRecord(
            project: project,
            stream: stream,
            receivedAt: receivedAt,
            issues: problems,
            payload: payload
        )
        try spool.appendLine(record.bytes)
        tally.quarantined += 1
    }

    /// Writes each `data/quarantine/<project>/<stream>.jsonl`: the workspace's quarantine lines, then the
    /// records quarantined while archiving.
    private func mergeQuarantine(workspaceFiles: [WorkspaceFile], in workspaceReader: WorkspaceReader) throws {
        var keys = Set(quarantine.keys)
        var carried: [String: WorkspaceFile] = [:]
        for file in workspaceFiles {
            let key = "\(file.project)/\(file.member ?? "")"
            keys.insert(key)
            carried[key] = file
        }
        for key in keys.sorted() {
            let merged = try HashingFile(path: staging + "/merged-\(plans.count).jsonl")
            let relative = "quarantine/\(key).jsonl"
            var number = 0
            let note = { (bytes: [UInt8]) in
                number += 1
                self.page.addQuarantined(file: "data/" + relative, line: number, record: try? JSONParser().parse(bytes))
            }
            if let file = carried[key] {
                let path = workspaceReader.path(of: file)
                let reader: NDJSONReader
                do { reader = try workspaceReader.lineReader(file) } catch {
                    throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
                }
                defer { reader.close() }
                while let line = try nextLine(reader, path) {
                    try merged.appendLine(line.bytes)
                    note(line.bytes)
                    tally.carriedQuarantine += 1
                }
            }
            if let spool = quarantine[key] {
                _ = try spool.finish()
                let reader = try NDJSONReader(path: spool.path)
                defer { reader.close() }
                while let line = try nextLine(reader, spool.path) {
                    try merged.appendLine(line.bytes)
                    note(line.bytes)
                }
            }
            plans.append(try staged(merged, as: "data/" + relative))
        }
    }

    private func staged(_ file: HashingFile, as archivePath: String) throws -> PayloadPlan {
        let digest = try file.finish()
        return PayloadPlan(archivePath: archivePath, source: .staged(file.path), size: file.size, digest: digest)
    }

    // MARK: Tag files

    private func bagInfo(descriptor: Descriptor, oxum: PayloadOxum) -> BagInfo {
        var info = BagInfo()
        info.append("Bag-Software-Agent", "PromptTrail trail-archive \(BagLayout.toolVersion)")
        info.append("Bagging-Date", baggingDate(descriptor: descriptor))
        info.append("Payload-Oxum", oxum.description)
        info.append(
            "External-Description",
            "PromptTrail audit archive: prompt versions, model traces and their lineage"
        )
        info.append("PromptTrail-Archive-Format-Version", String(BagLayout.formatVersion))
        info.append("PromptTrail-Tool-Version", BagLayout.toolVersion)
        info.append("PromptTrail-Source", descriptor.source)
        info.append("PromptTrail-Base-URL", descriptor.baseURL)
        for project in descriptor.projects { info.append("PromptTrail-Project-ID", project) }
        if let earliest = tally.earliest, let latest = tally.latest {
            info.append("PromptTrail-Time-Range-Start", earliest.text)
            info.append("PromptTrail-Time-Range-End", latest.text)
        }
        info.append("PromptTrail-Prompt-Versions", String(tally.promptVersions))
        info.append("PromptTrail-Traces", String(tally.traces))
        info.append("PromptTrail-Linked-Traces", String(tally.linked))
        info.append("PromptTrail-Unlinked-Traces", String(tally.unlinked))
        info.append("PromptTrail-Dangling-Traces", String(tally.dangling))
        info.append("PromptTrail-Never-Observed-Traces", String(tally.neverObserved))
        info.append("PromptTrail-Activations", String(tally.activations))
        info.append("PromptTrail-Quarantined-Records", String(tally.quarantined + tally.carriedQuarantine))
        return info
    }

    /// The reference instant of the archive: `--bagging-date`, else the workspace's last pull
    /// (`state.json` `updated_at`), else its creation (`workspace.json` `created_at`).
    private func referenceText(descriptor: Descriptor) -> String {
        if let date = options.baggingDate { return date + "T00:00:00Z" }
        return descriptor.stateUpdatedAt ?? descriptor.createdAt
    }

    private func baggingDate(descriptor: Descriptor) -> String {
        options.baggingDate ?? RFC3339Timestamp.utcDay(referenceText(descriptor: descriptor)) ?? "1970-01-01"
    }

    private func referenceTime(descriptor: Descriptor) throws -> Int64 {
        guard let seconds = RFC3339Timestamp.epochSeconds(referenceText(descriptor: descriptor)) else {
            throw AuditError.invalidOption("bagging date \(options.baggingDate ?? "") is not YYYY-MM-DD")
        }
        return max(0, seconds)
    }

    // MARK: Pass 2 helpers

    private func write(
        _ plan: PayloadPlan,
        to writer: ArchiveWriter,
        modificationTime: Int64,
        buffer: inout [UInt8]
    ) throws {
        try writer.beginEntry(ArchiveEntry(path: plan.archivePath, size: plan.size, modificationTime: modificationTime))
        var hasher = SHA256()
        var written: Int64 = 0
        switch plan.source {
        case .raw(let path), .staged(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw AuditError.workspaceChanged(path: path) }
            defer { try? handle.close() }
            while written < plan.size {
                let want = Int(min(Int64(buffer.count), plan.size - written))
                let chunk = try handle.read(upToCount: want) ?? Data()
                guard !chunk.isEmpty else { throw AuditError.workspaceChanged(path: path) }
                hasher.update(data: chunk)
                try chunk.withUnsafeBytes { try writer.write($0) }
                written += Int64(chunk.count)
            }
        case .filtered(let path, let rejected):
            let reader = try NDJSONReader(path: path, options: NDJSONReader.Options(blankLines: .skip))
            defer { reader.close() }
            var pending = 0
            func flush() throws {
                guard pending > 0 else { return }
                guard written + Int64(pending) <= plan.size else { throw AuditError.workspaceChanged(path: path) }
                try buffer.withUnsafeBytes { bytes in
                    let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<pending])
                    hasher.update(bufferPointer: chunk)
                    try writer.write(chunk)
                }
                written += Int64(pending)
                pending = 0
            }
            while let line = try nextLine(reader, path) {
                if rejected.contains(line.number) { continue }
                if pending + line.bytes.count + 1 > buffer.count {
                    try flush()
                    if line.bytes.count + 1 > buffer.count {
                        buffer = [UInt8](repeating: 0, count: line.bytes.count + 1)
                    }
                }
                buffer.withUnsafeMutableBytes { bytes in
                    line.bytes.withUnsafeBytes { source in
                        (bytes.baseAddress! + pending).copyMemory(from: source.baseAddress!, byteCount: source.count)
                    }
                    bytes[pending + line.bytes.count] = 0x0A
                }
                pending += line.bytes.count + 1
            }
            try flush()
            if written != plan.size { throw AuditError.workspaceChanged(path: path) }
        }
        guard Hex.string(hasher.finalize()) == plan.digest else {
            throw AuditError.workspaceChanged(path: plan.archivePath)
        }
    }

    private static func makeStagingDirectory(beside output: String) throws -> String {
        let slash = output.lastIndex(of: "/")
        let directory = slash.map { String(output[...$0]) } ?? ""
        let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
        let path =
            "\(directory).\(name).staging-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw AuditError.fileSystem(operation: "create staging directory", path: path, message: "\(error)")
        }
        return path
    }
}
