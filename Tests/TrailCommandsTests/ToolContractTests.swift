import Foundation
import Testing
import TrailCommands
import TrailJSON
import TrailTestSupport
import TrailToolSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The one CLI contract: every tool given a bad flag, a missing input and an interrupted run exits with the
/// code the README's table and every `--help` give (``ToolOutcome``), with one line that names the tool.
@Suite("The six tools' exit-status contract", .serialized, .timeLimit(.minutes(10)))
struct ToolContractTests {
    /// Each tool's arguments with everything required present, so the bad flag is what fails.
    static let validArguments: [(tool: String, arguments: [String])] = [
        ("trail-pull", ["--source", "tuor", "--project", "p", "--out", "/nonexistent/ws"]),
        ("trail-validate", ["x.json"]),
        ("trail-archive", ["ws", "-o", "/nonexistent/a.tar.zst"]),
        ("trail-verify", ["a.tar.zst"]),
        ("trail-export", ["ws", "--out", "/nonexistent/export"]),
        ("trail-serve", []),
    ]

    @Test("the table the README and --help give is the table the tools use")
    func table() {
        #expect(ToolOutcome.allCases.map(\.rawValue) == [0, 1, 2, 64, 130])
        for outcome in ToolOutcome.allCases {
            #expect(ToolOutcome.helpTable.contains("  \(outcome.rawValue)"))
            #expect(ToolOutcome.helpTable.contains(outcome.meaning))
        }
    }

    @Test("--help ends with the exit-status table", arguments: validArguments.map(\.tool))
    func helpHasTable(tool: String) throws {
        let result = try ProcessResult.run(tool, ["--help"])
        #expect(result.status == 0)
        let help = result.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let table = ToolOutcome.helpTable.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains(table), "\(result.standardOutput)")
    }

    @Test("a bad flag exits 64 with `trail-<tool>: ` and the usage, never ArgumentParser's bare Error:")
    func badFlag() throws {
        for (tool, arguments) in Self.validArguments {
            let result = try ProcessResult.run(tool, arguments + ["--no-such-option"])
            #expect(result.status == 64, "\(tool): \(result.standardError)")
            let lines = result.standardError.split(separator: "\n").map(String.init)
            #expect(lines.first == "\(tool): Unknown option '--no-such-option'", "\(result.standardError)")
            #expect(lines.dropFirst().first?.hasPrefix("Usage: \(tool)") == true, "\(result.standardError)")
            #expect(!result.standardError.contains("Error:"))
        }
    }

    @Test("one log-level switch: --log-level or TRAIL_LOG_LEVEL, checked the same way by pull and serve")
    func logLevel() throws {
        for tool in ["trail-pull", "trail-serve"] {
            let arguments = Self.validArguments.first { $0.tool == tool }!.arguments
            let option = try ProcessResult.run(tool, arguments + ["--log-level", "loud"])
            #expect(option.status == 64)
            #expect(option.standardError.contains("\(tool): unknown --log-level loud"), "\(option.standardError)")
            let variable = try ProcessResult.run(tool, arguments, environment: ["TRAIL_LOG_LEVEL": "loud"])
            #expect(variable.status == 64)
            #expect(
                variable.standardError.contains("\(tool): unknown TRAIL_LOG_LEVEL loud"),
                "\(variable.standardError)"
            )
        }
    }

    @Test("a missing input exits 2 with one line that names the tool and the path, and writes nothing")
    func missingInput() throws {
        let directory = try TemporaryDirectory()
        let absent = directory.appending("absent").path
        let output = directory.appending("out").path
        let cases: [(tool: String, arguments: [String], environment: [String: String])] = [
            ("trail-pull", ["--source", "tuor", "--project", "p", "--out", output, "--api-key-file", absent], [:]),
            ("trail-validate", [absent + ".json"], [:]),
            ("trail-archive", [absent, "-o", output + ".tar.zst"], [:]),
            ("trail-verify", [absent + ".tar.zst", "--extract", output], [:]),
            ("trail-export", [absent, "--out", output], [:]),
            ("trail-serve", ["--seed", absent], [:]),
        ]
        for (tool, arguments, environment) in cases {
            let result = try ProcessResult.run(tool, arguments, environment: environment)
            #expect(result.status == 2, "\(tool): \(result.standardError)")
            // trail-validate names the path in its report on standard output, and its tally on standard error.
            let lines = (result.standardError + result.standardOutput).split(separator: "\n")
            #expect(lines.contains { $0.contains(absent) }, "\(result.standardError)")
            #expect(result.standardError.hasPrefix("\(tool): "), "\(result.standardError)")
            #expect(!result.standardError.contains("Error:"))
            let left = (try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []
            #expect(left.isEmpty, "\(tool) left \(left)")
        }
    }

    @Test("--format json prints the summary as one JSON object on standard output; -o and --out both name the output")
    func jsonSummaries() throws {
        let directory = try TemporaryDirectory()
        let workspace = PackagePaths.samples.appendingPathComponent("workspace").path
        let archive = try ProcessResult.run(
            "trail-archive",
            [workspace, "-o", directory.appending("a.tar.zst").path, "--format", "json", "--jobs", "2"]
        )
        #expect(archive.status == 0, "\(archive.standardError)")
        let archived = try JSONValue(parsing: archive.standardOutput)
        #expect(archived["traces"]?.int64Value == 304)
        #expect(archived["output"]?.stringValue == directory.appending("a.tar.zst").path)
        for flag in ["-o", "--output", "--out"] {
            let output = directory.appending("export" + flag).path
            let export = try ProcessResult.run("trail-export", [workspace, flag, output, "--format", "json"])
            #expect(export.status == 0, "\(export.standardError)")
            let exported = try JSONValue(parsing: export.standardOutput)
            #expect(exported["rows"]?["traces"]?.int64Value == 304)
            #expect(exported["output"]?.stringValue == output)
        }
        let fileFormat = try ProcessResult.run(
            "trail-export",
            [workspace, "-o", directory.appending("x").path, "--format", "parquet"]
        )
        #expect(fileFormat.status == 64)
        #expect(fileFormat.standardError.contains("the file format is --file-format parquet"))
    }

    /// Runs a tool with a pseudo-terminal as its standard output and error (util-linux `script`), and
    /// returns everything the terminal received.
    static func onTerminal(_ tool: String, _ arguments: [String]) throws -> (status: Int32, screen: String) {
        let command = ([PackagePaths.products.appendingPathComponent(tool).path] + arguments)
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        let directory = try TemporaryDirectory()
        let screen = directory.appending("screen")
        _ = FileManager.default.createFile(atPath: screen.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: screen)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: screen, encoding: .utf8))
    }

    @Test("archive, verify and export show a live line on a terminal, cleared before the summary; none off one")
    func progressOnTerminal() throws {
        let directory = try TemporaryDirectory()
        let workspace = PackagePaths.samples.appendingPathComponent("workspace").path
        let archive = directory.appending("a.tar.zst").path
        let runs: [(tool: String, arguments: [String], live: String, summary: String)] = [
            ("trail-archive", [workspace, "-o", archive], "trail-archive: checking ", archive + ": "),
            ("trail-verify", [archive], "trail-verify: verifying ", "intact"),
            (
                "trail-export", [archive, "-o", directory.appending("x").path], "trail-export: verifying ",
                "exported "
            ),
        ]
        let clear = "\r\u{1B}[K"
        // Redraws are at most ten a second, so only the first line (drawn at once) is certain to be seen.
        for run in runs {
            let (status, screen) = try Self.onTerminal(run.tool, run.arguments)
            #expect(status == 0, "\(run.tool): \(screen)")
            #expect(screen.contains(clear + run.live), "\(run.tool): \(screen)")
            // The last thing drawn before the summary is the clearing sequence.
            let summary = try #require(screen.range(of: run.summary, options: .backwards), "\(run.tool): \(screen)")
            let before = screen[..<summary.lowerBound]
            let lastClear = try #require(before.range(of: clear, options: .backwards))
            #expect(!before[lastClear.upperBound...].contains("\(run.tool): "), "\(run.tool): \(screen)")
        }
        let plain = try ProcessResult.run("trail-verify", [archive])
        #expect(plain.status == 0)
        #expect(!plain.standardError.contains("\u{1B}") && !plain.standardOutput.contains("\u{1B}"))
    }

    /// A workspace big enough that archiving or exporting it takes seconds in a debug build.
    static func largeWorkspace(in directory: TemporaryDirectory) throws -> String {
        let path = directory.appending("ws").path
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = [
            "python3", PackagePaths.root.appendingPathComponent("benchmarks/generate_workspace.py").path, path,
            "--traces", "8000", "--days", "3",
        ]
        generator.standardOutput = FileHandle.nullDevice
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0)
        return path
    }

    /// Starts `tool`, signals it once it handles SIGINT, and returns how it ended.
    static func interrupt(
        _ tool: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        signal: Int32 = SIGINT
    ) async throws -> ProcessResult {
        let running = try RunningTool(tool, arguments, environment: environment)
        let ready = try await running.waitUntilHandlingInterrupts()
        try #require(ready, "\(tool) ended before it handled signals")
        running.send(signal)
        // Standard input stays open until the tool has ended: closing it could let a tool reading `-` finish
        // normally before the signal is handled.
        return try await running.finish(closingInput: false)
    }

    @Test("an interrupted archive or export exits 130: no archive, no export manifest, no temporary file")
    func interruptedWriters() async throws {
        let directory = try TemporaryDirectory()
        let workspace = try Self.largeWorkspace(in: directory)
        let outputs = try TemporaryDirectory()
        let archive = try await Self.interrupt(
            "trail-archive",
            [workspace, "-o", outputs.appending("audit.tar.zst").path]
        )
        #expect(archive.status == 130, "\(archive.standardError)")
        #expect(archive.standardError.contains("trail-archive: interrupted"))
        let export = try await Self.interrupt("trail-export", [workspace, "--out", outputs.appending("export").path])
        #expect(export.status == 130, "\(export.standardError)")
        #expect(export.standardError.contains("trail-export: interrupted"))
        let left = FileManager.default.enumerator(atPath: outputs.url.path)?.compactMap { $0 as? String } ?? []
        // Each export file is renamed into place whole; the dataset is complete only with its manifest,
        // which an interrupted run never writes (docs/export-format.md).
        #expect(left.allSatisfy { !$0.hasSuffix(".tmp") }, "\(left)")
        #expect(!FileManager.default.fileExists(atPath: outputs.appending("audit.tar.zst").path))
        #expect(!FileManager.default.fileExists(atPath: outputs.appending("export/_manifest.json").path))
    }

    @Test("an interrupted verify or validate exits 130 at once, even while it waits for input")
    func interruptedReaders() async throws {
        let validate = try await Self.interrupt("trail-validate", ["-"])
        #expect(validate.status == 130, "\(validate.standardError)")
        #expect(validate.standardError.contains("trail-validate: interrupted"))

        let directory = try TemporaryDirectory()
        let workspace = try Self.largeWorkspace(in: directory)
        let archive = directory.appending("audit.tar.zst").path
        #expect(try ProcessResult.run("trail-archive", [workspace, "-o", archive]).status == 0)
        let verify = try await Self.interrupt("trail-verify", [archive], signal: SIGTERM)
        #expect(verify.status == 130, "\(verify.standardError)")
        #expect(verify.standardError.contains("trail-verify: interrupted"))
    }

    @Test("an interrupted pull exits 130; trail-serve's SIGINT is its normal stop and exits 0")
    func interruptedPullAndServe() async throws {
        let server = try RunningTool(
            "trail-serve",
            ["--port", "0", "--generate", "20", "--latency-ms", "30000", "--log-level", "error"],
            environment: ["TUOR_API_KEY": "tuor_contract_test"]
        )
        var port: Int?
        for _ in 0..<1200 where port == nil {
            let text = server.standardOutputSoFar
            if let newline = text.firstIndex(of: "\n") { port = Int(text[..<newline]) }
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let bound = try #require(port)
        let directory = try TemporaryDirectory()
        let pull = try await Self.interrupt(
            "trail-pull",
            [
                "--source", "tuor", "--project", "proj_a", "--out", directory.url.path,
                "--base-url", "http://127.0.0.1:\(bound)", "--rate-limit", "0",
            ],
            environment: ["TUOR_API_KEY": "tuor_contract_test"]
        )
        #expect(pull.status == 130, "\(pull.standardError)")
        #expect(pull.standardError.contains("trail-pull: interrupted"))

        server.send(SIGINT)
        let served = try await server.finish()
        #expect(served.status == 0, "\(served.standardError)")
    }
}
