public import TrailJSON
public import TrailModel

/// `quarantine/<project_id>/<stream>.jsonl`: refused upstream records with their reasons, appended in
/// arrival order (each append rewrites the file atomically).
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
        var output = try AtomicFile.read(path) ?? []
        for entry in entries {
            let record = JSONValue.object(
                JSONObject([
                    ("record_type", "quarantined"),
                    ("format_version", 1),
                    ("project_id", .string(project)),
                    ("stream", .string(stream)),
                    ("received_at", .string(receivedAt)),
                    ("errors", .array(entry.issues.map(\.json))),
                    ("payload", entry.payload),
                ])
            )
            output += record.serialized()
            output.append(0x0A)
        }
        try AtomicFile.makeDirectory(directory)
        try AtomicFile.write(output, to: path)
    }
}
