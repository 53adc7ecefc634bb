import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TrailClient
import TrailJSON
import TrailModel
import TrailPull
import TrailServer

typealias TrailModelSource = TrailModel.Source

/// An in-process `trail-serve` on 127.0.0.1 with a free port, for end-to-end pulls.
struct Emulator: Sendable {
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    static let tuorKey = "tuor_e2e_secret_9f3c1a7d"
    static let traciaKey = "tr_e2e_secret_5b8e2c4f"

    /// Starts a server, runs `body`, and stops the server.
    static func with<T: Sendable>(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (Emulator) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration()
        configuration.apiKeys = APIKeys(tuor: [tuorKey], tracia: [traciaKey])
        configure(&configuration)
        let server = try EmulatorServer(configuration: configuration)
        try await server.populate()
        return try await server.withRunning(
            logger: Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { port in
            try await body(Emulator(port: port))
        }
    }

    /// Options for a pull from this emulator into `workspace`, with tight retry delays for tests.
    func options(_ source: TrailModelSource, projects: [String], workspace: String) -> PullOptions {
        var options = PullOptions(
            source: source,
            projects: projects,
            workspace: workspace,
            apiKey: APIKey(source == .tuor ? Self.tuorKey : Self.traciaKey)
        )
        options.baseURL = source == .tuor ? base : base + "/api/v1"
        options.requestsPerSecond = 0
        options.retryPolicy = RetryPolicy(maxAttempts: 30, baseDelay: .milliseconds(2), maxDelay: .milliseconds(50))
        options.batchSize = 2000
        return options
    }

    /// Sends a request to the emulator (admin routes need no key).
    func send(_ method: String, _ path: String, body: String? = nil) async throws -> String {
        var request = HTTPClientRequest(url: base + path)
        request.method = .RAW(value: method)
        if path.hasPrefix("/v1/") { request.headers.add(name: "X-API-Key", value: Self.tuorKey) }
        if path.hasPrefix("/api/v1/") { request.headers.add(name: "Authorization", value: "Bearer \(Self.traciaKey)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return String(buffer: bytes)
    }
}
