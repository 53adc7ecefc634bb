public import ArgumentParser

/// `trail-serve`: serve a local emulator of the Tuor and Tracia APIs, with fault injection.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-serve",
        abstract: "Serve a local emulator of the Tuor and Tracia APIs, with fault injection."
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
