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
///    spooled for `data/quarantine/`. Each payload file's size and SHA-256 are computed as it will be
///    written, so the manifests, `Payload-Oxum` and `bag-info.txt` are complete before the archive starts.
///    For a `.tar.zst` archive each payload file's valid lines and `lineage.jsonl` are also compressed
///    there and then into zstd frames of their own, spooled to the staging directory.
/// 2. *Writing.* Tag files first, then the payload in sorted order (``BagLayout/orderKey(_:)``). For a
///    `.tar.zst` archive the frames spooled in pass 1 are joined in as they are
///    (``ArchiveWriter/writeSplicedEntry(_:frames:)``): the bytes archived are the bytes checked and
///    hashed. For the other containers workspace files are streamed again (from the page cache, in
///    practice) and hashed again; a file that changed in between stops the run with
///    ``AuditError/workspaceChanged(path:)``.
///
/// The output appears only when complete (``ArchiveWriter/write(to:format:compression:options:_:)``);
/// cancellation (Ctrl-C in the tool) or any error removes the temporary file and the staging directory.
public final class AuditArchiveBuilder {
    private let workspace: String
    private let output: String
    private let options: ArchiveBuildOptions
    private let reader: WorkspaceReader
    private let description: WorkspaceDescription
    private let windows: TraceWindows
    private let quarantine: QuarantineSpool
    private var tally = ArchiveTally()
    /// What `report.html` shows.
    private var page = AuditPageData()
    /// Traces left out because they lie outside their project's window.
    private var outsideWindow = 0
    /// Prompt versions by id, across projects: ids must be unique, and the report lists version numbers.
    private var index: [String: PromptVersionFacts] = [:]
    private var resolver = LineageResolver()
    private var plans: [PayloadPlan] = []
    private var lineage: HashingFile
    /// Each workspace file's valid lines, hashed and (for a `.tar.zst` archive) compressed as they are taken.
    private var payload: HashingFile
    /// The payload files of pass 1, planned once ``payload`` is finished.
    private var payloadFiles: [(file: FileAnalysis, entry: Int)] = []
    /// The in-process zstd compression of a `.tar.zst` archive, or `nil` for the other containers.
    private let splicing: SplicingZstd?
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

    /// Opens the workspace and reads what the archive says about it; nothing is analysed yet.
    private init(workspace: String, output: String, options: ArchiveBuildOptions, staging: String) throws {
        for kind in RecordKind.required(formatVersion: BagLayout.formatVersion)
        where !options.schemas.contains(id: kind.schemaID) {
            throw AuditError.invalidOption("schema \(kind.schemaID) is not bundled with this build")
        }
        self.workspace = workspace.hasSuffix("/") ? String(workspace.dropLast()) : workspace
        self.output = output
        self.options = options
        do { reader = try WorkspaceReader(root: self.workspace) } catch {
            throw AuditError.invalidWorkspace(path: self.workspace, message: "\(error)")
        }
        description = try WorkspaceDescription(reader, validator: options.schemas.validator)
        windows = try TraceWindows(since: options.since, until: options.until, description: description)
        quarantine = QuarantineSpool(staging: staging, receivedAt: description.receivedAt)
        splicing =
            options.format == .tar && options.compression == .zstd
            ? SplicingZstd(level: options.level ?? 3, threads: options.threads) : nil
        if let splicing {
            lineage = try HashingFile(.frames(staging + "/lineage.jsonl.zst", splicing))
            payload = try HashingFile(.frames(staging + "/payload.zst", splicing))
        } else {
            lineage = try HashingFile(path: staging + "/lineage.jsonl")
            payload = try HashingFile(.none)
        }
        plans = description.plans
        if !description.stateProblems.isEmpty {
            tally.noteFailure(file: BagLayout.state, line: 1, problems: description.stateProblems)
        }
    }

    // MARK: Pass 1: analysis

    private func run() throws -> ArchiveBuildSummary {
        let prompts = try listFiles(.prompts)
        let traces = try listFiles(.traces)
        let quarantined = try listFiles(.quarantine)
        let activations = try listFiles(.activations)

        // Activations before the traces: the versions pulls observed tell "never observed" from "missing".
        try analyze(
            prompts.map { ($0, .promptVersion) } + activations.map { ($0, .activation) } + traces.map { ($0, .trace) }
        )
        try payload.finish()
        for (file, entry) in payloadFiles { plan(file, payload.entry(entry)) }
        payloadFiles = []
        let spooled = try lineage.finish()
        plans.append(
            PayloadPlan(
                archivePath: BagLayout.lineage,
                source: spooled.frames.map { .spliced($0.spool, $0.entry) } ?? .staged(lineage.path!),
                size: spooled.size,
                digest: spooled.digest
            )
        )
        plans += try quarantine.merge(workspaceFiles: quarantined, in: reader) { file, line, bytes in
            page.addQuarantined(file: file, line: line, record: try? JSONParser().parse(bytes))
        }
        tally.quarantined = quarantine.added
        tally.carriedQuarantine = quarantine.carried

        if options.failOnInvalid, tally.failures > 0, let first = tally.failureSample.first {
            throw AuditError.invalidRecords(
                count: tally.failures,
                firstProblem:
                    "\(first.file):\(first.line): \(first.problems.map(\.description).joined(separator: "; "))"
            )
        }
        plans.sort { BagLayout.precedes($0.archivePath, $1.archivePath) }

        // MARK: Tag files
        let tags = try ArchiveTagFiles(
            plans: plans,
            description: description,
            windows: windows,
            tally: tally,
            page: page,
            versions: index,
            options: options
        )

        // MARK: Pass 2: writing
        let modificationTime = try description.referenceTime(baggingDate: options.baggingDate)
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
            parallelGzip: parallelGzip,
            splicingZstd: splicing
        ) { writer in
            for tag in tags.files {
                try writer.writeFile(
                    ArchiveEntry(path: tag.path, modificationTime: modificationTime),
                    contents: tag.bytes
                )
            }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            for plan in plans {
                try Task.checkCancellation()
                options.progress?(AuditProgress(phase: .writing, path: plan.archivePath, records: checkedRecords))
                try plan.write(to: writer, modificationTime: modificationTime, buffer: &buffer)
            }
        }
        if let bundle = tags.bundle, let path = options.attestationOutput {
            do { try AtomicFile.write(bundle.bytes, to: path) } catch {
                throw AuditError.fileSystem(operation: "write", path: path, message: "\(error)")
            }
        }
        return ArchiveBuildSummary(
            output: output,
            payloadOxum: tags.oxum,
            tally: tally,
            signingKeyFingerprint: options.signingKey?.publicKey.fingerprint
                ?? options.effectiveAttestationSigner?.keyID
        )
    }

    /// The workspace's files of one kind, as the reader lists them.
    private func listFiles(_ kind: WorkspaceFile.Kind) throws -> [WorkspaceFile] {
        do { return try reader.files(kind) } catch {
            throw AuditError.fileSystem(operation: "list", path: workspace + "/" + kind.folder, message: "\(error)")
        }
    }

    /// One prompts, activations or traces file being analysed: what the calling thread keeps about it while its
    /// lines are checked.
    private final class FileAnalysis {
        let path: String
        let relative: String
        let archivePath: String
        let project: String
        let stream: String
        let pageDay: String
        var accepted = 0
        var rejected: Set<Int> = []
        var pristine = true

        init(path: String, file: WorkspaceFile, kind: RecordKind) {
            self.path = path
            relative = file.relativePath
            archivePath = "data/" + relative
            project = file.project
            stream =
                switch kind {
                case .promptVersion: "prompts"
                case .activation: "activations"
                default: "traces"
                }
            pageDay = AuditPageData.day(ofTraceFile: archivePath)
        }
    }

    /// A piece of pass 1, in file order: a batch of lines of the file numbered `file`, or that file's end.
    private enum Work: Sendable {
        case lines(file: Int, LineAnalyzer, NDJSONBlock)
        case end(file: Int)
    }

    /// A piece of pass 1, analysed.
    private enum Analyzed: Sendable {
        case lines(file: Int, [AnalyzedLine])
        case end(file: Int)
    }

    /// Streams the prompts, activations and traces files, in this order: validates each record, quarantines the
    /// invalid ones, and plans the payload file made of each file's valid ones.
    ///
    /// Batches of lines are parsed, validated and hashed on ``ArchiveBuildOptions/jobs`` worker threads
    /// (``LineAnalyzer``), in one pipeline across files, so that the workers do not wait at the end of each;
    /// their outcomes are then taken in order on this thread, which keeps the prompt-version index, the
    /// lineage resolver, the lineage spool, the quarantine and the tally exactly as a sequential pass would.
    private func analyze(_ files: [(WorkspaceFile, RecordKind)]) throws {
        var next = 0
        var open: (number: Int, reader: NDJSONReader, analyzer: LineAnalyzer)?
        var analyses: [Int: FileAnalysis] = [:]
        defer { open?.reader.close() }
        /// The next batch of the open file, its end, or the first batch of the next file.
        func produce() throws -> Work? {
            while true {
                if let current = open {
                    let batch: NDJSONBlock
                    do { batch = try current.reader.nextBlock(maxBytes: 512 << 10, maxLines: 2048) } catch {
                        let path = analyses[current.number]?.path ?? "?"
                        throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
                    }
                    if !batch.isEmpty { return .lines(file: current.number, current.analyzer, batch) }
                    current.reader.close()
                    open = nil
                    return .end(file: current.number)
                }
                guard next < files.count else { return nil }
                let (file, kind) = files[next]
                let analysis = FileAnalysis(path: reader.path(of: file), file: file, kind: kind)
                let lineReader: NDJSONReader
                do { lineReader = try reader.lineReader(file, blankLines: .report) } catch {
                    throw AuditError.fileSystem(operation: "read", path: analysis.path, message: "\(error)")
                }
                options.progress?(AuditProgress(phase: .checking, path: analysis.relative, records: checkedRecords))
                analyses[next] = analysis
                let day = kind == .trace ? file.member ?? "" : ""
                let analyzer = LineAnalyzer(
                    kind: kind,
                    project: file.project,
                    day: day,
                    validator: options.schemas.validator
                )
                open = (next, lineReader, analyzer)
                next += 1
            }
        }
        try OrderedParallelMap.run(
            workers: options.jobs,
            maxInFlight: 8 * options.jobs,
            produce: produce,
            transform: { (work: Work) -> Analyzed in
                switch work {
                case .lines(let file, let analyzer, let batch): .lines(file: file, analyzer.analyze(batch))
                case .end(let file): .end(file: file)
                }
            },
            consume: { (analyzed: Analyzed) in
                switch analyzed {
                case .lines(let file, let lines):
                    try take(lines, of: analyses[file]!)
                case .end(let file):
                    try finish(analyses.removeValue(forKey: file)!)
                }
            }
        )
    }

    /// Takes the analysed lines of one file, in order.
    private func take(_ lines: [AnalyzedLine], of file: FileAnalysis) throws {
        for line in lines {
            if line.number % 4096 == 0 {
                try Task.checkCancellation()
                options.progress?(AuditProgress(phase: .checking, path: file.relative, records: checkedRecords))
            }
            checkedRecords += 1
            if line.isBlank {
                file.pristine = false
                continue
            }
            var problems = line.problems
            if problems.isEmpty, let facts = line.promptVersion {
                problems = acceptPromptVersion(facts)
            } else if problems.isEmpty, let facts = line.activation {
                resolver.observe(projectID: file.project, promptVersionID: facts.promptVersionID)
                page.add(facts)
                tally.activations += 1
            } else if problems.isEmpty, let facts = line.trace {
                guard windows.contains(facts) else {
                    // Outside the window the archive claims: left out, not quarantined.
                    file.rejected.insert(line.number)
                    file.pristine = false
                    outsideWindow += 1
                    continue
                }
                problems = acceptTrace(facts, file: file.archivePath, day: file.pageDay, line: file.accepted + 1)
            }
            guard problems.isEmpty else {
                let value = line.value ?? LineAnalyzer.record(line.bytes)
                file.rejected.insert(line.number)
                file.pristine = false
                tally.noteFailure(file: file.relative, line: line.number, problems: problems)
                try quarantine.add(
                    value,
                    problems: problems,
                    project: value["project_id"]?.stringValue ?? file.project,
                    stream: file.stream
                )
                continue
            }
            file.accepted += 1
            try payload.appendLine(line.bytes)
        }
    }

    /// Ends the payload file made of a file's valid records, once all its lines are taken.
    private func finish(_ file: FileAnalysis) throws {
        let entry = try payload.endEntry()
        if file.accepted > 0 { payloadFiles.append((file, entry)) }
    }

    /// Plans the payload file made of a file's valid records.
    private func plan(_ file: FileAnalysis, _ entry: HashingFile.Entry) {
        let source: PayloadPlan.Source
        if let frames = entry.frames {
            source = .spliced(frames.spool, frames.entry)
        } else if file.pristine,
            (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int64) == entry.size
        {
            source = .raw(file.path)
        } else {
            source = .filtered(file.path, rejected: file.rejected)
        }
        plans.append(PayloadPlan(archivePath: file.archivePath, source: source, size: entry.size, digest: entry.digest))
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
    private func acceptTrace(_ facts: TraceFacts, file: String, day: String, line: Int) -> [RecordIssue] {
        let resolution = resolver.resolve(projectID: facts.projectID, promptVersionID: facts.promptVersionID)
        let record = LineageRecord(trace: facts, resolution: resolution, file: file, line: line)
        do { try lineage.appendLine(record.jsonLine) } catch {
            return [LineAnalyzer.problem("", "could not spool lineage: \(error)")]
        }
        tally.noteTrace(record, createdAt: facts.createdAt, created: Timestamp(facts.createdAt))
        page.add(facts, day: day, status: record.status)
        return []
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
