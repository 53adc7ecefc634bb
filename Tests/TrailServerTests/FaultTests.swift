import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailServer

@Suite("Fault injection")
struct FaultTests {
    @Test("X-Trail-Fault-Status forces that status with the platform's error body")
    func forcedStatus() async throws {
        try await TestServer.with(generate: 2) { server in
            let tuor = try await server.get("/v1/traces/", headers: [("X-Trail-Fault-Status", "502")])
            #expect(tuor.status == 502)
            #expect(try Decode.value(Decode.Detail.self, tuor).detail == "Bad Gateway")
            let tracia = try await server.get("/api/v1/spans", headers: [("X-Trail-Fault-Status", "503")])
            #expect(tracia.status == 503)
            #expect(try Decode.value(Decode.TraciaError.self, tracia).code == "INTERNAL_ERROR")
            #expect(try await server.get("/v1/traces/").status == 200)
        }
    }

    @Test("--error-rate 1 fails every request with one of the configured statuses")
    func errorRate() async throws {
        try await TestServer.with(
            generate: 2,
            configure: {
                $0.faults.errorRate = 1; $0.faults.errorStatuses = [500]
            }
        ) {
            server in
            for _ in 0..<3 { #expect(try await server.get("/v1/traces/").status == 500) }
            let healthy = try await server.get("/v1/traces/", headers: [("X-Trail-Fault-Error-Rate", "0")])
            #expect(healthy.status == 200)
        }
    }

    @Test("X-Trail-Fault-Rate-Limit answers 429 with Retry-After")
    func forcedRateLimit() async throws {
        try await TestServer.with(generate: 2) { server in
            let response = try await server.get("/v1/traces/", headers: [("X-Trail-Fault-Rate-Limit", "7")])
            #expect(response.status == 429)
            #expect(response.headers["Retry-After"].first == "7")
        }
    }

    @Test("the ingest limit counts creates per minute; the read limit counts GETs")
    func rateLimits() async throws {
        try await TestServer.with(
            generate: 2,
            configure: {
                $0.faults.ingestLimitPerMinute = 2
                $0.faults.readLimitPerMinute = 3
                // 20 s into a minute, however long the requests take: all of them fall in one window.
                $0.rateLimitClock = { Date(timeIntervalSince1970: 1_800_000_000 + 20) }
            }
        ) { server in
            let body = #"{"project_id": "proj_support", "model_input": {}, "model_output": {}}"#
            #expect(try await server.send(.POST, "/v1/traces/", body: body).status == 201)
            #expect(try await server.send(.POST, "/v1/traces/", body: body).status == 201)
            let limited = try await server.send(.POST, "/v1/traces/", body: body)
            #expect(limited.status == 429)
            let retryAfter = try #require(limited.headers["Retry-After"].first.flatMap { Int($0) })
            #expect(retryAfter == 40)
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await server.get("/api/v1/prompts").status) }
            #expect(statuses == [200, 200, 200, 429])
        }
    }

    @Test("--fail-after N fails the next N requests with 503; /_trail/fail-next re-arms it")
    func failAfter() async throws {
        try await TestServer.with(generate: 2, configure: { $0.failAfter = 2 }) { server in
            #expect(try await server.get("/v1/traces/").status == 503)
            #expect(try await server.get("/api/v1/spans").status == 503)
            #expect(try await server.get("/v1/traces/").status == 200)
            _ = try await server.send(.POST, "/_trail/fail-next", body: #"{"count": 1}"#)
            #expect(try await server.get("/v1/traces/").status == 503)
            #expect(try await server.get("/v1/traces/").status == 200)
        }
    }

    @Test("X-Trail-Fault-Disconnect closes the connection mid-body")
    func disconnect() async throws {
        try await TestServer.with(generate: 20) { server in
            await #expect(throws: (any Error).self) {
                _ = try await server.get("/v1/traces/", headers: [("X-Trail-Fault-Disconnect", "100")])
            }
            await #expect(throws: (any Error).self) {
                _ = try await server.get("/v1/traces/export", headers: [("X-Trail-Fault-Disconnect", "half")])
            }
            let after = try await server.get("/v1/traces/")
            #expect(after.status == 200)
        }
    }

    @Test("X-Trail-Fault-Truncate-Line cuts that export line in half and keeps the rest")
    func truncatedLine() async throws {
        try await TestServer.with(generate: 20) { server in
            let clean = try await server.get("/v1/traces/export").body.split(separator: "\n")
            let cut = try await server.get("/v1/traces/export", headers: [("X-Trail-Fault-Truncate-Line", "2")])
            let lines = cut.body.split(separator: "\n")
            #expect(lines.count == clean.count)
            #expect(lines[1].utf8.count == clean[1].utf8.count / 2)
            #expect((try? JSONDecoder().decode(TuorRoutesTests.Stamp.self, from: Data(lines[1].utf8))) == nil)
            #expect(lines[2] == clean[2])
        }
    }

    @Test("X-Trail-Fault-Repeat-Cursor hands back the cursor that was sent")
    func repeatedCursor() async throws {
        try await TestServer.with(generate: 20) { server in
            let first = try Decode.value(
                Decode.TraceList.self,
                try await server.get("/v1/traces/?limit=5", headers: [("X-Trail-Fault-Repeat-Cursor", "1")])
            )
            let cursor = try #require(first.nextCursor)
            let second = try Decode.value(
                Decode.TraceList.self,
                try await server.get(
                    "/v1/traces/?limit=5&cursor=\(cursor)",
                    headers: [("X-Trail-Fault-Repeat-Cursor", "1")]
                )
            )
            #expect(second.nextCursor == cursor)
        }
    }

    @Test("X-Trail-Fault-Latency still answers (the delay itself is not timed)")
    func latency() async throws {
        try await TestServer.with(generate: 2) { server in
            let response = try await server.get("/v1/tags/", headers: [("X-Trail-Fault-Latency", "20")])
            #expect(response.status == 200)
        }
    }
}
