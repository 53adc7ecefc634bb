/// An API key that never shows itself: `description` and `debugDescription` are redacted, so a key that
/// reaches a log line or an error message by accident prints as `<redacted>`.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret; read it only to build the authentication header.
    public let secret: String

    /// Wraps a key.
    ///
    /// - Parameter secret: the key as issued by the platform.
    public init(_ secret: String) {
        self.secret = secret
    }

    /// `<redacted>`.
    public var description: String { "<redacted>" }
    /// `<redacted>`.
    public var debugDescription: String { "<redacted>" }
}
