import Foundation
import Testing
import TrailTestSupport

/// Schemas, inputs and file names that try to hang the tool, exhaust its memory, read files or forge output.
extension ValidateCommandTests {
    @Test(
        "standard input without a final line break: the line is right and the message describes the input",
        arguments: [
            (#"{"id": "trc_1""#, "-:1: column 15: invalid JSON: unexpected end of input"),
            (#"{"id": "abc"#, "-:1: column 8: invalid JSON: unterminated string"),
            ("{\n  \"id\": \"abc", "-:2: column 9: invalid JSON: unterminated string"),
            ("{\n  \"id\": \"nope\"\n}", "-:2: /id: \"nope\" does not match the pattern ^trc_"),
        ]
    )
    func standardInputWithoutFinalLineBreak(input: String, expected: String) throws {
        let directory = try Self.workspace()
        let schema = directory.appending("schema.json").path
        let result = try ProcessResult.run(
            "trail-validate",
            ["--schema", schema, "-"],
            standardInput: Data(input.utf8)
        )
        #expect(result.status == 1)
        #expect(result.standardOutput.hasPrefix(expected), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("U+000A"))
        #expect(result.standardOutput.split(separator: "\n").count == 1)
        // The same bytes in a file give the same report, with or without a final line break.
        for suffix in ["", "\n", "\n\n"] {
            let file = directory.appending("stdin.json")
            try Data((input + suffix).utf8).write(to: file)
            let fromFile = try ProcessResult.run("trail-validate", ["--schema", schema, file.path])
            let fromStandardInput = try ProcessResult.run(
                "trail-validate",
                ["--schema", schema, "-"],
                standardInput: Data((input + suffix).utf8)
            )
            #expect(
                fromStandardInput.standardOutput.dropFirst(1) == fromFile.standardOutput.dropFirst(file.path.count),
                "\(suffix.count) line breaks"
            )
        }
    }
}
