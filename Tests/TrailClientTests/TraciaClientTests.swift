import Foundation
import Synchronization
import Testing
import TrailClient
import TrailJSON
import TrailModel
import TrailTestSupport

/// Tracia's client over a closure transport serving the documented shapes (samples/tracia).
@Suite("TraciaClient over a closure transport")
struct TraciaClientTests {
    static let key = "tr_closure_secret_2718"
    static let samples = PackagePaths.samples.appendingPathComponent("tracia")

    static func sample(_ name: String) throws -> String {
        try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8)
    }

    static func client(
        pageSize: Int = 100,
        _ handler: @escaping @Sendable (TransportRequest) async throws -> TransportResponse
    ) -> TraciaClient {
        var configuration = ClientConfiguration(
            source: .tracia,
            baseURL: "http://tracia.test/api/v1",
            apiKey: APIKey(key)
        )
        configuration.pageSize = pageSize
        configuration.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        return TraciaClient(
            executor: RequestExecutor(configuration: configuration, transport: ClosureTransport(handler))
        )
    }

    static func ok(_ body: String) -> TransportResponse {
        TransportResponse(status: 200, body: .bytes(Array(body.utf8)))
    }

    @Test("prompts: the list, then each prompt by slug; only the current version, and which one is current")
    func prompts() async throws {
        let detail = try Self.sample("prompt.valid.json")
        let seen = Mutex<[String]>([])
        let client = Self.client { request in
            seen.withLock { $0.append(request.url) }
            #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(Self.key)" })
            if request.url.hasSuffix("/prompts") {
                return Self.ok(#"{"prompts":[{"slug":"welcome-email","name":"Welcome","currentVersion":4}]}"#)
            }
            #expect(request.url.hasSuffix("/prompts/welcome-email"))
            return Self.ok(detail)
        }
        let listing = try await client.prompts(project: "acct_main")
        #expect(
            seen.withLock { $0 } == [
                "http://tracia.test/api/v1/prompts", "http://tracia.test/api/v1/prompts/welcome-email",
            ]
        )
        #expect(listing.versions.count == 1)
        let version = try listing.versions[0].record.get()
        #expect(version.version == 4)
        #expect(version.projectID == "acct_main")
        #expect(listing.versions[0].schema == "tracia/prompt")
        #expect(listing.activations.map(\.version) == [4])
    }

    @Test("a prompt list without a prompts array is a malformed response naming the path")
    func malformedList() async throws {
        let client = Self.client { _ in Self.ok(#"{"items":[]}"#) }
        await #expect {
            _ = try await client.prompts(project: "acct_main")
        } throws: { error in
            "\(error)".contains("/prompts") && "\(error)".contains("no prompts array")
        }
    }

    @Test("spans: listed page by page with the cursor, each fetched by id; a listed span without an id is refused")
    func spans() async throws {
        let first = try Self.sample("span.valid.json")
        let legacy = try Self.sample("span.valid.legacy-span-id.json")
        let lists = Mutex<[String]>([])
        let client = Self.client(pageSize: 1) { request in
            let url = request.url
            if url.contains("/spans?") {
                lists.withLock { $0.append(url) }
                #expect(url.contains("limit=1"))
                if !url.contains("cursor=") {
                    return Self.ok(#"{"spans":[{"spanId":"sp_abc123def456","status":"SUCCESS"}],"nextCursor":"c2"}"#)
                }
                if url.contains("cursor=c2") {
                    return Self.ok(
                        #"{"spans":[{"spanId":"tr_8c1d4e7f2a9b0c36"},{"status":"ERROR"}],"nextCursor":null}"#
                    )
                }
                Issue.record("unexpected cursor in \(url)")
                return Self.ok(#"{"spans":[],"nextCursor":null}"#)
            }
            if url.hasSuffix("/spans/sp_abc123def456") { return Self.ok(first) }
            if url.hasSuffix("/spans/tr_8c1d4e7f2a9b0c36") { return Self.ok(legacy) }
            Issue.record("unexpected request \(url)")
            return TransportResponse(
                status: 404,
                body: .bytes(Array(#"{"error":{"code":"NOT_FOUND","message":"no"}}"#.utf8))
            )
        }
        var ids: [String] = []
        var refused: [String] = []
        var checkpoints = 0
        try await client.traces(project: "acct_main", from: TraceStreamPosition(), promptIDs: [:]) { event in
            switch event {
            case .item(let pulled):
                switch pulled.record {
                case .success(let record): ids.append(record.id)
                case .failure(let refusal): refused.append("\(pulled.schema ?? ""): \(refusal)")
                }
            case .checkpoint: checkpoints += 1
            }
        }
        #expect(lists.withLock { $0.count } == 2)
        #expect(Set(ids).count == 2)
        #expect(refused.count == 1)
        #expect(refused.first?.contains("tracia/span-list-response") == true, "\(refused)")
        #expect(checkpoints >= 1)
    }
}
