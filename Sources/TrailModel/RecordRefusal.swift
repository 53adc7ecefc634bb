/// The reasons an upstream record cannot become a PromptTrail record; it goes to quarantine with them.
///
/// It is a result, not a failure of the pull: the caller stores it and carries on.
public struct RecordRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reasons, at least one.
    public var issues: [RecordIssue]

    /// Creates a refusal.
    ///
    /// - Parameter issues: the reasons.
    public init(_ issues: [RecordIssue]) {
        self.issues = issues
    }

    /// Creates a refusal with one reason.
    ///
    /// - Parameters:
    ///   - location: JSON Pointer into the payload.
    ///   - message: what is wrong.
    public init(at location: String, _ message: String) {
        self.issues = [RecordIssue(instanceLocation: location, message: message)]
    }

    /// The reasons, joined.
    public var description: String {
        issues.map(\.description).joined(separator: "; ")
    }
}
