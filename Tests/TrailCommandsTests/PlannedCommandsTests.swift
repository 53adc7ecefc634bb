import Testing
import TrailCommands
import TrailSchema
import TrailTestSupport

@Suite("Tools that have not shipped yet")
struct PlannedCommandsTests {
    static let unshipped = [
        "trail-pull"
    ]

    @Test("say so on standard error and exit 2, whatever the arguments", arguments: unshipped)
    func notImplemented(tool: String) throws {
        let result = try ProcessResult.run(tool, ["--some-flag", "value", "path"])
        #expect(result.status == 2)
        #expect(result.standardError == "\(tool): not implemented yet in this release of PromptTrail\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("still answer --help with their purpose", arguments: unshipped + ["trail-validate"])
    func help(tool: String) throws {
        let result = try ProcessResult.run(tool, ["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: \(tool)"))
    }
}

@Suite("trail-validate --list-schemas")
struct ListSchemasTests {
    @Test("prints every bundled schema's name and $id, one per line, from the embedded copy")
    func listsEmbeddedSchemas() throws {
        let result = try ProcessResult.run("trail-validate", ["--list-schemas"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == BundledSchemas.all.count)
        for (line, schema) in zip(lines, BundledSchemas.all) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(fields == [schema.name, schema.id])
        }
    }
}
