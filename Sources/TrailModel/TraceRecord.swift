public import TrailJSON

/// A `prompttrail/trace` record: one line of `traces/<project_id>/<YYYY-MM-DD>.jsonl`.
public struct TraceRecord: Sendable, Hashable {
    /// The project the trace belongs to.
    public var projectID: String
    /// `trace_id`: the identity within the project.
    public var id: String
    /// `created_at` as an instant: it chooses the day file and the position in it.
    public var createdAt: Timestamp
    /// `updated_at` as an instant, when the upstream sends one.
    public var updatedAt: Timestamp?
    /// The whole record, members in the documented order.
    public var json: JSONValue

    /// Creates a record from its parts; ``Normalizer`` is the usual way to get one.
    ///
    /// - Parameters:
    ///   - projectID: the project.
    ///   - id: the trace id.
    ///   - createdAt: when the trace was created.
    ///   - updatedAt: when it last changed, if known.
    ///   - json: the full record.
    public init(projectID: String, id: String, createdAt: Timestamp, updatedAt: Timestamp?, json: JSONValue) {
        self.projectID = projectID
        self.id = id
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.json = json
    }

    /// `updated_at`, or `created_at` when there is none: what the checkpoint's high-water mark tracks.
    public var changedAt: Timestamp { updatedAt ?? createdAt }

    /// The name of the day file: the UTC date of `created_at`.
    public var day: String { createdAt.utcDay }

    /// The order of lines in a day file: `created_at` as an instant, then `trace_id` in code point order.
    ///
    /// - Parameters:
    ///   - lhs: a record.
    ///   - rhs: another record.
    /// - Returns: whether `lhs` comes first.
    public static func fileOrder(_ lhs: TraceRecord, _ rhs: TraceRecord) -> Bool {
        if lhs.createdAt != rhs.createdAt { return lhs.createdAt < rhs.createdAt }
        return lhs.id.unicodeScalars.lexicographicallyPrecedes(rhs.id.unicodeScalars)
    }

    /// Reads a stored line back.
    /// Fails (`nil`) when the line is not a trace record.
    ///
    /// - Parameter json: a parsed line of a trace day file.
    public init?(stored json: JSONValue) {
        guard json["record_type"]?.stringValue == "trace", let projectID = json["project_id"]?.stringValue,
            let id = json["trace_id"]?.stringValue,
            let created = json["created_at"]?.stringValue.flatMap(Timestamp.init)
        else { return nil }
        self.init(
            projectID: projectID,
            id: id,
            createdAt: created,
            updatedAt: json["updated_at"]?.stringValue.flatMap(Timestamp.init),
            json: json
        )
    }
}
