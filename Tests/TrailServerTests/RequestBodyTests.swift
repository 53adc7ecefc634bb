import Foundation
import NIOHTTP1
import Testing
import TrailServer

/// Bodies of routes that have no bundled request schema: the admin API, tag attach and Tracia's run.
@Suite("Request bodies without a schema")
struct RequestBodyTests {
    private struct Issues: Decodable {
        struct Issue: Decodable {
            var loc: [Location]
            var msg: String
            var type: String
        }
        var detail: [Issue]
    }

    private enum Location: Decodable, Equatable {
        case key(String)
        case index(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let index = try? container.decode(Int.self) {
                self = .index(index)
            } else {
                self = .key(try container.decode(String.self))
            }
        }
    }

    @Test("tag attach: every wrong member is a 422 issue located by key and index; not JSON is one issue")
    func attachIssues() async throws {
        try await TestServer.with(generate: 3) { server in
            let trace = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?limit=1")).data[0]
            let path = "/v1/traces/\(trace.id)/tags"
            let wrong = try await server.send(.POST, path, body: #"{"tag_ids": ["tag_eval", 7], "tag_id": true}"#)
            #expect(wrong.status == 422)
            let issues = try JSONDecoder().decode(Issues.self, from: Data(wrong.body.utf8)).detail
            #expect(
                issues.map(\.loc) == [[.key("body"), .key("tag_ids"), .index(1)], [.key("body"), .key("tag_id")]]
            )
            #expect(issues.map(\.type) == ["string_type", "string_type"])
            let notJSON = try await server.send(.POST, path, body: #"{"tag_ids": ["#)
            #expect(notJSON.status == 422)
            let parsed = try JSONDecoder().decode(Issues.self, from: Data(notJSON.body.utf8)).detail
            #expect(parsed.map(\.type) == ["json_invalid"])
            let array = try await server.send(.POST, path, body: #"["tag_eval"]"#)
            #expect(
                try JSONDecoder().decode(Issues.self, from: Data(array.body.utf8)).detail.map(\.type) == ["dict_type"]
            )
            let none = try await server.send(.POST, path, body: #"{"tag_ids": null}"#)
            let missing = try JSONDecoder().decode(Issues.self, from: Data(none.body.utf8)).detail
            #expect(missing.map(\.loc) == [[.key("body"), .key("tag_ids")]] && missing.map(\.type) == ["missing"])
        }
    }

    @Test("run: a non-string variable is a 400 that names it")
    func runIssues() async throws {
        try await TestServer.with(generate: 0) { server in
            let messages = #"[{"id": "m1", "role": "user", "content": "Hi {{name}}"}]"#
            _ = try await server.send(
                .POST,
                "/api/v1/prompts",
                body: "{\"name\": \"Greeter\", \"content\": \(messages)}"
            )
            let wrong = try await server.send(
                .POST,
                "/api/v1/prompts/greeter/run",
                body: #"{"variables": {"name": 3}}"#
            )
            #expect(wrong.status == 400)
            let error = try Decode.value(Decode.TraciaError.self, wrong)
            #expect(error.message == "variables.name: Input should be a valid string")
            let version = try await server.send(.POST, "/api/v1/prompts/greeter/run", body: #"{"version": "1"}"#)
            #expect(version.status == 400)
            #expect(try Decode.value(Decode.TraciaError.self, version).message.hasPrefix("version: "))
        }
    }

    @Test("admin: fail-next, projects and tags check their bodies; the journal lists what was answered")
    func admin() async throws {
        try await TestServer.with(generate: 0) { server in
            #expect(try await server.send(.POST, "/_trail/fail-next", body: #"{"count": -1}"#).status == 422)
            #expect(try await server.send(.POST, "/_trail/fail-next", body: #"{"count": "2"}"#).status == 422)
            #expect(try await server.send(.POST, "/_trail/projects", body: #"{"id": "p1"}"#).status == 422)
            #expect(
                try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_a", "org_id": 5}"#).status == 422
            )
            #expect(try await server.send(.POST, "/_trail/tags", body: #"{"id": "tag_x"}"#).status == 422)
            let tag = try await server.send(.POST, "/_trail/tags", body: #"{"name": "a \"quoted\" tag"}"#)
            #expect(tag.status == 201)
            let created = try JSONSerialization.jsonObject(with: Data(tag.body.utf8)) as? [String: String]
            #expect(created?["name"] == #"a "quoted" tag"# && created?["id"]?.hasPrefix("tag_") == true)

            _ = try await server.get("/v1/tags/")
            let journal = try await server.send(.GET, "/_trail/requests?platform=tuor", authenticated: false)
            let log = try #require(try JSONSerialization.jsonObject(with: Data(journal.body.utf8)) as? [String: Any])
            let requests = try #require(log["requests"] as? [[String: Any]])
            #expect(requests.count == 1)
            #expect(requests.first?["path"] as? String == "/v1/tags/" && requests.first?["status"] as? Int == 200)
            #expect((log["last_seq"] as? Int).map { $0 >= 1 } == true)
        }
    }
}
