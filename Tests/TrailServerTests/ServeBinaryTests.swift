import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailTestSupport

@Suite("The trail-serve executable", .timeLimit(.minutes(5)))
struct ServeBinaryTests {
    @Test("prints the port on its first line, serves, and exits 0 on SIGTERM")
    func startsAndStops() async throws {
        let directory = try TemporaryDirectory(prefix: "trail-serve")
        let outputURL = directory.appending("stdout")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let process = Process()
        process.executableURL = PackagePaths.products.appendingPathComponent("trail-serve")
        process.arguments = ["--port", "0", "--generate", "5", "--log-level", "error"]
        process.environment = ["TUOR_API_KEY": "tuor_binary_test"]
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Bounded wait for the first line: up to 600 polls of 50 ms.
        var port: Int?
        for _ in 0..<600 where port == nil {
            let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
            if let newline = text.firstIndex(of: "\n") {
                port = Int(text[..<newline])
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let bound = try #require(port)
        #expect(bound > 0)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(bound)/v1/tags/")
        request.headers.add(name: "X-API-Key", value: "tuor_binary_test")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.status.code == 200)

        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
