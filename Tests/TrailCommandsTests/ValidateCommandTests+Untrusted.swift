import Foundation
import Testing
import TrailJSON
import TrailTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Schemas, inputs and file names that try to hang the tool, exhaust its memory, read files or forge output.
extension ValidateCommandTests {
    /// A folder with `schemas/` and `elsewhere/`, and a valid document `good.json`.
    static func referenceFolder() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for name in ["schemas", "elsewhere"] {
            try FileManager.default.createDirectory(at: directory.appending(name), withIntermediateDirectories: true)
        }
        try Data(#"{"type": "object"}"#.utf8).write(to: directory.appending("elsewhere/object.json"))
        try Data(#"{"id": "trc_1"}"#.utf8).write(to: directory.appending("good.json"))
        return directory
    }

    /// Writes `schemas/<name>` as `{"$ref": reference}` and returns its path.
    static func referring(
        to reference: String,
        in directory: TemporaryDirectory,
        name: String = "root.json"
    ) throws
        -> String
    {
        let url = directory.appending("schemas/" + name)
        let schema: JSONValue = ["$ref": .string(reference)]
        try Data(schema.serializedString().utf8).write(to: url)
        return url.path
    }

    /// Checks a refused schema: exit 2 within a few seconds, nothing on standard output, one line on standard
    /// error that names the schema file and the reference and says why.
    static func expectRefused(
        _ arguments: [String],
        naming reference: String,
        schema: String,
        reason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let started = ContinuousClock.now
        let result = try ProcessResult.run("trail-validate", arguments)
        #expect(ContinuousClock.now - started < .seconds(20), sourceLocation: sourceLocation)
        #expect(result.status == 2, sourceLocation: sourceLocation)
        #expect(result.standardOutput.isEmpty, sourceLocation: sourceLocation)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardError)", sourceLocation: sourceLocation)
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("trail-validate: schema \(schema): "), "\(line)", sourceLocation: sourceLocation)
        #expect(line.contains(reference), "\(line)", sourceLocation: sourceLocation)
        #expect(line.contains(reason), "\(line)", sourceLocation: sourceLocation)
    }

    @Test("$ref to /dev/zero: refused at once with exit 2, outside the folder or (when allowed) as a device")
    func referenceToDevice() throws {
        let directory = try Self.referenceFolder()
        let schema = try Self.referring(to: "file:///dev/zero", in: directory)
        let good = directory.appending("good.json").path
        try Self.expectRefused(
            ["--schema", schema, good],
            naming: "file:///dev/zero",
            schema: schema,
            reason: "is outside the folders schema files may be read from"
        )
        try Self.expectRefused(
            ["--allow-ref-dir", "/", "--schema", schema, good],
            naming: "file:///dev/zero",
            schema: schema,
            reason: "is not a regular file (it is a character device)"
        )
        // The schema file itself is held to the same rules.
        try Self.expectRefused(
            ["--schema", "/dev/zero", good],
            naming: "/dev/zero",
            schema: "/dev/zero",
            reason: "is not a regular file (it is a character device)"
        )
    }

    @Test("$ref to a FIFO: refused, never waited on", .timeLimit(.minutes(1)))
    func referenceToFIFO() throws {
        let directory = try Self.referenceFolder()
        let fifo = directory.appending("schemas/pipe.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let schema = try Self.referring(to: "pipe.json", in: directory)
        let good = directory.appending("good.json").path
        try Self.expectRefused(
            ["--schema", schema, good],
            naming: "pipe.json",
            schema: schema,
            reason: "is not a regular file (it is a FIFO)"
        )
    }

    @Test("$ref to a readable file that is not JSON: exit 2 with its line and column, and none of its content")
    func referenceToSecret() throws {
        let directory = try Self.referenceFolder()
        let secret = "hunter2-SECRET-\(UUID().uuidString)"
        try Data("password=\(secret)\n".utf8).write(to: directory.appending("schemas/credentials"))
        let schema = try Self.referring(to: "credentials#/x", in: directory)
        let result = try ProcessResult.run(
            "trail-validate",
            ["--schema", schema, directory.appending("good.json").path]
        )
        #expect(!result.standardError.contains(secret))
        #expect(!result.standardOutput.contains(secret))
        #expect(!result.standardError.contains("password"))
        try Self.expectRefused(
            ["--schema", schema, directory.appending("good.json").path],
            naming: "credentials referenced from file://",
            schema: schema,
            reason: "is not JSON (line 1, column 1: unexpected character)"
        )
    }

    @Test("$ref outside the schema's folder: refused unless --allow-ref-dir names its folder")
    func referenceOutsideFolder() throws {
        let directory = try Self.referenceFolder()
        let good = directory.appending("good.json").path
        let elsewhere = directory.appending("elsewhere").path
        try FileManager.default.createSymbolicLink(
            atPath: directory.appending("schemas/link.json").path,
            withDestinationPath: directory.appending("elsewhere/object.json").path
        )
        for reference in ["../elsewhere/object.json", "link.json", directory.appending("elsewhere/object.json").path] {
            let schema = try Self.referring(to: reference, in: directory)
            try Self.expectRefused(
                ["--schema", schema, good],
                naming: (reference as NSString).lastPathComponent,
                schema: schema,
                reason: "is outside the folders schema files may be read from"
            )
            let allowed = try ProcessResult.run(
                "trail-validate",
                ["--allow-ref-dir", elsewhere, "--schema", schema, good]
            )
            #expect(allowed.status == 0, "\(reference): \(allowed.standardError)")
        }
        // In the schema's own folder, or below it, no flag is needed.
        try FileManager.default.createDirectory(
            at: directory.appending("schemas/sub"),
            withIntermediateDirectories: true
        )
        try Data(#"{"type": "object"}"#.utf8).write(to: directory.appending("schemas/sub/object.json"))
        let inside = try Self.referring(to: "sub/object.json", in: directory)
        #expect(try ProcessResult.run("trail-validate", ["--schema", inside, good]).status == 0)
        let missing = try ProcessResult.run(
            "trail-validate",
            ["--allow-ref-dir", directory.appending("absent").path, "--schema", inside, good]
        )
        #expect(missing.status == 64)
        #expect(missing.standardError.contains("--allow-ref-dir"))
    }

    @Test("$ref to a file over 16 MiB: refused")
    func referenceOverLimit() throws {
        let directory = try Self.referenceFolder()
        let huge = directory.appending("schemas/huge.json")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        // Sparse: the size is over the limit, the disk holds nothing.
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: UInt64(16 << 20) + 1)
        try handle.close()
        let schema = try Self.referring(to: "huge.json", in: directory)
        try Self.expectRefused(
            ["--schema", schema, directory.appending("good.json").path],
            naming: "huge.json",
            schema: schema,
            reason: "is larger than the limit of 16 MiB for a schema file"
        )
    }

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

    @Test("a file name with a line break and an escape sequence is escaped in text, github and junit output")
    func hostileFileName() throws {
        let directory = try Self.workspace()
        let schema = #"""
            {"type": "object", "additionalProperties": false,
             "properties": {"id": {"type": "string"}, "n": {"additionalProperties": {"type": "string"}}}}
            """#
        try Data(schema.utf8).write(to: directory.appending("strict.json"))
        let name = "x.json\n\u{1b}[2K\u{1b}[32mforged.json:1: all good\u{1b}[0m\u{202e}.json"
        let document = #"{"id": 7,\#n "k\n\u001b[31m": 1,\#n "n": {"\u001b]0;title\u0007\u202e": 2}}"#
        try Data(document.utf8).write(to: directory.appending(name))
        let path = directory.appending(name).path
        let shown = TerminalText.escaped(path)
        #expect(shown.hasSuffix(#"x.json\n\x1b[2K\x1b[32mforged.json:1: all good\x1b[0m\u{202E}.json"#))

        let text = try ProcessResult.run("trail-validate", ["--schema", directory.appending("strict.json").path, path])
        #expect(text.status == 1)
        #expect(
            text.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
                #"\#(shown):1: /: property "k\n\x1b[31m" is not allowed (additionalProperties is false)"#,
                "\(shown):1: /id: expected string, found number",
                #"\#(shown):3: /n/\x1b]0;title\x07\u{202E}: expected string, found number"#,
                "",
            ]
        )
        for format in ["text", "github", "junit"] {
            let result = try ProcessResult.run(
                "trail-validate",
                ["--format", format, "--schema", directory.appending("strict.json").path, path, "--explain"]
            )
            let output = result.standardOutput
            #expect(!output.unicodeScalars.contains { $0 == "\u{1b}" || $0 == "\u{202e}" }, "\(format)")
            #expect(!output.contains("&#27;"), "\(format)")
            #expect(!output.contains("\nforged") && !output.contains("%0Aforged"), "\(format)")
        }
    }
}
