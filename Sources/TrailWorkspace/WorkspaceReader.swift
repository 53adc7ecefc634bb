public import TrailJSON

/// Reads a workspace (docs/workspace-format.md) without changing it: its descriptor, its data files by
/// kind, and their lines and records, each with the file and line it came from.
///
/// This is the one reader of the workspace layout: the archive builder, the exporter and the emulator's
/// seeder all list and read files through it, so a change to the layout is made here once. It never
/// writes; ``Workspace`` is the writer.
public struct WorkspaceReader: Sendable {
    /// The workspace directory, without a trailing slash.
    public let root: String
    /// `workspace.json`.
    public let descriptor: WorkspaceDescriptor

    /// Opens the workspace at `root` for reading.
    ///
    /// - Parameter root: the directory holding `workspace.json`.
    /// - Throws: ``WorkspaceError/notAWorkspace(path:)`` without `workspace.json`;
    ///   ``WorkspaceError/corrupt(path:message:)`` when it is not a format-version-1 descriptor (a JSON error keeps its line and column);
    ///   ``WorkspaceError/io(operation:path:errno:)`` when it cannot be read.
    public init(root: String) throws {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        let path = self.root + "/workspace.json"
        guard let bytes = try AtomicFile.read(path) else {
            throw WorkspaceError.notAWorkspace(path: self.root)
        }
        descriptor = try WorkspaceDescriptor(bytes: bytes, path: path)
    }

    /// Whether `directory` holds a `workspace.json`.
    ///
    /// - Parameter directory: a directory.
    /// - Returns: `true` when the descriptor file exists.
    public static func isWorkspace(_ directory: String) -> Bool {
        (try? AtomicFile.read(directory + "/workspace.json")) != nil
    }

    /// The absolute path of a workspace file.
    ///
    /// - Parameter file: a file of this workspace.
    /// - Returns: `root/relativePath`.
    public func path(of file: WorkspaceFile) -> String {
        root + "/" + file.relativePath
    }

    /// `state.json`, the pull checkpoint, as stored.
    ///
    /// - Returns: its bytes, or `nil` when no pull has written one.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
    public func stateBytes() throws -> [UInt8]? {
        try AtomicFile.read(root + "/state.json")
    }

    /// The data files of one kind, in byte order of their relative paths (so a project's files are
    /// adjacent and its days ascend). Hidden files (a killed run's `.<name>.tmp`) are not listed.
    ///
    /// - Parameter kind: which files.
    /// - Returns: the files found; none when the kind's folder does not exist.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)`` when a folder cannot be listed.
    public func files(_ kind: WorkspaceFile.Kind) throws -> [WorkspaceFile] {
        let folder = root + "/" + kind.folder
        guard let names = try AtomicFile.listing(folder) else { return [] }
        var found: [WorkspaceFile] = []
        for name in names where !name.hasPrefix(".") {
            if kind.isNested {
                guard AtomicFile.isDirectory(folder + "/" + name),
                    let children = try AtomicFile.listing(folder + "/" + name)
                else { continue }
                for child in children where !child.hasPrefix(".") && child.hasSuffix(".jsonl") {
                    guard !AtomicFile.isDirectory(folder + "/" + name + "/" + child) else { continue }
                    found.append(WorkspaceFile(kind: kind, project: name, member: String(child.dropLast(6))))
                }
            } else if name.hasSuffix(".jsonl"), !AtomicFile.isDirectory(folder + "/" + name) {
                found.append(WorkspaceFile(kind: kind, project: String(name.dropLast(6)), member: nil))
            }
        }
        return found.sorted { Array($0.relativePath.utf8).lexicographicallyPrecedes(Array($1.relativePath.utf8)) }
    }

    /// Opens a file's lines for streaming.
    ///
    /// - Parameters:
    ///   - file: a file of this workspace.
    ///   - blankLines: whether blank lines are skipped or handed over.
    /// - Returns: a reader of the file's lines (1-based numbers); the caller closes it.
    /// - Throws: ``WorkspaceError/unreadable(path:message:)``.
    public func lineReader(
        _ file: WorkspaceFile,
        blankLines: NDJSONReader.BlankLinePolicy = .skip
    ) throws -> NDJSONReader {
        do {
            return try NDJSONReader(path: path(of: file), options: NDJSONReader.Options(blankLines: blankLines))
        } catch let error as JSONParseError {
            throw WorkspaceError(reading: path(of: file), error)
        }
    }

    /// Calls `body` with each non-blank line of a file.
    ///
    /// - Parameters:
    ///   - file: a file of this workspace.
    ///   - body: receives each line; its bytes stay valid after the call.
    /// - Throws: ``WorkspaceError`` when the file cannot be read, or what `body` throws.
    public func forEachLine(of file: WorkspaceFile, _ body: (WorkspaceLine) throws -> Void) throws {
        let reader = try lineReader(file)
        defer { reader.close() }
        while true {
            let line: NDJSONLine?
            do {
                line = try reader.next()
            } catch let error as JSONParseError {
                throw WorkspaceError(reading: path(of: file), error)
            }
            guard let line else { return }
            try body(WorkspaceLine(file: file, number: line.number, bytes: line.bytes))
        }
    }

    /// Calls `body` with each record of a file, parsed.
    ///
    /// - Parameters:
    ///   - file: a file of this workspace.
    ///   - body: receives each record and the line it came from.
    /// - Throws: ``WorkspaceError/corrupt(path:message:)`` naming the line (and the column for a JSON
    ///   error) of a line that is not a JSON object; what `body` throws.
    public func forEachRecord(of file: WorkspaceFile, _ body: (JSONObject, WorkspaceLine) throws -> Void) throws {
        try forEachLine(of: file) { line in
            try body(try line.object(), line)
        }
    }
}

/// `workspace.json`: the platform a workspace mirrors and its projects.
public struct WorkspaceDescriptor: Sendable {
    /// The file's bytes as stored.
    public let bytes: [UInt8]
    /// The parsed document.
    public let json: JSONValue
    /// `tuor` or `tracia`.
    public let source: String
    /// The API base URL of the pulls, when recorded.
    public let baseURL: String?
    /// The projects the workspace mirrors, sorted by their Unicode scalars.
    public let projects: [String]
    /// When the workspace was created, RFC 3339, when recorded.
    public let createdAt: String?
    /// The version of the tool that created it, when recorded.
    public let toolVersion: String?

    /// Reads a descriptor.
    ///
    /// - Parameters:
    ///   - bytes: the content of `workspace.json`.
    ///   - path: the file, for messages.
    /// - Throws: ``WorkspaceError/corrupt(path:message:)`` naming the line and column of a JSON error,
    ///   or saying what the document lacks.
    public init(bytes: [UInt8], path: String) throws {
        let json: JSONValue
        do {
            json = try JSONParser().parse(bytes)
        } catch let error as JSONParseError {
            throw WorkspaceError.corrupt(path: path, message: error.description)
        }
        guard json["format"]?.stringValue == "prompttrail-workspace", json["format_version"]?.int64Value == 1 else {
            throw WorkspaceError.corrupt(
                path: path,
                message: "not a version-1 workspace (\"format\" must be \"prompttrail-workspace\", "
                    + "\"format_version\" 1)"
            )
        }
        guard let source = json["source"]?.stringValue else {
            throw WorkspaceError.corrupt(path: path, message: "/source: missing or not a string")
        }
        guard let listed = json["projects"]?.arrayValue else {
            throw WorkspaceError.corrupt(path: path, message: "/projects: missing or not an array")
        }
        var projects: [String] = []
        for (index, project) in listed.enumerated() {
            guard let id = project.stringValue else {
                throw WorkspaceError.corrupt(path: path, message: "/projects/\(index): not a string")
            }
            projects.append(id)
        }
        self.bytes = bytes
        self.json = json
        self.source = source
        self.baseURL = json["base_url"]?.stringValue
        self.projects = projects.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        self.createdAt = json["created_at"]?.stringValue
        self.toolVersion = json["tool_version"]?.stringValue
    }
}

/// One data file of a workspace.
public struct WorkspaceFile: Sendable, Hashable {
    /// The kinds of data file.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `prompts/<project_id>.jsonl`: prompt versions.
        case prompts
        /// `activations/<project_id>.jsonl`: which version was active when a pull looked.
        case activations
        /// `traces/<project_id>/<YYYY-MM-DD>.jsonl`: traces by UTC day of creation.
        case traces
        /// `quarantine/<project_id>/<stream>.jsonl`: refused upstream records.
        case quarantine

        /// The top-level folder.
        public var folder: String { rawValue }

        /// Whether files sit one folder (the project's) below ``folder``.
        var isNested: Bool { self == .traces || self == .quarantine }
    }

    /// What the file holds.
    public let kind: Kind
    /// The project named by the path.
    public let project: String
    /// The UTC day of a trace file, or the stream of a quarantine file; `nil` for the others.
    public let member: String?

    /// Creates a file reference.
    ///
    /// - Parameters:
    ///   - kind: what it holds.
    ///   - project: the project id.
    ///   - member: the day (traces) or stream (quarantine); `nil` for prompts and activations.
    public init(kind: Kind, project: String, member: String? = nil) {
        self.kind = kind
        self.project = project
        self.member = member
    }

    /// The path below the workspace root, such as `traces/proj_x/2026-05-20.jsonl`.
    public var relativePath: String {
        if let member { return "\(kind.folder)/\(project)/\(member).jsonl" }
        return "\(kind.folder)/\(project).jsonl"
    }
}

/// One line of a workspace file, with where it came from.
public struct WorkspaceLine: Sendable {
    /// The file.
    public let file: WorkspaceFile
    /// The 1-based line number.
    public let number: Int
    /// The line's bytes, without the line break.
    public let bytes: [UInt8]

    /// `relative/path.jsonl:N`, for messages.
    public var location: String { "\(file.relativePath):\(number)" }

    /// The line parsed as a JSON object.
    ///
    /// - Returns: the object.
    /// - Throws: ``WorkspaceError/corrupt(path:message:)`` naming this line, and the column of a JSON error.
    public func object() throws -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch let error as JSONParseError {
            throw WorkspaceError.corrupt(
                path: file.relativePath,
                message: "line \(number), column \(error.column): \(error.message)"
            )
        }
        guard let object = value.objectValue else {
            throw WorkspaceError.corrupt(path: file.relativePath, message: "line \(number): not a JSON object")
        }
        return object
    }
}

extension WorkspaceError {
    /// Classifies an ``NDJSONReader`` failure: a read failure, or a line the reader refuses (too long,
    /// not UTF-8), with its position.
    init(reading path: String, _ error: JSONParseError) {
        self =
            error.code == .io
            ? .unreadable(path: path, message: error.message) : .corrupt(path: path, message: error.description)
    }
}
