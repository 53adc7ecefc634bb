import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import TrailServer

/// A log handler that keeps every rendered line, for checking what the request log says.
final class CapturingLogHandler: LogHandler, Sendable {
    let lines = Mutex<[String]>([])

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let rendered = "\(event.level) \(event.message) \(event.metadata ?? [:]) \(event.source)"
        lines.withLock { $0.append(rendered) }
    }
}

@Suite("Request logging")
struct RequestLoggingTests {
    @Test("logs one line per request and never the API keys, whatever the level")
    func keysNeverLogged() async throws {
        let handler = CapturingLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .trace
        try await TestServer.with(generate: 2, logger: logger) { server in
            _ = try await server.get("/v1/traces/")
            _ = try await server.get("/api/v1/prompts")
            _ = try await server.send(
                .GET,
                "/v1/traces/",
                headers: [("X-API-Key", "tuor_wrong_secret")],
                authenticated: false
            )
            _ = try await server.send(
                .GET,
                "/api/v1/spans",
                headers: [("Authorization", "Bearer tr_wrong_secret")],
                authenticated: false
            )
        }
        let lines = handler.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("GET /v1/traces/ 200") })
        #expect(lines.contains { $0.contains("GET /v1/traces/ 403") })
        for secret in [TestServer.tuorKey, TestServer.traciaKey, "tuor_wrong_secret", "tr_wrong_secret"] {
            #expect(!lines.contains { $0.contains(secret) }, "a log line contains \(secret)")
        }
    }
}
