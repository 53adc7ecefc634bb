/// Why one record is invalid, in the shape of a quarantine record's `errors` items.
public struct RecordProblem: Sendable, Hashable, CustomStringConvertible {
    /// JSON Pointer to the offending value in the record (`""` for the whole record).
    public var instanceLocation: String
    /// JSON Pointer into the schema; `""` when the problem breaks a PromptTrail rule (hashes, layout) rather
    /// than a schema keyword, as `prompttrail/quarantine` defines.
    public var keywordLocation: String
    /// What is wrong, in a sentence.
    public var message: String

    /// Creates a problem.
    ///
    /// - Parameters:
    ///   - instanceLocation: pointer into the record.
    ///   - keywordLocation: pointer into the schema or a rule name.
    ///   - message: the explanation.
    public init(instanceLocation: String, keywordLocation: String, message: String) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.message = message
    }

    /// `instanceLocation: message`.
    public var description: String {
        instanceLocation.isEmpty ? message : "\(instanceLocation): \(message)"
    }
}
