public import TrailJSON

/// A `prompttrail/prompt-version` record: one line of `prompts/<project_id>.jsonl`.
public struct PromptVersionRecord: Sendable, Hashable {
    /// The project the version belongs to.
    public var projectID: String
    /// `prompt_version_id`: the identity within the file.
    public var id: String
    /// `prompt_key`: the Tracia slug, `nil` for Tuor.
    public var key: String?
    /// The version number.
    public var version: Int64
    /// `created_at` as an instant.
    public var createdAt: Timestamp
    /// The whole record, members in the documented order.
    public var json: JSONValue

    /// Creates a record from its parts; ``Normalizer`` is the usual way to get one.
    ///
    /// - Parameters:
    ///   - projectID: the project.
    ///   - id: the prompt version id.
    ///   - key: the prompt key, or `nil`.
    ///   - version: the version number.
    ///   - createdAt: when the version was saved.
    ///   - json: the full record.
    public init(projectID: String, id: String, key: String?, version: Int64, createdAt: Timestamp, json: JSONValue) {
        self.projectID = projectID
        self.id = id
        self.key = key
        self.version = version
        self.createdAt = createdAt
        self.json = json
    }

    /// The order of lines in a prompts file: by prompt key (Tuor's is null), then version.
    ///
    /// - Parameters:
    ///   - lhs: a record.
    ///   - rhs: another record.
    /// - Returns: whether `lhs` comes first.
    public static func fileOrder(_ lhs: PromptVersionRecord, _ rhs: PromptVersionRecord) -> Bool {
        if lhs.key != rhs.key {
            return (lhs.key ?? "").unicodeScalars.lexicographicallyPrecedes((rhs.key ?? "").unicodeScalars)
        }
        if lhs.version != rhs.version { return lhs.version < rhs.version }
        return lhs.id.unicodeScalars.lexicographicallyPrecedes(rhs.id.unicodeScalars)
    }

    /// Reads a stored line back.
    /// Fails (`nil`) when the line is not a prompt version record.
    ///
    /// - Parameter json: a parsed line of a prompts file.
    public init?(stored json: JSONValue) {
        guard json["record_type"]?.stringValue == "prompt_version", let projectID = json["project_id"]?.stringValue,
            let id = json["prompt_version_id"]?.stringValue, let version = json["version"]?.int64Value,
            let created = json["created_at"]?.stringValue.flatMap(Timestamp.init)
        else { return nil }
        self.init(
            projectID: projectID,
            id: id,
            key: json["prompt_key"]?.stringValue,
            version: version,
            createdAt: created,
            json: json
        )
    }

    /// The record with `observed_at` (when PromptTrail first saw the version) placed after `created_at`;
    /// a record that has one keeps it.
    ///
    /// - Parameter time: the observation time, RFC 3339.
    /// - Returns: the stamped record.
    public func observed(at time: String) -> PromptVersionRecord {
        guard let object = json.objectValue, !object.contains(key: "observed_at") else { return self }
        var members: [(String, JSONValue)] = []
        for (key, value) in object {
            members.append((key, value))
            if key == "created_at" { members.append(("observed_at", .string(time))) }
        }
        if members.count == object.count { members.append(("observed_at", .string(time))) }
        var copy = self
        copy.json = .object(JSONObject(members))
        return copy
    }
}
