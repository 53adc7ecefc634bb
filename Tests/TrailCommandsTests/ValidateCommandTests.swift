import Foundation
import Testing
import TrailCompression
import TrailJSON
import TrailTestSupport

@Suite("trail-validate")
struct ValidateCommandTests {
    static let schema = #"""
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["id"],
         "properties": {"id": {"type": "string", "pattern": "^trc_"}, "content": {"type": "string", "maxLength": 5}}}
        """#

    /// A temporary folder with the schema and a few inputs.
    static func workspace() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try Data(schema.utf8).write(to: directory.appending("schema.json"))
        try Data(#"{"id": "trc_1", "content": "hi"}"#.utf8).write(to: directory.appending("good.json"))
        try Data("{\n  \"id\": \"x\",\n  \"content\": \"far too long\"\n}\n".utf8).write(
            to: directory.appending("bad.json")
        )
        try Data("{\"id\": \"trc_1\"}\n\n{\"id\": 7}\n{\"id\": \"trc_2\"".utf8).write(
            to: directory.appending("lines.jsonl")
        )
        return directory
    }

    @Test("valid input exits 0")
    func valid() throws {
        let directory = try Self.workspace()
        let result = try ProcessResult.run(
            "trail-validate",
            ["--schema", directory.appending("schema.json").path, directory.appending("good.json").path]
        )
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == "trail-validate: 1 document in 1 file: 0 invalid\n")
    }

    @Test("invalid documents exit 1 with file:line: /pointer: message")
    func invalid() throws {
        let directory = try Self.workspace()
        let schema = directory.appending("schema.json").path
        let bad = directory.appending("bad.json").path
        let lines = directory.appending("lines.jsonl").path
        let result = try ProcessResult.run("trail-validate", ["--schema", schema, bad, lines])
        #expect(result.status == 1)
        #expect(
            result.standardOutput.split(separator: "\n").map(String.init) == [
                "\(bad):2: /id: \"x\" does not match the pattern ^trc_",
                "\(bad):3: /content: string is 12 characters long; the limit is 5",
                "\(lines):3: /id: expected string, found number",
                "\(lines):4: column 15: invalid JSON: unexpected end of input; expected ',' or '}'",
            ]
        )
        #expect(result.standardError == "trail-validate: 4 documents in 2 files: 3 invalid\n")
    }

    @Test("directories, globs, standard input and gzip are inputs")
    func inputs() throws {
        let directory = try Self.workspace()
        let schema = directory.appending("schema.json").path
        try Data(try Gzip.compress(Array("{\"id\": \"trc_9\"}\n".utf8))).write(
            to: directory.appending("more.ndjson.gz")
        )
        let all = try ProcessResult.run("trail-validate", ["--schema", schema, directory.url.path])
        // The schema file itself is a .json document in the folder, and it has no "id".
        #expect(all.standardError == "trail-validate: 7 documents in 5 files: 4 invalid\n")
        let glob = try ProcessResult.run("trail-validate", ["--schema", schema, directory.url.path + "/g*.json"])
        #expect(glob.status == 0)
        let stdin = try ProcessResult.run(
            "trail-validate",
            ["--schema", schema, "-"],
            standardInput: Data("{\n \"id\": \"nope\"\n}\n".utf8)
        )
        #expect(stdin.status == 1)
        #expect(stdin.standardOutput == "-:2: /id: \"nope\" does not match the pattern ^trc_\n")
    }

    @Test("machine-readable formats", arguments: ["json", "junit", "github", "sarif"])
    func formats(format: String) throws {
        let directory = try Self.workspace()
        let result = try ProcessResult.run(
            "trail-validate",
            [
                "--format", format, "--schema", directory.appending("schema.json").path,
                directory.appending("bad.json").path,
            ]
        )
        #expect(result.status == 1)
        switch format {
        case "json", "sarif":
            let output = try JSONValue(parsing: result.standardOutput)
            if format == "json" {
                #expect(output["files"]?[0]?["invalid"]?[0]?["errors"]?[0]?["instanceLocation"] == "/id")
                #expect(output["files"]?[0]?["invalid"]?[0]?["errors"]?[0]?["line"] == 2)
            } else {
                #expect(output["runs"]?[0]?["results"]?.arrayValue?.count == 2)
            }
        case "junit":
            #expect(result.standardOutput.contains("<testsuite name=\"trail-validate\" tests=\"1\" failures=\"1\""))
        default:
            #expect(result.standardOutput.hasPrefix("::error file="))
            #expect(result.standardOutput.contains(",line=2,title=trail-validate::/id: "))
            #expect(result.standardOutput.contains(",line=3,title=trail-validate::/content: "))
        }
    }

    @Test(
        "usage errors exit 64, an unknown schema 2, each with a one-line reason naming the tool",
        arguments: [
            (["--format", "xml", "x.json"], 64, "trail-validate: unknown --format xml"),
            ([] as [String], 64, "trail-validate: give at least one PATH"),
            (["--schema", "no/such-schema", "x.json"], 2, "unknown schema \"no/such-schema\""),
        ] as [([String], Int32, String)]
    )
    func failures(arguments: [String], status: Int32, message: String) throws {
        let result = try ProcessResult.run("trail-validate", arguments)
        #expect(result.status == status)
        #expect(result.standardError.contains(message))
        #expect(!result.standardError.contains("Error:"))
    }

    @Test("crafted bad instances: one line each, naming the file and line, exit 1, never a crash")
    func craftedInstances() throws {
        let directory = try Self.workspace()
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let tooDeep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let huge = String(repeating: "x", count: 50_000_000)
        let inputs: [(name: String, bytes: [UInt8], line: Int, message: String)] = [
            ("truncated.json", Array("{\"id\": \"trc_1\",\n \"content\": \"hi".utf8), 2, "invalid JSON: "),
            ("utf8.json", Array("{\"id\": \"trc_".utf8) + [0xC3, 0x28] + Array("\"}".utf8), 1, "invalid JSON: "),
            ("deep.json", Array("{\"id\": \"trc_1\",\n\"content\": \(deep)}".utf8), 2, "/content: expected string"),
            ("too-deep.json", Array("{\"id\": \"trc_1\", \"content\": \(tooDeep)}".utf8), 1, "invalid JSON: "),
            ("huge.json", Array("{\n\"id\": \"\(huge)\"}".utf8), 2, "/id: \"xxxx"),
            ("duplicate.json", Array("{\"id\": \"trc_1\",\n\n \"id\": \"trc_2\"}".utf8), 3, "duplicate key \"id\""),
        ]
        for input in inputs {
            try Data(input.bytes).write(to: directory.appending(input.name))
            let path = directory.appending(input.name).path
            let result = try ProcessResult.run(
                "trail-validate",
                ["--schema", directory.appending("schema.json").path, path]
            )
            #expect(result.status == 1, "\(input.name)")
            let lines = result.standardOutput.split(separator: "\n")
            #expect(lines.count == 1, "\(input.name): \(result.standardOutput.prefix(300))")
            #expect(
                lines.first?.hasPrefix("\(path):\(input.line): ") == true,
                "\(input.name): \(lines.first?.prefix(300) ?? "")"
            )
            #expect(lines.first?.contains(input.message) == true, "\(input.name): \(lines.first?.prefix(300) ?? "")")
            #expect((lines.first?.utf8.count ?? 0) < 400, "\(input.name): the message quotes at most a short prefix")
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
    }

    @Test("a schema that is not a schema, a reference loop and a missing file exit 2")
    func badSchemas() throws {
        let directory = try Self.workspace()
        let good = directory.appending("good.json").path
        try Data(#"{"type": "objet"}"#.utf8).write(to: directory.appending("typo.json"))
        try Data(##"{"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}}"##.utf8).write(
            to: directory.appending("loop.json")
        )
        for (schema, message) in [("typo.json", "not a valid schema"), ("loop.json", "references loop back")] {
            let result = try ProcessResult.run("trail-validate", ["--schema", directory.appending(schema).path, good])
            #expect(result.status == 2)
            #expect(result.standardError.contains(message))
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
        let missing = try ProcessResult.run(
            "trail-validate",
            ["--schema", directory.appending("schema.json").path, directory.appending("absent.json").path]
        )
        #expect(missing.status == 2)
        #expect(missing.standardOutput.contains("no such file or directory"))
    }

    @Test("NDJSON checked on several workers reports in file order, with the same output as one worker")
    func parallelLines() throws {
        let directory = try Self.workspace()
        let schema = directory.appending("schema.json").path
        let path = directory.appending("many.ndjson").path
        var bytes: [UInt8] = []
        var expected: [Int] = []
        var lineNumber = 0
        func add(_ text: String, invalid: Bool = false) {
            lineNumber += 1
            bytes += Array(text.utf8) + [0x0A]
            if invalid { expected.append(lineNumber) }
        }
        for index in 0..<20_000 {
            switch index {
            case 4_090...4_100:
                // Lines longer than a whole block, around the first block boundaries.
                add("{\"id\": \"trc_\(index)\", \"pad\": \"\(String(repeating: "x", count: 1_100_000))\"}")
            case 10_001:
                // Invalid UTF-8 in the middle of the file.
                lineNumber += 1
                bytes += Array("{\"id\": \"trc_".utf8) + [0xFF, 0xFE] + Array("\"}".utf8) + [0x0A]
                expected.append(lineNumber)
            case let index where index % 997 == 3:
                add("{\"id\": \(index)}", invalid: true)
            case let index where index % 1_999 == 5:
                add("")
            default:
                add("{\"id\": \"trc_\(index)\", \"content\": \"hi\"}")
            }
        }
        add("{\"id\": \"trc_last\", \"content\": \"far too long\"}", invalid: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let one = try ProcessResult.run("trail-validate", ["--jobs", "1", "--schema", schema, path])
        let four = try ProcessResult.run("trail-validate", ["--jobs", "4", "--schema", schema, path])
        #expect(one.status == 1)
        #expect(four.status == one.status)
        #expect(four.standardOutput == one.standardOutput)
        #expect(four.standardError == one.standardError)
        let reported = four.standardOutput.split(separator: "\n").map { line in
            Int(line.dropFirst(path.count + 1).prefix { $0 != ":" }) ?? 0
        }
        #expect(reported == expected)
        #expect(four.standardOutput.contains("\(path):10002: column 13: invalid JSON: invalid UTF-8"))
        let documents = 20_001 - (0..<20_000).filter { $0 % 1_999 == 5 && $0 % 997 != 3 }.count
        #expect(
            four.standardError == "trail-validate: \(documents) documents in 1 file: \(expected.count) invalid\n"
        )
    }
}
