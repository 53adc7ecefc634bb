import Foundation
import Testing
import TrailJSON
import TrailTestSupport

/// Runs the built `trail-serve` and `trail-pull` binaries, as a user would.
@Suite("trail-pull binary against the trail-serve binary", .serialized)
struct PullBinaryTests {
    static let key = "tuor_binary_secret_c0ffee42"

    /// A running `trail-serve` child process.
    final class Server {
        let process = Process()
        let port: Int

        init(arguments: [String]) throws {
            process.executableURL = PackagePaths.products.appendingPathComponent("trail-serve")
            process.arguments = ["--port", "0"] + arguments
            process.environment = ["TUOR_API_KEY": PullBinaryTests.key, "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line: [UInt8] = []
            while true {
                let byte = output.fileHandleForReading.readData(ofLength: 1)
                guard let first = byte.first else { break }
                if first == 0x0A { break }
                line.append(first)
            }
            port = Int(String(decoding: line, as: UTF8.self)) ?? 0
        }

        deinit {
            process.interrupt()
            process.waitUntilExit()
        }
    }

    static func pull(port: Int, into directory: URL, extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = PackagePaths.products.appendingPathComponent("trail-pull")
        process.arguments =
            [
                "--source", "tuor", "--base-url", "http://127.0.0.1:\(port)",
                "--project", "proj_invoices", "proj_support", "proj_contracts",
                "--out", directory.path, "--rate-limit", "0", "--retry-base-ms", "2", "--max-attempts", "30",
                "--batch-size", "400", "--quiet",
            ] + extra
        process.environment = ["TUOR_API_KEY": key, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("SIGKILL at 20 random points, re-run each time: the final workspace equals a clean pull's")
    func killAndResume() throws {
        let server = try Server(arguments: ["--generate", "4000", "--random-seed", "5", "--latency-ms", "1"])
        #expect(server.port > 0)
        let clean = try TemporaryDirectory()
        let killed = try TemporaryDirectory()
        let reference = try Self.pull(port: server.port, into: clean.url)
        reference.waitUntilExit()
        #expect(reference.terminationStatus == 0)

        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let process = try Self.pull(port: server.port, into: killed.url)
            usleep(UInt32.random(in: 20_000...900_000, using: &generator))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let final = try Self.pull(port: server.port, into: killed.url)
        final.waitUntilExit()
        #expect(final.terminationStatus == 0)

        var expected = try WorkspaceSnapshot.files(clean.url)
        var actual = try WorkspaceSnapshot.files(killed.url)
        for name in ["state.json", "workspace.json"] {
            expected[name] = nil
            actual[name] = nil
        }
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (path, text) in expected { #expect(actual[path] == text, "\(path)") }
        #expect(try WorkspaceSnapshot(killed.url) == WorkspaceSnapshot(clean.url))
        try expectNoKey(Self.key, in: killed.url, logs: "")
    }

    @Test("exit status 2 and a message naming the variable when the key is missing")
    func missingKey() throws {
        let directory = try TemporaryDirectory()
        let result = try ProcessResult.run(
            "trail-pull",
            ["--source", "tuor", "--project", "proj_a", "--out", directory.url.path]
        )
        #expect(result.status == 2)
        #expect(result.standardError.contains("TUOR_API_KEY"))
    }
}
