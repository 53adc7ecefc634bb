public import ArgumentParser

/// `trail-pull`: pull every prompt version and every linked trace from Tuor or Tracia into a workspace.
public struct PullCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-pull",
        abstract: "Pull every prompt version and every linked trace from Tuor or Tracia into a workspace."
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
