internal import TrailJSON
public import TrailModel

/// A trace record as it will be stored: its line and the members that place and date it.
///
/// A batch waiting to be written holds these rather than ``TraceRecord`` values: a serialized line
/// takes a fraction of the memory of the parsed record it comes from, and it is what
/// ``TraceStore/apply(_:)-([StoredTrace])`` writes anyway.
public struct StoredTrace: Sendable, Hashable {
    /// `trace_id`.
    public var id: String
    /// `created_at` as an instant.
    public var createdAt: Timestamp
    /// `updated_at` as an instant, when there is one.
    public var updatedAt: Timestamp?
    /// `created_at` as stored.
    public var createdText: String
    /// `updated_at` as stored.
    public var updatedText: String?
    /// The compact JSON line, without its LF.
    public var line: [UInt8]

    /// Serializes a record.
    ///
    /// - Parameter record: the record.
    public init(_ record: TraceRecord) {
        id = record.id
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        createdText = record.json["created_at"]?.stringValue ?? record.createdAt.description
        updatedText = record.json["updated_at"]?.stringValue
        line = record.json.serialized()
    }

    /// The name of the day file: the UTC date of `created_at`.
    public var day: String { createdAt.utcDay }
}
