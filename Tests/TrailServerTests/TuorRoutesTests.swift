import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailServer

@Suite("Tuor endpoints")
struct TuorRoutesTests {
    @Test("a missing key is 401 and a wrong key 403, with FastAPI-style bodies")
    func authentication() async throws {
        try await TestServer.with { server in
            let missing = try await server.send(.GET, "/v1/traces/", authenticated: false)
            #expect(missing.status == 401)
            #expect(try Decode.value(Decode.Detail.self, missing).detail == "Not authenticated")
            let wrong = try await server.send(
                .GET,
                "/v1/traces/",
                headers: [("X-API-Key", "tuor_wrong")],
                authenticated: false
            )
            #expect(wrong.status == 403)
            #expect(try Decode.value(Decode.Detail.self, wrong).detail == "Invalid API key")
        }
    }

    @Test("POST prompts makes a new active version and keeps history; over 16,384 bytes is 422")
    func prompts() async throws {
        try await TestServer.with { server in
            let before = try await server.get("/v1/projects/proj_support/prompts")
            #expect(before.status == 200)
            let created = try await server.send(
                .POST,
                "/v1/projects/proj_support/prompts",
                body: #"{"content": "Be brief."}"#
            )
            #expect(created.status == 201)
            #expect(created.body.contains(#""version":4"#))
            #expect(created.body.contains(#""is_active":true"#))
            let after = try await server.get("/v1/projects/proj_support/prompts")
            #expect(after.body.hasPrefix(#"{"active":{"#))
            #expect(after.body.components(separatedBy: #""project_id":"proj_support""#).count - 1 == 5)
            let limit = String(repeating: "é", count: 8192)
            let atLimit = try await server.send(
                .POST,
                "/v1/projects/proj_support/prompts",
                body: "{\"content\":\"\(limit)\"}"
            )
            #expect(atLimit.status == 201)
            let over = try await server.send(
                .POST,
                "/v1/projects/proj_support/prompts",
                body: "{\"content\":\"\(limit)x\"}"
            )
            #expect(over.status == 422)
            #expect(try Decode.value(Decode.Issues.self, over).detail.first?.type == "string_too_long")
            let missing = try await server.send(.POST, "/v1/projects/proj_support/prompts", body: "{}")
            #expect(missing.status == 422)
            let unknown = try await server.get("/v1/projects/proj_nope/prompts")
            #expect(unknown.status == 404)
        }
    }

    @Test("ingest creates a pending trace that GET returns; bad payloads are 422")
    func ingest() async throws {
        try await TestServer.with(generate: 3) { server in
            let body = #"""
                {"project_id": "proj_support", "model_input": {"content": "Hi"}, "model_output": {"answer": 1},
                 "trace_config": {"model": "gpt-4o", "prompt_version_id": "prm_abc123"}}
                """#
            let created = try await server.send(.POST, "/v1/traces/", body: body)
            #expect(created.status == 201)
            #expect(created.body.contains(#""status":"pending""#))
            let id = try #require(created.body.split(separator: "\"").dropFirst(3).first.map(String.init))
            let fetched = try await server.get("/v1/traces/\(id)")
            #expect(fetched.status == 200)
            #expect(fetched.body == created.body)
            #expect(try await server.get("/v1/traces/trc_missing").status == 404)

            let noOutput = try await server.send(
                .POST,
                "/v1/traces/",
                body: #"{"project_id": "proj_support", "model_input": {}}"#
            )
            #expect(noOutput.status == 422)
            var deep = "1"
            for _ in 0..<11 { deep = "{\"a\":\(deep)}" }
            let tooDeep = try await server.send(
                .POST,
                "/v1/traces/",
                body: "{\"project_id\":\"proj_support\",\"model_input\":\(deep),\"model_output\":{}}"
            )
            #expect(tooDeep.status == 422)
            #expect(try Decode.value(Decode.Issues.self, tooDeep).detail.first?.type == "too_deep")
            var ten = "1"
            for _ in 0..<10 { ten = "{\"a\":\(ten)}" }
            let deepEnough = try await server.send(
                .POST,
                "/v1/traces/",
                body: "{\"project_id\":\"proj_support\",\"model_input\":\(ten),\"model_output\":{}}"
            )
            #expect(deepEnough.status == 201)
            let big = String(repeating: "x", count: 5_000_001)
            let tooBig = try await server.send(
                .POST,
                "/v1/traces/",
                body: "{\"project_id\":\"proj_support\",\"model_input\":{\"c\":\"\(big)\"},\"model_output\":{}}"
            )
            #expect(tooBig.status == 422)
            #expect(try Decode.value(Decode.Issues.self, tooBig).detail.first?.type == "too_large")
            let unknownProject = try await server.send(
                .POST,
                "/v1/traces/",
                body: #"{"project_id": "proj_nope", "model_input": {}, "model_output": {}}"#
            )
            #expect(unknownProject.status == 404)
        }
    }

    @Test("ingest answers schema violations with every error, located by the body's path")
    func ingestSchemaErrors() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_support"}"#)
            let invalid = try await server.send(
                .POST,
                "/v1/traces/",
                body: #"{"project_id": "support", "model_input": [], "trace_config": {"prompt_version_id": ""}}"#
            )
            #expect(invalid.status == 422)
            let issues = try Decode.value(Decode.LocatedIssues.self, invalid).detail
            let found = Set(issues.map { "\($0.loc.map(\.text).joined(separator: ".")) \($0.type)" })
            #expect(
                found == [
                    "body.project_id string_pattern_mismatch", "body.model_input dict_type",
                    "body.model_output missing", "body.trace_config.prompt_version_id string_too_short",
                ]
            )
            var deep = "1"
            for _ in 0..<10 { deep = "[\(deep)]" }
            let tooDeep = try await server.send(
                .POST,
                "/v1/traces/",
                body: "{\"project_id\":\"proj_support\",\"model_input\":{\"a\":\(deep)},\"model_output\":{}}"
            )
            #expect(tooDeep.status == 422)
            let deepIssues = try Decode.value(Decode.LocatedIssues.self, tooDeep).detail
            #expect(deepIssues.count == 1)
            #expect(deepIssues.first?.type == "too_deep")
            #expect(
                deepIssues.first?.loc.map(\.text) == [
                    "body", "model_input", "a", "0", "0", "0", "0", "0", "0", "0", "0", "0",
                ]
            )
            let unlinked = try await server.send(
                .POST,
                "/v1/traces/",
                body:
                    #"{"project_id": "proj_support", "model_input": {}, "model_output": {}, "trace_config": {"prompt_version_id": null}}"#
            )
            #expect(unlinked.status == 201)
            let notJSON = try await server.send(.POST, "/v1/traces/", body: "{")
            #expect(notJSON.status == 422)
            #expect(try Decode.value(Decode.Issues.self, notJSON).detail.first?.type == "json_invalid")
        }
    }

    @Test("prompt bodies are checked against their request schemas")
    func promptSchemaErrors() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_support"}"#)
            let missing = try await server.send(.POST, "/v1/projects/proj_support/prompts", body: #"{"text": "x"}"#)
            #expect(missing.status == 422)
            let issue = try Decode.value(Decode.LocatedIssues.self, missing).detail.first
            #expect(issue?.loc.map(\.text) == ["body", "content"])
            #expect(issue?.type == "missing")
            let wrongType = try await server.send(.POST, "/v1/projects/proj_support/prompts", body: #"{"content": 1}"#)
            #expect(try Decode.value(Decode.Issues.self, wrongType).detail.first?.type == "string_type")
            let accept = try await server.send(
                .POST,
                "/v1/projects/proj_support/prompts/accept-refinement",
                body: #"{"suggestion_id": ""}"#
            )
            #expect(accept.status == 422)
            #expect(try Decode.value(Decode.Issues.self, accept).detail.first?.type == "string_too_short")
            let over = try await server.send(
                .POST,
                "/v1/projects/proj_support/prompts/accept-refinement",
                body: "{\"suggestion_id\": \"sug_x\", \"content\": \"\(String(repeating: "é", count: 8193))\"}"
            )
            #expect(over.status == 422)
            #expect(try Decode.value(Decode.Issues.self, over).detail.map(\.type) == ["string_too_long"])
        }
    }

    @Test("the list pages with a keyset cursor through every trace exactly once, and filters")
    func listPagination() async throws {
        try await TestServer.with(generate: 45) { server in
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?limit=7\(query)"))
                seen += page.data.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 50
            #expect(seen.count == 45)
            #expect(Set(seen).count == 45)
            #expect(pages == 7)

            let approved = try Decode.value(
                Decode.TraceList.self,
                try await server.get("/v1/traces/?status=approved&project_id=proj_invoices&limit=200")
            )
            #expect(approved.data.allSatisfy { $0.status == "approved" && $0.projectId == "proj_invoices" })
            let tagged = try Decode.value(
                Decode.TraceList.self,
                try await server.get("/v1/traces/?tag=tag_eval&limit=200")
            )
            #expect(tagged.data.allSatisfy { $0.tags.contains("tag_eval") })
            let all = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?limit=200")).data
            let middle = all[20].updatedAt
            let since = try Decode.value(
                Decode.TraceList.self,
                try await server.get("/v1/traces/?limit=200&updated_since=\(middle)")
            )
            #expect(since.data.count == all.filter { $0.updatedAt >= middle }.count)
            #expect(try await server.get("/v1/traces/?limit=0").status == 422)
            #expect(try await server.get("/v1/traces/?cursor=nonsense").status == 422)
            #expect(try await server.get("/v1/traces/?status=done").status == 422)
        }
    }

    @Test("the export streams reviewed traces as chunked JSONL ordered by updated_at, with since/until")
    func export() async throws {
        try await TestServer.with(generate: 40) { server in
            let response = try await server.get("/v1/traces/export")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"].first == "application/x-ndjson")
            #expect(response.headers["Transfer-Encoding"].first == "chunked")
            let lines = response.body.split(separator: "\n")
            let all = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?limit=200")).data
            #expect(lines.count == all.filter { $0.status != "pending" }.count)
            #expect(response.body.hasSuffix("\n"))
            let stamps = try lines.map { try JSONDecoder().decode(Stamp.self, from: Data($0.utf8)).updated_at }
            #expect(stamps == stamps.sorted())
            let cut = stamps[stamps.count / 2]
            let later = try await server.get("/v1/traces/export?since=\(cut)")
            let earlier = try await server.get("/v1/traces/export?until=\(cut)")
            #expect(later.body.split(separator: "\n").count + earlier.body.split(separator: "\n").count == lines.count)
            #expect(try await server.get("/v1/traces/export?status=pending").status == 422)
        }
    }

    struct Stamp: Decodable {
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var updated_at: String
    }

    @Test("tags list, attach and detach; attaching bumps updated_at")
    func tags() async throws {
        try await TestServer.with(generate: 3) { server in
            let tags = try await server.get("/v1/tags/")
            #expect(tags.status == 200)
            #expect(tags.body.contains(#""id":"tag_eval""#))
            let trace = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?limit=1")).data[0]
            let attached = try await server.send(
                .POST,
                "/v1/traces/\(trace.id)/tags",
                body: #"{"tag_ids": ["tag_eval"]}"#
            )
            #expect(attached.status == 200)
            #expect(attached.body.contains(#""tags":["#) && attached.body.contains("tag_eval"))
            #expect(!attached.body.contains("\"updated_at\":\"\(trace.updatedAt)\""))
            let unknown = try await server.send(.POST, "/v1/traces/\(trace.id)/tags", body: #"{"tag_ids": ["tag_x"]}"#)
            #expect(unknown.status == 404)
            let detached = try await server.send(.DELETE, "/v1/traces/\(trace.id)/tags/tag_eval")
            #expect(detached.status == 200)
            #expect(!detached.body.contains("tag_eval"))
            #expect(try await server.send(.DELETE, "/v1/traces/\(trace.id)/tags/tag_eval").status == 404)
        }
    }

    @Test("refine needs 10 reviewed traces on the active version; accepting makes a refinement version")
    func refinement() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_refine"}"#)
            let first = try await server.send(.POST, "/v1/projects/proj_refine/prompts", body: #"{"content": "v1"}"#)
            let promptID = try #require(first.body.split(separator: "\"").dropFirst(3).first.map(String.init))
            #expect(try await server.send(.POST, "/v1/projects/proj_refine/prompts/refine").status == 409)
            for index in 0..<10 {
                let created = try await server.send(
                    .POST,
                    "/v1/traces/",
                    body: "{\"project_id\":\"proj_refine\",\"model_input\":{\"n\":\(index)},\"model_output\":{\"v\":1},"
                        + "\"trace_config\":{\"prompt_version_id\":\"\(promptID)\"}}"
                )
                let id = try #require(created.body.split(separator: "\"").dropFirst(3).first.map(String.init))
                let verdict =
                    index % 2 == 0 ? #"{"status":"approved"}"# : #"{"status":"corrected","corrected_output":{"v":2}}"#
                #expect(try await server.send(.POST, "/_trail/traces/\(id)/review", body: verdict).status == 200)
            }
            let suggestion = try await server.send(.POST, "/v1/projects/proj_refine/prompts/refine")
            #expect(suggestion.status == 200)
            let suggestionID = try #require(suggestion.body.split(separator: "\"").dropFirst(3).first.map(String.init))
            let accepted = try await server.send(
                .POST,
                "/v1/projects/proj_refine/prompts/accept-refinement",
                body: "{\"suggestion_id\":\"\(suggestionID)\"}"
            )
            #expect(accepted.status == 201)
            #expect(accepted.body.contains(#""source":"refinement""#))
            #expect(accepted.body.contains(#""version":2"#))
            #expect(accepted.body.contains("\"parent_id\":\"\(promptID)\""))
            let again = try await server.send(
                .POST,
                "/v1/projects/proj_refine/prompts/accept-refinement",
                body: "{\"suggestion_id\":\"\(suggestionID)\"}"
            )
            #expect(again.status == 409)
        }
    }
}
