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

    /// A pulled version whose id is already held with other content: a version's content never changes
    /// upstream, so the pulled object goes to quarantine and the held version stays.
    public struct Conflict: Sendable {
        /// The pulled version.
        public var record: PromptVersionRecord
        /// Why it was refused, naming both hashes and when the held one was first observed.
        public var message: String
    }

    /// What ``apply(_:observedAt:)`` did.
    public struct Merge: Sendable {
        /// New, replaced and unchanged versions.
        public var counts = WriteCounts()
        /// Versions refused because their id is held with other content.
        public var conflicts: [Conflict] = []
    }

    /// Merges the versions just pulled.
    ///
    /// A version seen for the first time is added with `observed_at`. A held version keeps its first
    /// observation: for Tuor the upstream object replaces the held one when it changed (e.g. `is_active`
    /// turned false), for Tracia only `is_active` follows the upstream, since Tracia rewrites the prompt
    /// object on every rename or description edit without making a version. A pulled version with the id
    /// of a held one but other content is a ``Conflict``, never merged. Versions the upstream no longer
    /// lists are kept.
    ///
    /// - Parameters:
    ///   - records: the pulled versions.
    ///   - observedAt: the time of this pull, RFC 3339, recorded as `observed_at` on new versions.
    /// - Returns: what happened.
    /// - Throws: ``WorkspaceError``.
    @discardableResult
    public func apply(_ records: [PromptVersionRecord], observedAt: String) throws -> Merge {
        var merge = Merge()
        // Tracia serves only the current version: the one it calls current makes every other held version
        // of the same prompt inactive, although those are not served again.
        var current: [String: String] = [:]
        for record in records where record.json["source"]?.stringValue == Source.tracia.rawValue {
            if record.json["is_active"] == .bool(true), let at = record.id.lastIndex(of: "@") {
                current[String(record.id[..<at])] = record.id
            }
        }
        for (id, entry) in held where entry.record.json["source"]?.stringValue == Source.tracia.rawValue {
            guard entry.record.json["is_active"] == .bool(true), let at = id.lastIndex(of: "@"),
                let currentID = current[String(id[..<at])], currentID != id,
                case .object(var object) = entry.record.json
            else { continue }
            object["is_active"] = .bool(false)
            var record = entry.record
            record.json = .object(object)
            held[id] = (record, record.json.serialized())
            merge.counts.updated += 1
        }
        for pulled in records {
            var record = pulled
            if let existing = held[record.id] {
                let heldHash = existing.record.json["content_sha256"]?.stringValue
                let pulledHash = record.json["content_sha256"]?.stringValue
                guard heldHash == pulledHash else {
                    let first =
                        existing.record.json["observed_at"]?.stringValue.map { " first observed at \($0)" } ?? ""
                    merge.conflicts.append(
                        Conflict(
                            record: pulled,
                            message:
                                "prompt version \(record.id) is held with content sha256 \(heldHash ?? "-")\(first); "
                                + "the upstream now serves content sha256 \(pulledHash ?? "-") under the same id. "
                                + "A version's content does not change, so the held version is kept"
                        )
                    )
                    continue
                }
                record = Self.merged(held: existing.record, pulled: pulled)
                let bytes = record.json.serialized()
                if existing.bytes == bytes {
                    merge.counts.unchanged += 1
                    continue
                }
                merge.counts.updated += 1
                held[record.id] = (record, bytes)
            } else {
                record = record.observed(at: observedAt)
                merge.counts.new += 1
                held[record.id] = (record, record.json.serialized())
            }
        }
        guard merge.counts.new + merge.counts.updated > 0 else { return merge }
        var output: [UInt8] = []
        for record in self.records {
            output += held[record.id]!.bytes
            output.append(0x0A)
        }
        try AtomicFile.makeDirectory(String(path[..<path.lastIndex(of: "/")!]))
        try AtomicFile.write(output, to: path)
        return merge
    }

    /// The held record brought up to date with a pulled one of the same content.
    static func merged(held: PromptVersionRecord, pulled: PromptVersionRecord) -> PromptVersionRecord {
        guard pulled.json["source"]?.stringValue == Source.tracia.rawValue else {
            guard let observed = held.json["observed_at"]?.stringValue else { return pulled }
            return pulled.observed(at: observed)
        }
        var record = held
        guard case .object(var object) = record.json else { return held }
        object["is_active"] = pulled.json["is_active"] ?? .null
        record.json = .object(object)
        return record
    }
}
