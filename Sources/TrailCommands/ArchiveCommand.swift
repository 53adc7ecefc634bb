public import ArgumentParser

/// `trail-archive`: pack a workspace into a signed, tamper-evident audit archive.
public struct ArchiveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-archive",
        abstract: "Pack a workspace into a signed, tamper-evident audit archive."
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
