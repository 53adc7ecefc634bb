public import ArgumentParser

/// `trail-export`: export an archive or workspace as partitioned, typed datasets for data warehouses.
public struct ExportCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-export",
        abstract: "Export an archive or workspace as partitioned, typed datasets for data warehouses."
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
