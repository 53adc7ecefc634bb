import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TrailServer

/// A response as the tests see it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body's bytes.
    var bytes: [UInt8] { Array(body.utf8) }
}

/// A running in-process emulator on 127.0.0.1 and a client for it.
struct TestServer: Sendable {
    let server: EmulatorServer
    let port: Int

    var base: String { "http://127.0.0.1:\(port)" }

    static let tuorKey = "tuor_test_key_0001"
    static let traciaKey = "tr_test_key_0001"

    /// Starts a server, runs `body`, and stops the server (by cancelling its task).
    static func with<T: Sendable>(
        generate: Int = 30,
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration()
        configuration.generateCount = generate
        configuration.apiKeys = APIKeys(tuor: [tuorKey], tracia: [traciaKey])
        configure(&configuration)
        let server = try EmulatorServer(configuration: configuration)
        try await server.populate()
        return try await server.withRunning(logger: logger) { port in
            try await body(TestServer(server: server, port: port))
        }
    }

    /// Sends a request; the platform's key is added unless `authenticated` is false.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil,
        headers: [(String, String)] = [],
        authenticated: Bool = true
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if authenticated {
            if path.hasPrefix("/v1/") {
                request.headers.add(name: "X-API-Key", value: Self.tuorKey)
            } else if path.hasPrefix("/api/v1/") {
                request.headers.add(name: "Authorization", value: "Bearer \(Self.traciaKey)")
            }
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return TestResponse(
            status: Int(response.status.code),
            headers: response.headers,
            body: String(buffer: collected)
        )
    }

    /// Shorthand for a `GET`.
    func get(_ path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(.GET, path, headers: headers)
    }
}

/// Minimal JSON access for assertions, through Foundation's decoder into typed shapes.
enum Decode {
    struct TraceList: Decodable {
        struct Item: Decodable {
            var id: String
            var status: String
            var projectId: String
            var updatedAt: String
            var tags: [String]
        }
        var data: [Item]
        var nextCursor: String?
    }

    struct Detail: Decodable { var detail: String }

    struct Issues: Decodable {
        struct Issue: Decodable {
            var msg: String
            var type: String
        }
        var detail: [Issue]
    }

    /// Validation issues with their `loc` paths.
    struct LocatedIssues: Decodable {
        /// A `loc` element: a key or an index, as text.
        struct Part: Decodable {
            var text: String

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let index = try? container.decode(Int.self) {
                    text = String(index)
                } else {
                    text = try container.decode(String.self)
                }
            }
        }
        struct Issue: Decodable {
            var loc: [Part]
            var msg: String
            var type: String
        }
        var detail: [Issue]
    }

    /// A Tracia error in the envelope both official SDKs read, `{"error": {"code", "message"}}`: the
    /// emulator's default.
    struct TraciaError: Decodable {
        struct Flat: Decodable {
            var code: String
            var message: String
        }
        var error: Flat
        var code: String { error.code }
        var message: String { error.message }
    }

    static func value<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(response.body.utf8))
    }
}
