public import ArgumentParser
import Foundation
import TrailSchema

/// `trail-validate`: validate payloads, records and exports against PromptTrail's bundled JSON Schemas.
public struct ValidateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-validate",
        abstract: "Validate payloads, records and exports against PromptTrail's bundled JSON Schemas."
    )

    /// Print the bundled schemas and exit.
    @Flag(help: "Print the bundled schemas (name and $id) and exit.")
    var listSchemas = false

    /// Accepted and ignored until validation ships, so the message is the same whatever was passed.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var arguments: [String] = []

    /// Creates the command with no arguments (ArgumentParser fills them in when parsing).
    public init() {}

    public func run() async throws {
        guard listSchemas else { throw notImplemented(Self.configuration) }
        let width = BundledSchemas.all.map(\.name.count).max() ?? 0
        for schema in BundledSchemas.all {
            print(schema.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + schema.id)
        }
    }
}
