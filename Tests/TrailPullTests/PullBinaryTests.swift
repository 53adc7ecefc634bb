import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailJSON
import TrailTestSupport

/// Runs the built `trail-serve` and `trail-pull` binaries, as a user would.
@Suite("trail-pull binary against the trail-serve binary", .serialized, .timeLimit(.minutes(15)))
struct PullBinaryTests {
    static let key = "tuor_binary_secret_c0ffee42"
    static let traciaKey = "tr_binary_secret_7e11a5"

    /// A running `trail-serve` child process.
    final class Server {
        let process = Process()
        let port: Int

        init(arguments: [String]) throws {
            process.executableURL = PackagePaths.products.appendingPathComponent("trail-serve")
            process.arguments = ["--port", "0"] + arguments
            process.environment = [
                "TUOR_API_KEY": PullBinaryTests.key, "TRACIA_API_KEY": PullBinaryTests.traciaKey,
                "PATH": "/usr/bin:/bin",
            ]
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

        // The kill points come from a seed that the test prints; PROMPTTRAIL_KILL_SEED=N replays a run.
        let seed =
            ProcessInfo.processInfo.environment["PROMPTTRAIL_KILL_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("SIGKILL points seeded with PROMPTTRAIL_KILL_SEED=\(seed)")
        var generator = SeededGenerator(seed: seed)
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

    @Test(
        "usage errors before any request: a page above the platform's maximum, an interval that is not one",
        arguments: [
            (["--source", "tracia", "--page-size", "101"], "above Tracia's documented maximum of 100 items per page"),
            (["--source", "tuor", "--page-size", "201"], "above Tuor's maximum of 200 items per page"),
            (["--source", "tuor", "--watch", "0"], "--watch 0 is not an interval"),
            (["--source", "tuor", "--watch", "5x"], "--watch 5x is not an interval"),
        ]
    )
    func usage(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory()
        let result = try ProcessResult.run(
            "trail-pull",
            arguments + ["--project", "acct", "--out", directory.url.path],
            environment: ["TUOR_API_KEY": Self.key, "TRACIA_API_KEY": Self.traciaKey]
        )
        #expect(result.status == 64)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending("workspace.json").path))
    }

    @Test("--watch keeps pulling: a Tracia version made between two pulls is captured, then SIGINT stops it (130)")
    func watch() async throws {
        let server = try Server(arguments: ["--generate", "40", "--random-seed", "3"])
        let directory = try TemporaryDirectory()
        let summary = directory.appending("summary.json")
        let process = Process()
        process.executableURL = PackagePaths.products.appendingPathComponent("trail-pull")
        process.arguments = [
            "--source", "tracia", "--base-url", "http://127.0.0.1:\(server.port)/api/v1", "--project", "acct_main",
            "--out", directory.url.path, "--rate-limit", "0", "--watch", "1s", "--summary-json", summary.path,
            "--quiet",
        ]
        process.environment = ["TRACIA_API_KEY": Self.traciaKey, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let activations = directory.appending("activations/acct_main.jsonl")
        func lines() -> [JSONValue] {
            let text = (try? String(contentsOf: activations, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        }
        func wait(_ condition: () -> Bool) async throws {
            for _ in 0..<600 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
            #expect(condition())
        }
        try await wait { !lines().isEmpty }
        let first = lines()
        let slug = try #require(first.first?["prompt_key"]?.stringValue)
        let before = try #require(first.first?["version"]?.int64Value)

        // A new version, current only until the next one: each lives longer than the interval.
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/api/v1/prompts/\(slug)")
        request.method = .PUT
        request.headers.add(name: "Authorization", value: "Bearer \(Self.traciaKey)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(string: #"{"content":[{"id":"msg_1","role":"system","content":"Captured while current."}]}"#)
        )
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status == .ok)
        _ = try await response.body.collect(upTo: 1 << 20)
        try await wait {
            lines().contains { $0["prompt_key"]?.stringValue == slug && $0["version"]?.int64Value == before + 1 }
        }
        let changed = try #require(lines().last { $0["version"]?.int64Value == before + 1 })
        #expect(changed["previously_observed_at"]?.stringValue != nil)

        let prompts = try String(contentsOf: directory.appending("prompts/acct_main.jsonl"), encoding: .utf8)
        #expect(prompts.contains("Captured while current."))
        #expect(process.isRunning)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130)
        let state = try JSONValue(parsing: String(contentsOf: directory.appending("state.json"), encoding: .utf8))
        #expect(state["streams"]?["acct_main"]?["prompts"]?["observed_at"]?.stringValue != nil)
        #expect(FileManager.default.fileExists(atPath: summary.path))
    }
}
