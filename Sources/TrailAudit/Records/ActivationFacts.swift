public import TrailJSON

/// What the archive needs to know about one line of the activation history (`prompttrail/activation`).
public struct ActivationFacts: Sendable, Hashable {
    /// The project.
    public var projectID: String
    /// The Tracia slug at the time, or `nil` (Tuor).
    public var promptKey: String?
    /// The version that was active or current, or `nil` when there was none.
    public var promptVersionID: String?
    /// Its number.
    public var version: Int64?
    /// When the pull saw it.
    public var observedAt: String
    /// When the pull before it looked, or `nil`.
    public var previouslyObservedAt: String?

    /// Reads the facts of a line that passed its schema; `nil` when a required member is missing.
    ///
    /// - Parameter value: the parsed line.
    public init?(_ value: JSONValue) {
        guard let projectID = value["project_id"]?.stringValue, let observedAt = value["observed_at"]?.stringValue
        else { return nil }
        self.projectID = projectID
        self.observedAt = observedAt
        promptKey = value["prompt_key"]?.stringValue
        promptVersionID = value["prompt_version_id"]?.stringValue
        version = value["version"]?.int64Value
        previouslyObservedAt = value["previously_observed_at"]?.stringValue
    }
}
