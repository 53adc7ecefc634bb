public import TrailJSON

/// Why one upstream record was refused: a schema error, a normalization failure or a hashing failure.
///
/// It becomes one `errors` item of a `prompttrail/quarantine` record.
public struct RecordIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where in the payload the problem is (a JSON Pointer; `""` is the whole payload).
    public var instanceLocation: String
    /// The schema keyword that failed (a JSON Pointer into the schema); `""` when no schema was involved.
    public var keywordLocation: String
    /// What is wrong, for a person.
    public var message: String

    /// Creates an issue.
    ///
    /// - Parameters:
    ///   - instanceLocation: JSON Pointer into the payload.
    ///   - keywordLocation: JSON Pointer into the schema, or `""`.
    ///   - message: the explanation.
    public init(instanceLocation: String, keywordLocation: String = "", message: String) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.message = message
    }

    /// The issue as a quarantine `errors` item, members in the documented order.
    public var json: JSONValue {
        .object(
            JSONObject([
                ("instanceLocation", .string(instanceLocation)),
                ("keywordLocation", .string(keywordLocation)),
                ("message", .string(message)),
            ])
        )
    }

    /// `instanceLocation: message`.
    public var description: String {
        "\(instanceLocation.isEmpty ? "(root)" : instanceLocation): \(message)"
    }
}
