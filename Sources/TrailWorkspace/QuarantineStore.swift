public import TrailJSON
public import TrailModel

/// `quarantine/<project_id>/<stream>.jsonl`: refused upstream records with their reasons, appended in
/// arrival order (each append rewrites the file atomically, copying the held lines in chunks).
public struct QuarantineStore: Sendable {
    /// The workspace root.
    public let workspace: String

    /// Creates the store.
    ///
    /// - Parameter workspace: the workspace root.
    public init(workspace: String) {
        self.workspace = workspace
    }

    /// Appends refusals to a project's quarantine file.
    ///
    /// - Parameters:
    ///   - entries: the payloads and their issues.
    ///   - project: the project id.
    ///   - stream: `prompts` or `traces`.
    ///   - receivedAt: when they arrived, RFC 3339.
    /// - Throws: ``WorkspaceError``.
    public func append(
        _ entries: [(payload: JSONValue, issues: [RecordIssue])],
        project: String,
        stream: String,
        receivedAt: String
    ) throws {
        guard !entries.isEmpty else { return }
        let directory = workspace + "/quarantine/" + project
        let path = directory + "/" + stream + ".jsonl"
        try AtomicFile.makeDirectory(directory)
        try AtomicFile.write(to: path) { output in
            try output.copy(from: path)
            for entry in entries {
                let record = QuarantineRecord(
                    project: project,
                    stream: stream,
                    receivedAt: receivedAt,
                    issues: entry.issues,
                    payload: entry.payload
                )
                try output.writeLine(record.bytes)
            }
        }
    }
}
