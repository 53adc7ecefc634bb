import TrailJSON
import TrailWorkspace

/// A PromptTrail workspace directory (`docs/workspace-format.md`) read as an export source, through
/// TrailWorkspace's ``WorkspaceReader``.
struct WorkspaceSource: ExportSource {
    let reader: WorkspaceReader

    /// `tuor` or `tracia`.
    var platform: String { reader.descriptor.source }
    /// The projects listed in `workspace.json`, sorted.
    var projects: [String] { reader.descriptor.projects }

    init(path: String) throws {
        do {
            reader = try WorkspaceReader(root: path)
        } catch {
            throw ExportError.invalidSource(path: path, message: "\(error)")
        }
    }

    func forEachFile(_ body: (SourceFile, (LineVisitor) throws -> Void) throws -> Void) throws {
        let listed = Set(projects)
        // Files of projects workspace.json does not list are not part of the dataset.
        func files(_ kind: WorkspaceFile.Kind) throws -> [WorkspaceFile] {
            do {
                return try reader.files(kind).filter { listed.contains($0.project) }
            } catch {
                throw ExportError.invalidSource(path: reader.root + "/" + kind.folder, message: "\(error)")
            }
        }
        let activations = Dictionary(grouping: try files(.activations), by: \.project)
        let traces = Dictionary(grouping: try files(.traces).filter { Self.isDay($0.member) }, by: \.project)
        // Project by project in `projects` order: activations, then prompts, then traces with each
        // project's days ascending.
        for file in projects.flatMap({ activations[$0] ?? [] }) {
            try body(source(file, content: .activations)) { visitor in try forEachLine(file, visitor) }
        }
        // Every listed project has a prompt_versions file, empty when it has no prompts file.
        for file in projects.map({ WorkspaceFile(kind: .prompts, project: $0) }) {
            try body(source(file, content: .promptVersions)) { visitor in try forEachLine(file, visitor) }
        }
        for file in projects.flatMap({ traces[$0] ?? [] }) {
            try body(source(file, content: .traces(day: file.member ?? ""))) { visitor in
                try forEachLine(file, visitor)
            }
        }
    }

    private func source(_ file: WorkspaceFile, content: SourceFile.Content) -> SourceFile {
        SourceFile(content: content, project: file.project, path: file.relativePath, displayName: file.relativePath)
    }

    /// Whether a trace file's name is a `YYYY-MM-DD` day.
    private static func isDay(_ name: String?) -> Bool {
        guard let name else { return false }
        return name.utf8.count == 10
    }

    /// Calls `body` with each line of a workspace file (1-based numbers); a missing file has no lines.
    private func forEachLine(_ file: WorkspaceFile, _ body: LineVisitor) throws {
        let path = reader.path(of: file)
        guard FileSystem.isFile(path) else { return }
        do {
            try reader.forEachLine(of: file) { line in
                try line.bytes.withUnsafeBufferPointer { try body(line.number, $0) }
            }
        } catch let error as WorkspaceError {
            throw ExportError.invalidSource(path: path, message: "\(error)")
        }
    }
}
