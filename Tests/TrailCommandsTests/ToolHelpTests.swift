import Testing
import TrailCommands
import TrailSchema
import TrailTestSupport

@Suite("The six tools")
struct ToolHelpTests {
    static let tools = ["trail-pull", "trail-validate", "trail-archive", "trail-verify", "trail-export", "trail-serve"]

    @Test("each answers --help with its usage and exits 0", arguments: tools)
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
