public import ArgumentParser

/// `trail-verify`: verify an audit archive offline: checksums, signature, schemas and every prompt link.
public struct VerifyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-verify",
        abstract: "Verify an audit archive offline: checksums, signature, schemas and every prompt link."
    )

    /// Accepted and ignored until the tool ships, so the message is the same whatever was passed.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var arguments: [String] = []

    /// Creates the command with no arguments (ArgumentParser fills them in when parsing).
    public init() {}

    public func run() async throws {
        throw notImplemented(Self.configuration)
    }
}
