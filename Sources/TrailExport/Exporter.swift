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

/// Exports a PromptTrail workspace as partitioned, typed tables (`prompt_versions`, `traces`, `lineage`).
///
/// Traces are streamed: one partition file pair (traces and lineage) is open at a time, and each holds at
/// most one row group in memory. Files are written beside their final path and renamed into place only
/// when complete, and only when their content differs from the file already there; `_manifest.json` is
/// replaced last, atomically.
public struct Exporter: Sendable {
    /// The options of this exporter.
    public var options: ExportOptions

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
        let source = try WorkspaceSource(path: workspace)
        var run = try Run(options: options, directory: directory)
        let projects = try selectProjects(available: source.projects)

        var resolver = LineageResolver()
        for project in projects {
            let file = source.promptsFile(project: project)
            let writer = try run.makeWriter(table: .promptVersions, folder: nil, project: project)
            try source.forEachLine(file) { number, line in
                let record: PromptVersionRecord
                do throws(ScanFailure) {
                    record = try PromptVersionRecord(line: line)
                } catch {
                    throw ExportError.invalidRecord(file: file, line: number, message: error.message)
                }
                guard record.reference.projectID == project else {
                    throw ExportError.invalidRecord(file: file, line: number, message: "project_id is not \(project)")
                }
                resolver.add(record.reference)
                try writer.append(record.row)
            }
            try run.complete(writer, table: .promptVersions, folder: nil, project: project)
        }

        // Partition folder → project → days, for the partitions of the window.
        var partitions: [String?: [String: [String]]] = [:]
        for project in projects {
            for day in try source.traceDays(project: project) {
                let folder = options.partitioning.folder(forDay: day)
                guard options.includes(folder: folder) else { continue }
                partitions[folder, default: [:]][project, default: []].append(day)
            }
        }
        run.partitionsInScope = Set(partitions.keys.compactMap { $0 })
        let validatesJSON = options.validatesJSON
        for folder in partitions.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
            for (project, days) in partitions[folder, default: [:]].sorted(by: { $0.key < $1.key }) {
                let traces = try run.makeWriter(table: .traces, folder: folder, project: project)
                let lineage = try run.makeWriter(table: .lineage, folder: folder, project: project)
                for day in days {
                    let file = source.traceFile(project: project, day: day)
                    try source.forEachLine(file) { number, line in
                        let record: TraceRecord
                        do throws(ScanFailure) {
                            record = try TraceRecord(line: line, validatesJSON: validatesJSON)
                        } catch {
                            throw ExportError.invalidRecord(file: file, line: number, message: error.message)
                        }
                        guard record.projectID == project, RFC3339Timestamp.day(record.createdAt) == day else {
                            throw ExportError.invalidRecord(
                                file: file,
                                line: number,
                                message: "the trace belongs to another project or day file"
                            )
                        }
                        try traces.append(record.row)
                        let resolution = resolver.resolve(projectID: project, promptVersionID: record.promptVersionID)
                        try lineage.append(record.lineageRow(resolution: resolution, file: file, line: number))
                    }
                }
                try run.complete(traces, table: .traces, folder: folder, project: project)
                try run.complete(lineage, table: .lineage, folder: folder, project: project)
            }
        }
        return try run.finish(projects: Set(projects))
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

/// The state of one export run: the manifest being rebuilt and the files produced.
private struct Run {
    let options: ExportOptions
    let directory: String
    var manifest: ExportManifest
    var produced: Set<String> = []
    var partitionsInScope: Set<String> = []
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
