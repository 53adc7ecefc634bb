import TrailJSON

/// A PromptTrail workspace directory (`docs/workspace-format.md`) read as an export source.
struct WorkspaceSource: ExportSource {
    let root: String
    /// `tuor` or `tracia`.
    let platform: String
    /// The projects listed in `workspace.json`, sorted.
    let projects: [String]

    init(path: String) throws {
        root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let manifestPath = root + "/workspace.json"
        guard FileSystem.isFile(manifestPath) else {
            throw ExportError.invalidSource(path: path, message: "no workspace.json: not a PromptTrail workspace")
        }
        let document: JSONValue
        do {
            document = try JSONParser().parse(try FileSystem.read(manifestPath))
        } catch {
            throw ExportError.invalidSource(path: manifestPath, message: "\(error)")
        }
        guard document["format"]?.stringValue == "prompttrail-workspace", document["format_version"]?.intValue == 1,
            let platform = document["source"]?.stringValue,
            let projects = document["projects"]?.arrayValue?.compactMap(\.stringValue)
        else {
            throw ExportError.invalidSource(path: manifestPath, message: "not a format-version-1 workspace manifest")
        }
        self.platform = platform
        self.projects = projects.sorted()
    }

    /// The workspace-relative path of a project's prompts file.
    func promptsFile(project: String) -> String {
        "prompts/\(project).jsonl"
    }

    /// The UTC days that have a trace file for the project, ascending.
    func traceDays(project: String) throws -> [String] {
        try FileSystem.list(root + "/traces/" + project).compactMap { name in
            guard name.hasSuffix(".jsonl"), name.count == 16, !name.hasPrefix(".") else { return nil }
            return String(name.prefix(10))
        }
    }

    /// The workspace-relative path of a project's trace file for a day.
    func traceFile(project: String, day: String) -> String {
        "traces/\(project)/\(day).jsonl"
    }

    func forEachFile(_ body: (SourceFile, (LineVisitor) throws -> Void) throws -> Void) throws {
        for project in projects {
            let path = "activations/\(project).jsonl"
            guard FileSystem.isFile(root + "/" + path) else { continue }
            let file = SourceFile(content: .activations, project: project, path: path, displayName: path)
            try body(file) { visitor in try forEachLine(path, visitor) }
        }
        for project in projects {
            let path = promptsFile(project: project)
            let file = SourceFile(content: .promptVersions, project: project, path: path, displayName: path)
            try body(file) { visitor in try forEachLine(path, visitor) }
        }
        for project in projects {
            for day in try traceDays(project: project) {
                let path = traceFile(project: project, day: day)
                let file = SourceFile(content: .traces(day: day), project: project, path: path, displayName: path)
                try body(file) { visitor in try forEachLine(path, visitor) }
            }
        }
    }

    /// Calls `body` with each line of a workspace file (1-based numbers); a missing file has no lines.
    func forEachLine(
        _ relativePath: String,
        _ body: LineVisitor
    ) throws {
        let path = root + "/" + relativePath
        guard FileSystem.isFile(path) else { return }
        let reader: NDJSONReader
        do {
            reader = try NDJSONReader(path: path)
        } catch {
            throw ExportError.invalidSource(path: path, message: "\(error)")
        }
        defer { reader.close() }
        while true {
            let line: NDJSONLine?
            do {
                line = try reader.next()
            } catch {
                throw ExportError.invalidSource(path: path, message: "\(error)")
            }
            guard let line else { return }
            try line.bytes.withUnsafeBufferPointer { try body(line.number, $0) }
        }
    }
}
