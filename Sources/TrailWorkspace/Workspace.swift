private import Synchronization
internal import TrailJSON
public import TrailModel

/// A PromptTrail workspace on disk (docs/workspace-format.md): `workspace.json`, the `state.json`
/// checkpoint and the per-project data files.
///
/// Opening one deletes temporary files a killed run left behind. Data files are written by the
/// per-project ``TraceStore``, ``PromptStore`` and ``QuarantineStore``; the checkpoint is written here,
/// after the data it describes is durable. `Sendable`: projects can be pulled in parallel.
public final class Workspace: Sendable {
    /// The workspace directory.
    public let root: String
    /// The platform it mirrors.
    public let source: Source
    /// The projects it mirrors, sorted.
    public let projects: [String]
    private let state: Mutex<WorkspaceState>
    private let stateWrite = Mutex(())

    /// Opens the workspace at `root`, creating it when it does not exist.
    ///
    /// - Parameters:
    ///   - root: the directory.
    ///   - source: the platform; an existing workspace of another platform is refused.
    ///   - baseURL: the API base URL, recorded in `workspace.json` (never with credentials).
    ///   - projects: the projects to mirror; new ones are added to `workspace.json`.
    ///   - now: the current time, RFC 3339.
    ///   - toolVersion: the version recorded in a new `workspace.json`.
    /// - Throws: ``WorkspaceError``.
    public init(
        root: String,
        source: Source,
        baseURL: String,
        projects: [String],
        now: String,
        toolVersion: String
    )
        throws
    {
        for project in projects { try Self.checkProjectID(project) }
        self.root = root
        self.source = source
        try AtomicFile.makeDirectory(root)
        Self.removeTemporaryFiles(in: root)
        let workspacePath = root + "/workspace.json"
        var listed = Set(projects)
        var createdAt = now
        var version = toolVersion
        var existingBase = baseURL
        if let bytes = try AtomicFile.read(workspacePath) {
            let existing = try WorkspaceDescriptor(bytes: bytes, path: workspacePath)
            guard existing.source == source.rawValue else {
                throw WorkspaceError.incompatible("\(root) mirrors \(existing.source), not \(source.rawValue)")
            }
            listed.formUnion(existing.projects)
            createdAt = existing.createdAt ?? now
            version = existing.toolVersion ?? toolVersion
            existingBase = existing.baseURL ?? baseURL
            if listed.count != existing.projects.count || existingBase != baseURL {
                existingBase = baseURL
                try Self.writeWorkspaceJSON(
                    path: workspacePath,
                    source: source,
                    baseURL: baseURL,
                    projects: listed,
                    createdAt: createdAt,
                    toolVersion: version
                )
            }
        } else {
            try Self.writeWorkspaceJSON(
                path: workspacePath,
                source: source,
                baseURL: baseURL,
                projects: listed,
                createdAt: createdAt,
                toolVersion: version
            )
        }
        self.projects = listed.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        var loaded = WorkspaceState(updatedAt: now, streams: [:])
        let statePath = root + "/state.json"
        if let bytes = try AtomicFile.read(statePath) {
            guard let json = try? JSONParser().parse(bytes), let parsed = WorkspaceState(json: json) else {
                throw WorkspaceError.corrupt(path: statePath, message: "not a version-1 checkpoint")
            }
            loaded = parsed
        }
        for project in self.projects where loaded.streams[project] == nil {
            loaded.streams[project] = WorkspaceState.Project()
        }
        state = Mutex(loaded)
        if AtomicFile.read(statePathOrNil: statePath) == nil {
            try writeCheckpoint(now: now)
        }
    }

    /// A project's saved streams.
    ///
    /// - Parameter project: the project id.
    /// - Returns: its state.
    public func streams(of project: String) -> WorkspaceState.Project {
        state.withLock { $0.streams[project] ?? WorkspaceState.Project() }
    }

    /// Changes a project's saved streams in memory; ``writeCheckpoint(now:)`` makes it durable.
    ///
    /// - Parameters:
    ///   - project: the project id.
    ///   - change: edits the state.
    public func update(_ project: String, _ change: (inout WorkspaceState.Project) -> Void) {
        state.withLock { state in
            var value = state.streams[project] ?? WorkspaceState.Project()
            change(&value)
            state.streams[project] = value
        }
    }

    /// Replaces `state.json` atomically with the state in memory. Call it only after the data it
    /// describes is durable.
    ///
    /// - Parameter now: the time to record as `updated_at`.
    /// - Throws: ``WorkspaceError``.
    public func writeCheckpoint(now: String) throws {
        try stateWrite.withLock { _ in
            let bytes = state.withLock { state -> [UInt8] in
                state.updatedAt = now
                return state.json.serialized(pretty: true) + [0x0A]
            }
            try AtomicFile.write(bytes, to: root + "/state.json")
        }
    }

    /// Refuses project ids that cannot be used as file names.
    ///
    /// - Parameter id: a project id.
    /// - Throws: ``WorkspaceError/incompatible(_:)``.
    public static func checkProjectID(_ id: String) throws {
        guard !id.isEmpty, id != ".", id != "..", !id.contains("/"), !id.contains("\\"), !id.contains("\0") else {
            throw WorkspaceError.incompatible("the project id \"\(id)\" cannot be used as a file name")
        }
    }

    static func writeWorkspaceJSON(
        path: String,
        source: Source,
        baseURL: String,
        projects: Set<String>,
        createdAt: String,
        toolVersion: String
    ) throws {
        let sorted = projects.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        let json = JSONValue.object(
            JSONObject([
                ("format", "prompttrail-workspace"),
                ("format_version", 1),
                ("source", .string(source.rawValue)),
                ("base_url", .string(baseURL)),
                ("projects", .array(sorted.map { .string($0) })),
                ("created_at", .string(createdAt)),
                ("tool_version", .string(toolVersion)),
            ])
        )
        try AtomicFile.write(json.serialized(pretty: true) + [0x0A], to: path)
    }

    /// Deletes `.<name>.tmp` files (left by a killed run) anywhere in the workspace.
    static func removeTemporaryFiles(in directory: String) {
        for name in AtomicFile.list(directory) {
            let path = directory + "/" + name
            if name.hasPrefix("."), name.hasSuffix(".tmp") {
                try? AtomicFile.remove(path)
            } else if AtomicFile.isDirectory(path) {
                removeTemporaryFiles(in: path)
            }
        }
    }
}

extension AtomicFile {
    fileprivate static func read(statePathOrNil path: String) -> [UInt8]? {
        (try? read(path)) ?? nil
    }
}
