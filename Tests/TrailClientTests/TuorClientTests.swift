import Synchronization
import Testing
import TrailClient
import TrailJSON
import TrailModel

/// Drives the clients through a closure-backed transport.
@Suite("TuorClient over a closure transport")
struct TuorClientTests {
    static let key = "tuor_closure_secret_4711"

    static func client(
        _ handler: @escaping @Sendable (TransportRequest) async throws -> TransportResponse
    ) -> TuorClient {
        var configuration = ClientConfiguration(source: .tuor, baseURL: "http://upstream.test", apiKey: APIKey(key))
        configuration.retryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        return TuorClient(executor: RequestExecutor(configuration: configuration, transport: ClosureTransport(handler)))
    }

    static func trace(_ index: Int, status: String = "approved") -> String {
        #"{"id":"trc_\#(index)","project_id":"proj_a","status":"\#(status)","model_input":{},"model_output":{"n":\#(index)},"#
            + #""created_at":"2026-05-12T00:00:0\#(index)Z","updated_at":"2026-05-13T00:00:0\#(index)Z"}"#
    }

    static func collect(_ client: TuorClient) async throws -> [String] {
        var ids: [String] = []
        try await client.traces(project: "proj_a", from: TraceStreamPosition(), promptIDs: [:]) { event in
            if case .item(let pulled) = event { ids.append(try pulled.record.get().id) }
        }
        return ids
    }

    @Test("a truncated export line is not delivered; the stream resumes from the last whole record")
    func truncatedLine() async throws {
        let calls = Mutex(0)
        let client = Self.client { request in
            if request.url.contains("/v1/traces/?") {
                return TransportResponse(status: 200, body: .bytes(Array(#"{"data":[],"next_cursor":null}"#.utf8)))
            }
            let call = calls.withLock {
                $0 += 1; return $0
            }
            let lines = (1...5).map { Self.trace($0) }
            var body = lines[0] + "\n" + lines[1] + "\n"
            if call == 1 {
                body += String(lines[2].prefix(20)) + "\n" + lines[3] + "\n"
            } else {
                #expect(request.url.contains("since="))
                body = lines[1] + "\n" + lines[2] + "\n" + lines[3] + "\n" + lines[4] + "\n"
            }
            return TransportResponse(status: 200, body: .bytes(Array(body.utf8)))
        }
        let ids = try await Self.collect(client)
        #expect(Set(ids) == Set((1...5).map { "trc_\($0)" }))
        #expect(ids.prefix(2) == ["trc_1", "trc_2"])
    }

    @Test("a dropped connection mid-line never delivers the partial line")
    func droppedConnection() async throws {
        struct Reset: Error {}
        let calls = Mutex(0)
        let client = Self.client { request in
            if request.url.contains("/v1/traces/?") {
                return TransportResponse(status: 200, body: .bytes(Array(#"{"data":[],"next_cursor":null}"#.utf8)))
            }
            let call = calls.withLock {
                $0 += 1; return $0
            }
            let whole = Self.trace(1) + "\n" + Self.trace(2) + "\n"
            if call == 1 {
                return TransportResponse(
                    status: 200,
                    body: .chunks([Array((Self.trace(1) + "\n" + Self.trace(2).prefix(30)).utf8)], thenFail: Reset())
                )
            }
            return TransportResponse(status: 200, body: .bytes(Array(whole.utf8)))
        }
        let ids = try await Self.collect(client)
        #expect(Set(ids) == ["trc_1", "trc_2"])
    }

    @Test("429 and 503 are retried, honouring Retry-After; a 401 names the variable, never the key")
    func retriesAndAuth() async throws {
        let calls = Mutex(0)
        let flaky = Self.client { _ in
            let call = calls.withLock {
                $0 += 1; return $0
            }
            switch call {
            case 1: return TransportResponse(status: 429, headers: [HTTPField("Retry-After", "0")], body: .bytes([]))
            case 2: return TransportResponse(status: 503, body: .bytes([]))
            default:
                return TransportResponse(status: 200, body: .bytes(Array(#"{"active":null,"history":[]}"#.utf8)))
            }
        }
        #expect(try await flaky.promptVersions(project: "proj_a").isEmpty)
        #expect(calls.withLock { $0 } == 3)

        let denied = Self.client { _ in TransportResponse(status: 401, body: .bytes(Array(#"{"detail":"no"}"#.utf8))) }
        do {
            _ = try await denied.promptVersions(project: "proj_a")
            Issue.record("no error")
        } catch {
            let message = "\(error)"
            #expect(message.contains("TUOR_API_KEY"))
            #expect(!message.contains(Self.key))
        }
        let notFound = Self.client { _ in TransportResponse(status: 404, body: .bytes([])) }
        await #expect(throws: ClientError.self) { try await notFound.promptVersions(project: "proj_a") }
    }

    @Test("the pending listing restarts from the last good cursor when a cursor repeats")
    func repeatedCursor() async throws {
        let calls = Mutex(0)
        let client = Self.client { request in
            guard request.url.contains("/v1/traces/?") else { return TransportResponse(status: 200, body: .bytes([])) }
            let call = calls.withLock {
                $0 += 1; return $0
            }
            let page: String
            if !request.url.contains("cursor=") {
                page = #"{"data":[\#(Self.trace(1, status: "pending"))],"next_cursor":"c1"}"#
            } else if call == 2 {
                page = #"{"data":[\#(Self.trace(2, status: "pending"))],"next_cursor":"c1"}"#  // repeats
            } else {
                page = #"{"data":[\#(Self.trace(2, status: "pending"))],"next_cursor":null}"#
            }
            return TransportResponse(status: 200, body: .bytes(Array(page.utf8)))
        }
        let ids = try await Self.collect(client)
        #expect(Set(ids) == ["trc_1", "trc_2"])
    }

    @Test("the paginator stops on a missing or repeated cursor")
    func paginator() async throws {
        let pages = Paginator<Int> { cursor in
            switch cursor {
            case nil: ([1], "a")
            case "a": ([2], "b")
            default: ([3], "a")
            }
        }
        var seen: [Int] = []
        var end: Paginator<Int>.EndReason?
        for try await page in pages {
            seen += page.items
            end = page.end
        }
        #expect(seen == [1, 2, 3])
        #expect(end == .repeatedCursor("a"))
    }

    static func version(_ id: String, version: Int, content: String, active: Bool) -> String {
        #"{"id":"\#(id)","project_id":"proj_a","org_id":"org_1","version":\#(version),"content":"\#(content)","#
            + #""source":"manual","is_active":\#(active),"parent_id":null,"rationale":null,"lineage_event_ids":[],"#
            + #""created_at":"2026-05-0\#(version)T00:00:00Z","created_by":"user_1"}"#
    }

    @Test("prompts: the active version listed again in history counts once; one id with two bodies is refused, both")
    func duplicateVersionIDs() async throws {
        let active = Self.version("prm_2", version: 2, content: "Be brief.", active: true)
        let body =
            #"{"active":\#(active),"history":[\#(active),"#
            + Self.version("prm_1", version: 1, content: "Be kind.", active: false) + ","
            + Self.version("prm_1", version: 1, content: "Be cruel.", active: false) + "]}"
        let client = Self.client { _ in TransportResponse(status: 200, body: .bytes(Array(body.utf8))) }
        let listing = try await client.prompts(project: "proj_a")
        #expect(listing.versions.count == 3)
        #expect(try listing.versions[0].record.get().id == "prm_2")
        let refused = listing.versions.dropFirst().compactMap { pulled -> RecordRefusal? in
            if case .failure(let refusal) = pulled.record { return refusal }
            return nil
        }
        #expect(refused.count == 2)
        for refusal in refused {
            #expect(refusal.issues.first?.instanceLocation == "/id")
            #expect(refusal.description.contains("2 different objects with the id prm_1"))
            #expect(refusal.description.contains("/history/1, /history/2"))
        }
        #expect(Set(listing.versions.dropFirst().map { $0.payload["content"] }) == ["Be kind.", "Be cruel."])
        #expect(
            listing.activations == [
                PromptActivation(promptID: nil, promptKey: nil, promptVersionID: "prm_2", version: 2)
            ]
        )
    }
}
