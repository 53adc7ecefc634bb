import TrailJSON

/// `_manifest.json`: every file of an export with its table, partition, project, row count, size and SHA-256.
///
/// It holds no timestamps, so that exporting the same data twice gives the same bytes; it is replaced
/// atomically after the data files are in place.
public struct ExportManifest: Sendable, Hashable {
    /// One file of the export.
    public struct Entry: Sendable, Hashable {
        /// The path relative to the export directory.
        public var path: String
        /// The table the file belongs to.
        public var table: String
        /// The partition folder (`dt=…`), or `nil`.
        public var partition: String?
        /// The project whose rows the file holds, or `nil` for schema files.
        public var projectID: String?
        /// Rows in the file, or `nil` for schema files.
        public var rows: Int?
        /// Size in bytes.
        public var bytes: Int64
        /// Lowercase hex SHA-256 of the file.
        public var sha256: String
    }

    /// The export's file format.
    public var fileFormat: ExportFormat
    /// The partitioning.
    public var partitioning: Partitioning
    /// The files, keyed by path.
    public var entries: [String: Entry]

    /// The manifest's file name.
    public static let fileName = "_manifest.json"

    init(fileFormat: ExportFormat, partitioning: Partitioning, entries: [String: Entry] = [:]) {
        self.fileFormat = fileFormat
        self.partitioning = partitioning
        self.entries = entries
    }

    /// Reads the manifest of an export directory.
    ///
    /// - Parameter directory: the export directory.
    /// - Returns: the manifest, or `nil` when the directory has none.
    /// - Throws: ``ExportError/incompatibleOutput(path:message:)`` for an unreadable manifest.
    public static func read(directory: String) throws -> ExportManifest? {
        let manifestPath = directory + "/" + fileName
        guard FileSystem.isFile(manifestPath) else { return nil }
        let document: JSONValue
        do {
            document = try JSONParser().parse(try FileSystem.read(manifestPath))
        } catch {
            throw ExportError.incompatibleOutput(path: manifestPath, message: "unreadable manifest: \(error)")
        }
        guard document["format"]?.stringValue == "prompttrail-export", document["format_version"]?.intValue == 1,
            let format = document["file_format"]?.stringValue.flatMap(ExportFormat.init(rawValue:)),
            let partitioning = document["partitioning"]?.stringValue.flatMap(Partitioning.init(rawValue:)),
            let files = document["files"]?.arrayValue
        else {
            throw ExportError.incompatibleOutput(path: manifestPath, message: "not a format-version-1 export manifest")
        }
        var manifest = ExportManifest(fileFormat: format, partitioning: partitioning)
        for (index, file) in files.enumerated() {
            guard let path = file["path"]?.stringValue, let table = file["table"]?.stringValue,
                let bytes = file["bytes"]?.int64Value, let sha256 = file["sha256"]?.stringValue
            else {
                // A manifest that forgets a file would let the next run leave that file behind unlisted.
                throw ExportError.incompatibleOutput(
                    path: manifestPath,
                    message: "/files/\(index) lacks path, table, bytes or sha256"
                )
            }
            manifest.entries[path] = Entry(
                path: path,
                table: table,
                partition: file["partition"]?.stringValue,
                projectID: file["project_id"]?.stringValue,
                rows: file["rows"]?.intValue,
                bytes: bytes,
                sha256: sha256
            )
        }
        return manifest
    }

    /// The manifest as pretty-printed JSON with files sorted by path.
    public func serialized() -> [UInt8] {
        let sorted = entries.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        var tables: [JSONValue] = []
        for table in TableDefinition.all {
            let files = sorted.filter { $0.table == table.name && $0.rows != nil }
            tables.append(
                .object(
                    JSONObject([
                        ("name", .string(table.name)),
                        ("files", .number(JSONNumber(files.count))),
                        ("rows", .number(JSONNumber(files.reduce(0) { $0 + ($1.rows ?? 0) }))),
                    ])
                )
            )
        }
        let files: [JSONValue] = sorted.map { entry in
            .object(
                JSONObject([
                    ("path", .string(entry.path)),
                    ("table", .string(entry.table)),
                    ("partition", entry.partition.map(JSONValue.string) ?? .null),
                    ("project_id", entry.projectID.map(JSONValue.string) ?? .null),
                    ("rows", entry.rows.map { .number(JSONNumber($0)) } ?? .null),
                    ("bytes", .number(JSONNumber(entry.bytes))),
                    ("sha256", .string(entry.sha256)),
                ])
            )
        }
        let document: JSONValue = .object(
            JSONObject([
                ("format", "prompttrail-export"),
                ("format_version", 1),
                ("file_format", .string(fileFormat.rawValue)),
                ("partitioning", .string(partitioning.rawValue)),
                ("tables", .array(tables)),
                ("files", .array(files)),
            ])
        )
        return document.serialized(pretty: true) + [0x0A]
    }
}
