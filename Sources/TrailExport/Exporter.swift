public import TrailArchive
public import TrailAudit
import TrailJSON
import TrailModel

/// What an export run did.
public struct ExportSummary: Sendable, Hashable {
    /// Rows written per table name, for the projects and partitions of this run.
    public var rows: [String: Int] = [:]
    /// Data files written because they are new or their content changed.
    public var filesWritten = 0
    /// Data files left in place because their content is unchanged.
    public var filesUnchanged = 0
    /// Data files removed because the source no longer has rows for them.
    public var filesRemoved = 0
}

/// Exports a PromptTrail workspace or audit archive as partitioned, typed tables (`prompt_versions`,
/// `traces`, `lineage`).
///
/// Traces are streamed: one partition file pair (traces and lineage) is open at a time, and each holds at
/// most one row group in memory. Files are written beside their final path and renamed into place only
/// when complete, and only when their content differs from the file already there; `_manifest.json` is
/// replaced last, atomically.
public struct Exporter: Sendable {
    /// The options of this exporter.
    public var options: ExportOptions
    /// Receives where the run is, for a progress display (a source file and the records read so far);
    /// `nil` reports nothing. The archive's verification reports through its own options.
    public var progress: (@Sendable (ExportProgress) -> Void)?

    /// Creates an exporter.
    ///
    /// - Parameter options: what to export and how.
    public init(options: ExportOptions) {
        self.options = options
    }

    /// Exports a workspace into `directory`.
    ///
    /// - Parameters:
    ///   - workspace: the workspace directory.
    ///   - directory: the export directory (created when missing).
    /// - Returns: what was written.
    /// - Throws: ``ExportError`` for an unreadable source, an invalid record, an incompatible output
    ///   directory or an I/O failure.
    public func export(workspace: String, to directory: String) throws -> ExportSummary {
        try export(from: try WorkspaceSource(path: workspace), to: directory)
    }

    /// Exports an audit archive written by `trail-archive` into `directory`, without extracting it.
    ///
    /// The archive is verified first (checksums, signature, records, lineage) unless `verification` is
    /// `nil`; then its prompt versions and traces are streamed from the archive, and the dataset is the
    /// one that exporting the archived workspace gives, byte for byte.
    ///
    /// - Parameters:
    ///   - archive: the archive file (`.tar.zst`, `.tar.gz`, `.tar.xz` or `.zip`).
    ///   - directory: the export directory (created when missing).
    ///   - verification: how to verify the archive first, or `nil` to skip verification; its limits also
    ///     bound the export's own read.
    /// - Returns: what was written.
    /// - Throws: ``ExportError/archiveNotIntact(path:problems:first:)`` when verification fails, otherwise
    ///   as ``export(workspace:to:)``.
    public func export(
        archive: String,
        to directory: String,
        verification: VerificationOptions? = VerificationOptions()
    ) throws -> ExportSummary {
        let file: ArchiveFile
        do {
            file = try ArchiveFile(path: archive)
        } catch {
            throw ExportError.invalidSource(path: archive, message: "\(error)")
        }
        return try export(archive: file, to: directory, verification: verification)
    }

    /// Exports an opened audit archive into `directory`, as ``export(archive:to:verification:)`` does.
    ///
    /// Verification and export read the one descriptor: the file exported is the file verified, even if
    /// its path is replaced in between, and every entry exported is hashed again against its verified digest.
    ///
    /// - Parameters:
    ///   - file: the archive, opened once.
    ///   - directory: the export directory (created when missing).
    ///   - verification: how to verify the archive first, or `nil` to skip verification.
    /// - Returns: what was written.
    /// - Throws: as ``export(archive:to:verification:)``.
    public func export(
        archive file: ArchiveFile,
        to directory: String,
        verification: VerificationOptions? = VerificationOptions()
    ) throws -> ExportSummary {
        let archive = file.path
        var digests: [String: String]?
        if let verification {
            let report: VerificationReport
            do {
                let verified = try ArchiveVerifier.verify(file: file, options: verification)
                report = verified.report
                digests = verified.digests
            } catch let error as AuditError {
                throw ExportError.invalidSource(path: archive, message: "\(error)")
            } catch let error as ArchiveError {
                throw ExportError.invalidSource(path: archive, message: "\(error)")
            }
            guard report.isIntact else {
                throw ExportError.archiveNotIntact(
                    path: archive,
                    problems: report.findingCount,
                    first: report.findings.prefix(3).map { "[\($0.check.rawValue)] \($0.location): \($0.message)" }
                )
            }
        }
        let source = try ArchiveSource(file: file, limits: verification?.limits ?? .default, digests: digests)
        return try export(from: source, to: directory)
    }

    /// Streams a source into the tables: prompt versions first (they fill the lineage resolver), then the
    /// traces, one partition file pair (traces and lineage of one project) open at a time.
    private func export(from source: some ExportSource, to directory: String) throws -> ExportSummary {
        let run = try Run(options: options, directory: directory)
        var pass = SourcePass(run: run, projects: Set(try selectProjects(available: source.projects)))
        pass.progress = progress
        try source.forEachFile { file, lines in
            guard pass.projects.contains(file.project) else { return }
            progress?(ExportProgress(path: file.displayName, records: pass.recordsRead))
            switch file.content {
            case .promptVersions: try pass.promptVersions(file, lines)
            case .traces(let day): try pass.traces(file, day: day, lines)
            case .activations: try pass.activations(file, lines)
            }
        }
        return try pass.finish()
    }

    private func selectProjects(available: [String]) throws -> [String] {
        guard !options.projects.isEmpty else { return available }
        let unknown = options.projects.filter { !available.contains($0) }
        guard unknown.isEmpty else {
            throw ExportError.invalidOptions(
                message:
                    "the source has no project \(unknown.joined(separator: ", ")); it has \(available.joined(separator: ", "))"
            )
        }
        return Array(Set(options.projects)).sorted()
    }
}

/// One forward pass over a source's files: the lineage resolver, filled by the prompt versions, and the
/// partition whose traces and lineage files are open.
private struct SourcePass {
    var run: Run
    /// The projects this run writes.
    let projects: Set<String>
    var resolver = LineageResolver()
    var open: PartitionPair?
    var completed: Set<PartitionKey> = []
    /// Trace lines read so far, for ``progress``.
    var recordsRead = 0
    var progress: (@Sendable (ExportProgress) -> Void)?

    init(run: Run, projects: Set<String>) {
        self.run = run
        self.projects = projects
    }

    /// Tells the resolver which versions pulls observed, from a project's activation history, so that the
    /// lineage tells "never observed" from "missing" as the archive's does.
    mutating func activations(_ file: SourceFile, _ lines: (LineVisitor) throws -> Void) throws {
        let project = file.project
        var resolver = self.resolver
        var rows: [(prompt: String, values: [ExportValue])] = []
        try lines { number, line in
            guard let value = try? JSONParser().parse(line), value["record_type"]?.stringValue == "prompt_activation",
                value["project_id"]?.stringValue == project
            else {
                throw ExportError.invalidRecord(
                    file: file.displayName,
                    line: number,
                    message: "not a prompt_activation record of project \(project)"
                )
            }
            resolver.observe(projectID: project, promptVersionID: value["prompt_version_id"]?.stringValue)
            func text(_ name: String) -> ExportValue { value[name]?.stringValue.map { .string($0) } ?? .null }
            func time(_ name: String) throws -> ExportValue {
                guard let member = value[name], let text = member.stringValue else { return .null }
                guard let micros = RFC3339Timestamp.parse(text.utf8) else {
                    throw ExportError.invalidRecord(
                        file: file.displayName,
                        line: number,
                        message: "\(name) is not an RFC 3339 date-time: \(text)"
                    )
                }
                return .timestamp(micros)
            }
            let metadata = value["metadata"].flatMap { $0.objectValue == nil ? nil : $0.serializedString() }
            rows.append(
                (
                    value["prompt_id"]?.stringValue ?? "",
                    [
                        .string(project), text("source"), text("prompt_id"), text("prompt_key"),
                        text("prompt_version_id"),
                        value["version"]?.int64Value.map { .integer($0) } ?? .null, try time("observed_at"),
                        try time("previously_observed_at"), .null, text("upstream_updated_at"),
                        metadata.map { .string($0) } ?? .null,
                    ]
                )
            )
        }
        self.resolver = resolver
        // live_until: the observation time of the same prompt's next row.
        var next: [String: ExportValue] = [:]
        for index in rows.indices.reversed() {
            rows[index].values[8] = next[rows[index].prompt] ?? .null
            next[rows[index].prompt] = rows[index].values[6]
        }
        let writer = try run.makeWriter(table: .promptActivations, folder: nil, project: project)
        for row in rows { try writer.append(row.values) }
        try run.complete(writer, table: .promptActivations, folder: nil, project: project)
    }

    /// Writes a project's `prompt_versions` file and adds its versions to the resolver.
    mutating func promptVersions(_ file: SourceFile, _ lines: (LineVisitor) throws -> Void) throws {
        try Task.checkCancellation()
        guard open == nil, completed.isEmpty else {
            throw ExportError.invalidSource(
                path: file.displayName,
                message: "prompt versions come after traces; the source is not in PromptTrail's order"
            )
        }
        let project = file.project
        let writer = try run.makeWriter(table: .promptVersions, folder: nil, project: project)
        try lines { number, line in
            let record: PromptVersionRecord
            do throws(ScanFailure) {
                record = try PromptVersionRecord(line: line)
            } catch {
                throw ExportError.invalidRecord(file: file.displayName, line: number, message: error.message)
            }
            guard record.reference.projectID == project else {
                throw ExportError.invalidRecord(
                    file: file.displayName,
                    line: number,
                    message: "project_id is not \(project)"
                )
            }
            resolver.add(record.reference)
            try writer.append(record.row)
        }
        try run.complete(writer, table: .promptVersions, folder: nil, project: project)
    }

    /// Appends a day file's traces and their lineage to the files of its partition, when the partition is
    /// in the window; the previous partition's files are completed when a new one starts.
    mutating func traces(_ file: SourceFile, day: String, _ lines: (LineVisitor) throws -> Void) throws {
        try Task.checkCancellation()
        let options = run.options
        let folder = options.partitioning.folder(forDay: day)
        guard options.includes(folder: folder) else { return }
        let project = file.project
        let key = PartitionKey(folder: folder, project: project)
        if open?.key != key {
            if let pair = open {
                try run.complete(pair)
                completed.insert(pair.key)
            }
            guard !completed.contains(key) else {
                throw ExportError.invalidSource(
                    path: file.displayName,
                    message: "the day files of a partition are not together; the source is not in PromptTrail's order"
                )
            }
            open = try run.makePair(key)
        }
        guard let pair = open else { return }
        let validatesJSON = options.validatesJSON
        // A copy for the closure; what it keeps of its recent resolutions serves this file.
        var resolver = self.resolver
        let progress = self.progress
        let recordsBefore = recordsRead
        var lastLine = 0
        defer { recordsRead = recordsBefore + lastLine }
        try lines { number, line in
            lastLine = number
            if number % 1024 == 0 {
                try Task.checkCancellation()
                if number % 8192 == 0 {
                    progress?(ExportProgress(path: file.displayName, records: recordsBefore + number))
                }
            }
            let record: TraceRecord
            do throws(ScanFailure) {
                record = try TraceRecord(line: line, validatesJSON: validatesJSON)
            } catch {
                throw ExportError.invalidRecord(file: file.displayName, line: number, message: error.message)
            }
            guard record.projectID == project, RFC3339Timestamp.day(record.createdAt) == day else {
                throw ExportError.invalidRecord(
                    file: file.displayName,
                    line: number,
                    message: "the trace belongs to another project or day file"
                )
            }
            try pair.traces.append(record.row)
            let resolution = resolver.resolve(projectID: project, promptVersionID: record.promptVersionID)
            try pair.lineage.append(record.lineageRow(resolution: resolution, file: file.path, line: number))
        }
    }

    /// Completes the last partition, then the run.
    mutating func finish() throws -> ExportSummary {
        try Task.checkCancellation()
        if let pair = open { try run.complete(pair) }
        open = nil
        return try run.finish(projects: projects)
    }
}

/// One partition of one project: a `traces` file and its `lineage` file.
private struct PartitionKey: Hashable {
    var folder: String?
    var project: String
}

/// The open writers of one partition of one project.
private struct PartitionPair {
    var key: PartitionKey
    var traces: any TableFileWriter
    var lineage: any TableFileWriter
}

/// The state of one export run: the manifest being rebuilt and the files produced.
private struct Run {
    let options: ExportOptions
    let directory: String
    var manifest: ExportManifest
    var produced: Set<String> = []
    var summary = ExportSummary()

    init(options: ExportOptions, directory: String) throws {
        self.options = options
        self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        try FileSystem.createDirectories(self.directory)
        if let existing = try ExportManifest.read(directory: self.directory) {
            guard existing.fileFormat == options.format, existing.partitioning == options.partitioning else {
                throw ExportError.incompatibleOutput(
                    path: self.directory,
                    message:
                        "it was exported as \(existing.fileFormat.rawValue) partitioned by \(existing.partitioning.rawValue); "
                        + "use the same --format and --partition, or another directory"
                )
            }
            manifest = existing
        } else {
            manifest = ExportManifest(fileFormat: options.format, partitioning: options.partitioning)
        }
    }

    func relativePath(table: TableDefinition, folder: String?, project: String) -> String {
        let name = "part-\(project)-00000.\(options.fileExtension)"
        return [table.name, folder, name].compactMap { $0 }.joined(separator: "/")
    }

    func makeWriter(table: TableDefinition, folder: String?, project: String) throws -> any TableFileWriter {
        let path = directory + "/" + relativePath(table: table, folder: folder, project: project)
        switch options.format {
        case .parquet: return try ParquetFileWriter(table: table, path: path, settings: options.writer)
        case .ndjson: return try NDJSONFileWriter(table: table, path: path, settings: options.writer)
        case .csv: return try CSVFileWriter(table: table, path: path, settings: options.writer)
        }
    }

    /// Opens the traces and lineage files of one partition of one project.
    func makePair(_ key: PartitionKey) throws -> PartitionPair {
        PartitionPair(
            key: key,
            traces: try makeWriter(table: .traces, folder: key.folder, project: key.project),
            lineage: try makeWriter(table: .lineage, folder: key.folder, project: key.project)
        )
    }

    /// Finishes the traces and lineage files of a partition.
    mutating func complete(_ pair: PartitionPair) throws {
        try complete(pair.traces, table: .traces, folder: pair.key.folder, project: pair.key.project)
        try complete(pair.lineage, table: .lineage, folder: pair.key.folder, project: pair.key.project)
    }

    /// Finishes a file and moves it into place unless the same content is already there.
    mutating func complete(
        _ writer: any TableFileWriter,
        table: TableDefinition,
        folder: String?,
        project: String
    )
        throws
    {
        let file = try writer.finish()
        let relative = relativePath(table: table, folder: folder, project: project)
        guard writer.rowCount > 0 else {
            file.discard()
            return
        }
        let sha256 = file.sha256 ?? ""
        if let existing = manifest.entries[relative], existing.sha256 == sha256, existing.bytes == file.position,
            FileSystem.size(file.path) == file.position
        {
            file.discard()
            summary.filesUnchanged += 1
        } else {
            try file.commit()
            summary.filesWritten += 1
        }
        produced.insert(relative)
        summary.rows[table.name, default: 0] += writer.rowCount
        manifest.entries[relative] = ExportManifest.Entry(
            path: relative,
            table: table.name,
            partition: folder,
            projectID: project,
            rows: writer.rowCount,
            bytes: file.position,
            sha256: sha256
        )
    }

    /// Removes files of this run's scope that were not produced again, writes the schemas and the manifest.
    mutating func finish(projects: Set<String>) throws -> ExportSummary {
        for entry in manifest.entries.values {
            guard let project = entry.projectID, projects.contains(project), !produced.contains(entry.path),
                let table = TableDefinition.all.first(where: { $0.name == entry.table })
            else { continue }
            let inScope =
                !table.isPartitioned || options.partitioning == .none
                || entry.partition.map { options.includes(folder: $0) } ?? true
            guard inScope else { continue }
            try FileSystem.remove(directory + "/" + entry.path)
            manifest.entries[entry.path] = nil
            summary.filesRemoved += 1
        }
        for table in TableDefinition.all {
            let schemaFiles: [(String, [UInt8])] = [
                ("schema/\(table.name).bigquery.json", table.bigQuerySchema()),
                ("schema/\(table.name).sql", Array(table.createTableStatement(dialect: .duckDB).utf8)),
                ("schema/\(table.name).snowflake.sql", Array(table.createTableStatement(dialect: .snowflake).utf8)),
            ]
            for (relative, bytes) in schemaFiles {
                let (sha256, size) = try FileSystem.writeIfChanged(bytes, to: directory + "/" + relative)
                manifest.entries[relative] = ExportManifest.Entry(
                    path: relative,
                    table: table.name,
                    partition: nil,
                    projectID: nil,
                    rows: nil,
                    bytes: size,
                    sha256: sha256
                )
            }
        }
        try FileSystem.writeIfChanged(manifest.serialized(), to: directory + "/" + ExportManifest.fileName)
        return summary
    }
}

/// Where an export is, for a progress display.
public struct ExportProgress: Sendable {
    /// The source file (workspace path or archive entry) being read.
    public var path: String
    /// Trace lines read so far in this run.
    public var records: Int
}
