internal import TrailJSON
public import TrailModel

/// The prompt versions of one project: `prompts/<project_id>.jsonl`, rewritten atomically.
public final class PromptStore {
    /// The project.
    public let project: String
    let path: String
    private var held: [String: (record: PromptVersionRecord, bytes: [UInt8])] = [:]

    /// Opens the store and reads the held versions.
    ///
    /// - Parameters:
    ///   - workspace: the workspace root.
    ///   - project: the project id.
    /// - Throws: ``WorkspaceError``.
    public init(workspace: String, project: String) throws {
        self.project = project
        path = workspace + "/prompts/" + project + ".jsonl"
        guard let bytes = try AtomicFile.read(path) else { return }
        for line in LineKeys.lines(bytes) {
            guard let json = LineKeys.parse(line), let record = PromptVersionRecord(stored: json) else {
                throw WorkspaceError.corrupt(path: path, message: "a line is not a prompt version record")
            }
            held[record.id] = (record, Array(line))
        }
    }

    /// The held versions, in file order.
    public var records: [PromptVersionRecord] {
        held.values.map(\.record).sorted(by: PromptVersionRecord.fileOrder)
    }

    /// The greatest `created_at` held (stored text).
    public var highWaterMark: String? {
        held.values.max { $0.record.createdAt < $1.record.createdAt }?.record.json["created_at"]?.stringValue
    }

    /// Merges the versions just pulled: new ones are added, changed ones (e.g. `is_active` turned false)
    /// replace the held line; versions the upstream no longer lists are kept.
    ///
    /// - Parameter records: the pulled versions.
    /// - Returns: what happened.
    /// - Throws: ``WorkspaceError``.
    @discardableResult
    public func apply(_ records: [PromptVersionRecord]) throws -> WriteCounts {
        var counts = WriteCounts()
        for record in records {
            let bytes = record.json.serialized()
            if let existing = held[record.id] {
                if existing.bytes == bytes {
                    counts.unchanged += 1
                    continue
                }
                counts.updated += 1
            } else {
                counts.new += 1
            }
            held[record.id] = (record, bytes)
        }
        guard counts.new + counts.updated > 0 else { return counts }
        var output: [UInt8] = []
        for record in self.records {
            output += held[record.id]!.bytes
            output.append(0x0A)
        }
        try AtomicFile.makeDirectory(String(path[..<path.lastIndex(of: "/")!]))
        try AtomicFile.write(output, to: path)
        return counts
    }
}
