import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailServer

@Suite("Admin API and request journal")
struct AdminRoutesTests {
    struct Log: Decodable {
        struct Entry: Decodable {
            var seq: Int
            var method: String
            var path: String
            var query: String
            var status: Int
            var platform: String
        }
        var requests: [Entry]
        var lastSeq: Int
    }

    @Test("GET /_trail/requests counts platform requests after a sequence number, never admin ones")
    func journal() async throws {
        try await TestServer.with(generate: 10) { server in
            _ = try await server.get("/v1/traces/?limit=3")
            _ = try await server.get("/api/v1/spans")
            let first = try Decode.value(Log.self, try await server.get("/_trail/requests"))
            #expect(first.requests.map(\.path) == ["/v1/traces/", "/api/v1/spans"])
            #expect(first.requests[0].query == "limit=3")
            _ = try await server.get("/v1/traces/export")
            let later = try Decode.value(Log.self, try await server.get("/_trail/requests?after=\(first.lastSeq)"))
            #expect(later.requests.map(\.path) == ["/v1/traces/export"])
            let tuorOnly = try Decode.value(Log.self, try await server.get("/_trail/requests?platform=tracia"))
            #expect(tuorOnly.requests.count == 1)
            #expect(try await server.send(.DELETE, "/_trail/requests").status == 204)
            #expect(try Decode.value(Log.self, try await server.get("/_trail/requests")).requests.isEmpty)
        }
    }

    @Test("a review verdict moves a trace into the export and past an updated_since high-water mark")
    func incrementalPull() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_inc"}"#)
            let body = #"{"project_id": "proj_inc", "model_input": {}, "model_output": {"a": 1}}"#
            let created = try await server.send(.POST, "/v1/traces/", body: body)
            let id = try #require(created.body.split(separator: "\"").dropFirst(3).first.map(String.init))
            #expect(try await server.get("/v1/traces/export?project_id=proj_inc").body.isEmpty)
            let mark = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?project_id=proj_inc"))
                .data[0].updatedAt
            _ = try await server.send(.POST, "/_trail/traces/\(id)/review", body: #"{"status": "approved"}"#)
            let export = try await server.get("/v1/traces/export?project_id=proj_inc&since=\(mark)")
            #expect(export.body.split(separator: "\n").count == 1)
            #expect(export.body.contains(#""final_output":{"a":1}"#))
        }
    }
}
