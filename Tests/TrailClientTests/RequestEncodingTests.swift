import NIOCore
import Synchronization
import Testing
import TrailModel

@testable import TrailClient

@Suite("Requests: ids percent-encoded, timeouts kept to the nanosecond")
struct RequestEncodingTests {
    @Test(
        "every byte outside RFC 3986's unreserved set is percent-encoded, non-ASCII letters included",
        arguments: [
            ("proj_a-1.b~c", "proj_a-1.b~c"),
            ("café", "caf%C3%A9"),
            ("a/b?c#d e", "a%2Fb%3Fc%23d%20e"),
            ("ü1", "%C3%BC1"),
            ("漢字", "%E6%BC%A2%E5%AD%97"),
            ("%41", "%2541"),
        ]
    )
    func encoding(id: String, encoded: String) {
        #expect(RequestExecutor.encode(id) == encoded)
    }

    @Test("a project id with non-ASCII letters and a slash names exactly itself in the request path")
    func projectPath() async throws {
        let seen = Mutex<[String]>([])
        var configuration = ClientConfiguration(source: .tuor, baseURL: "http://upstream.test", apiKey: APIKey("k"))
        configuration.retryPolicy = RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        let transport = ClosureTransport { request in
            seen.withLock { $0.append(request.url) }
            return TransportResponse(status: 200, body: .bytes(Array(#"{"active":null,"history":[]}"#.utf8)))
        }
        let client = TuorClient(executor: RequestExecutor(configuration: configuration, transport: transport))
        _ = try await client.prompts(project: "équipe/ü")
        #expect(seen.withLock { $0 } == ["http://upstream.test/v1/projects/%C3%A9quipe%2F%C3%BC/prompts"])
    }

    @Test("sub-second timeouts are kept, not rounded up to a second")
    func timeouts() {
        #expect(AsyncHTTPClientTransport.timeAmount(.milliseconds(250)).nanoseconds == 250_000_000)
        #expect(AsyncHTTPClientTransport.timeAmount(.seconds(2) + .microseconds(5)).nanoseconds == 2_000_005_000)
        #expect(AsyncHTTPClientTransport.timeAmount(.zero).nanoseconds == 1)
        #expect(AsyncHTTPClientTransport.timeAmount(.seconds(Int64.max)).nanoseconds == Int64.max)
    }
}
