import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailServer

@Suite("Tracia endpoints")
struct TraciaRoutesTests {
    static let messages = #"[{"id": "msg_1", "role": "user", "content": "Write to {{name}} at {{company}}."}]"#

    @Test("a missing or wrong bearer token is 401 UNAUTHORIZED")
    func authentication() async throws {
        try await TestServer.with(generate: 0) { server in
            let missing = try await server.send(.GET, "/api/v1/prompts", authenticated: false)
            #expect(missing.status == 401)
            #expect(try Decode.value(Decode.TraciaError.self, missing).code == "UNAUTHORIZED")
            let wrong = try await server.send(
                .GET,
                "/api/v1/prompts",
                headers: [("Authorization", "Bearer tr_wrong")],
                authenticated: false
            )
            #expect(wrong.status == 401)
        }
    }

    @Test("create, conflict, get with versions (--tracia-versions), update only versions changed content, delete")
    func promptLifecycle() async throws {
        try await TestServer.with(generate: 0, configure: { $0.traciaVersions = true }) { server in
            let created = try await server.send(
                .POST,
                "/api/v1/prompts",
                body: "{\"name\": \"Welcome Email\", \"content\": \(Self.messages)}"
            )
            #expect(created.status == 201)
            #expect(created.body.contains(#""slug":"welcome-email""#))
            #expect(created.body.contains(#""variables":["name","company"]"#))
            let conflict = try await server.send(
                .POST,
                "/api/v1/prompts",
                body: "{\"name\": \"Welcome Email\", \"content\": \(Self.messages)}"
            )
            #expect(conflict.status == 409)
            #expect(try Decode.value(Decode.TraciaError.self, conflict).code == "CONFLICT")
            let same = try await server.send(
                .PUT,
                "/api/v1/prompts/welcome-email",
                body: "{\"content\": \(Self.messages)}"
            )
            #expect(same.status == 200)
            #expect(same.body.contains(#""currentVersion":1"#))
            let changed = try await server.send(
                .PUT,
                "/api/v1/prompts/welcome-email",
                body: #"{"name": "Updated", "content": [{"id": "msg_1", "role": "user", "content": "Hi {{name}}"}]}"#
            )
            #expect(changed.body.contains(#""currentVersion":2"#))
            #expect(changed.body.contains(#""name":"Updated""#))
            let fetched = try await server.get("/api/v1/prompts/welcome-email")
            #expect(fetched.body.contains(#""versions":[{"version":2"#))
            let versions = try await server.get("/api/v1/prompts/welcome-email/versions")
            #expect(versions.body.components(separatedBy: #""version":"#).count - 1 == 2)
            let list = try await server.get("/api/v1/prompts")
            #expect(list.body.hasPrefix(#"{"prompts":[{"#))
            #expect(!list.body.contains(#""content""#))
            let badRole = try await server.send(
                .POST,
                "/api/v1/prompts",
                body: #"{"name": "X", "content": [{"id": "m", "role": "robot", "content": ""}]}"#
            )
            #expect(badRole.status == 400)
            #expect(try await server.send(.DELETE, "/api/v1/prompts/welcome-email").status == 200)
            let gone = try await server.get("/api/v1/prompts/welcome-email")
            #expect(gone.status == 404)
            #expect(try Decode.value(Decode.TraciaError.self, gone).code == "NOT_FOUND")
        }
    }

    @Test("create and update bodies are checked against their request schemas; errors name JSON Pointers")
    func requestSchemas() async throws {
        try await TestServer.with { server in
            let badRole = try await server.send(
                .POST,
                "/api/v1/prompts",
                body: #"{"name": "X", "content": [{"id": "m", "role": "robot", "content": ""}]}"#
            )
            #expect(badRole.status == 400)
            let error = try Decode.value(Decode.TraciaError.self, badRole)
            #expect(error.code == "INVALID_REQUEST")
            #expect(error.message.hasPrefix("/content/0/role: "))
            let noName = try await server.send(.POST, "/api/v1/prompts", body: #"{"content": []}"#)
            #expect(noName.status == 400)
            #expect(try Decode.value(Decode.TraciaError.self, noName).message.contains(#""name""#))
            let notJSON = try await server.send(.POST, "/api/v1/prompts", body: "{")
            #expect(notJSON.status == 400)
            #expect(try Decode.value(Decode.TraciaError.self, notJSON).code == "INVALID_REQUEST")
            let badUpdate = try await server.send(
                .PUT,
                "/api/v1/prompts/welcome-email",
                body: #"{"content": [{"id": "m", "role": "user"}]}"#
            )
            #expect(badUpdate.status == 400)
            #expect(try Decode.value(Decode.TraciaError.self, badUpdate).message.hasPrefix("/content/0: "))
            let badDescription = try await server.send(
                .PUT,
                "/api/v1/prompts/welcome-email",
                body: #"{"description": 3}"#
            )
            #expect(badDescription.status == 400)
            let renamed = try await server.send(.PUT, "/api/v1/prompts/welcome-email", body: #"{"name": "Welcome"}"#)
            #expect(renamed.status == 200)
        }
    }

    struct SpanPage: Decodable {
        struct Item: Decodable {
            var spanId: String
            var createdAt: String
        }
        var spans: [Item]
        var nextCursor: String?
    }

    @Test("spans page newest first through every span once; GET links a span to its prompt version")
    func spans() async throws {
        try await TestServer.with(generate: 33) { server in
            var seen: [SpanPage.Item] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try JSONDecoder().decode(
                    SpanPage.self,
                    from: Data(try await server.get("/api/v1/spans?limit=10\(query)").body.utf8)
                )
                seen += page.spans
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 20
            #expect(seen.count == 33)
            #expect(Set(seen.map(\.spanId)).count == 33)
            #expect(seen.map(\.createdAt) == seen.map(\.createdAt).sorted(by: >))
            let span = try await server.get("/api/v1/spans/\(seen[0].spanId)")
            #expect(span.status == 200)
            #expect(span.body.contains(#""promptVersion":"#))
            #expect(try await server.get("/api/v1/spans/sp_missing").status == 404)
            let filtered = try await server.get("/api/v1/spans?promptSlug=welcome-email&limit=100")
            #expect(!filtered.body.contains("ticket-triage"))
            #expect(try await server.get("/api/v1/spans?limit=101").status == 400)
        }
    }

    @Test("run logs a span linked to the prompt version it ran")
    func run() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(
                .POST,
                "/api/v1/prompts",
                body: "{\"name\": \"Greeter\", \"content\": \(Self.messages)}"
            )
            let missing = try await server.send(.POST, "/api/v1/prompts/greeter/run", body: #"{"variables": {}}"#)
            #expect(missing.status == 400)
            let ran = try await server.send(
                .POST,
                "/api/v1/prompts/greeter/run",
                body: #"{"variables": {"name": "Ada", "company": "Acme"}}"#
            )
            #expect(ran.status == 200)
            let spanID = try #require(ran.body.components(separatedBy: #""spanId":""#).dropFirst().first?.prefix(15))
            let span = try await server.get("/api/v1/spans/\(spanID)")
            #expect(span.body.contains(#""promptSlug":"greeter","promptVersion":1"#))
            #expect(span.body.contains("Write to Ada at Acme."))
        }
    }

    @Test("as documented by default: no versions array, no versions route, errors in the SDKs' envelope")
    func documentedMode() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(
                .POST,
                "/api/v1/prompts",
                body: "{\"name\": \"Welcome Email\", \"content\": \(Self.messages)}"
            )
            _ = try await server.send(
                .PUT,
                "/api/v1/prompts/welcome-email",
                body: #"{"content": [{"id": "msg_1", "role": "user", "content": "Hi {{name}}"}]}"#
            )
            let fetched = try await server.get("/api/v1/prompts/welcome-email")
            #expect(fetched.status == 200)
            #expect(fetched.body.contains(#""currentVersion":2"#))
            #expect(!fetched.body.contains(#""versions""#))
            let versions = try await server.get("/api/v1/prompts/welcome-email/versions")
            #expect(versions.status == 404)
            let missing = try await server.get("/api/v1/prompts/nope")
            #expect(missing.status == 404)
            let wrapped = try Decode.value(Decode.TraciaError.self, missing)
            #expect(wrapped.code == "NOT_FOUND" && wrapped.message == "Prompt not found: nope")
            #expect(missing.body.hasPrefix(#"{"error":{"#))
            let tooMany = try await server.get("/api/v1/spans?limit=101")
            #expect(tooMany.status == 400)
            #expect(try Decode.value(Decode.TraciaError.self, tooMany).code == "INVALID_REQUEST")
            let unauthorized = try await server.send(.GET, "/api/v1/prompts", authenticated: false)
            #expect(try Decode.value(Decode.TraciaError.self, unauthorized).code == "UNAUTHORIZED")
            let injected = try await server.send(.GET, "/api/v1/prompts", headers: [("X-Trail-Fault-Status", "503")])
            #expect(injected.status == 503)
            #expect(try Decode.value(Decode.TraciaError.self, injected).code == "INTERNAL_ERROR")
        }
    }

    @Test("--tracia-flat-errors answers in the docs' flat form, everywhere")
    func flatErrors() async throws {
        try await TestServer.with(generate: 0, configure: { $0.traciaFlatErrors = true }) { server in
            let missing = try await server.get("/api/v1/prompts/nope")
            let flat = try Decode.value(Decode.TraciaError.Flat.self, missing)
            #expect(flat.code == "NOT_FOUND" && flat.message == "Prompt not found: nope")
            #expect(!missing.body.contains(#""error""#))
            let unauthorized = try await server.send(.GET, "/api/v1/prompts", authenticated: false)
            #expect(unauthorized.status == 401)
            #expect(try Decode.value(Decode.TraciaError.Flat.self, unauthorized).code == "UNAUTHORIZED")
        }
    }

    @Test(
        "--generate data has what real accounts have: a renamed prompt, a tool message, embedding spans, legacy span ids"
    )
    func generatedVariety() async throws {
        try await TestServer.with(generate: 30) { server in
            let list = try await server.get("/api/v1/prompts")
            #expect(list.body.contains(#""slug":"ticket-routing""#) && !list.body.contains(#""slug":"ticket-triage""#))
            let renamed = try await server.get("/api/v1/prompts/ticket-routing")
            #expect(renamed.body.contains(#""role":"tool""#))
            var all: [String] = []
            var cursor: String?
            repeat {
                let page = try await server.get("/api/v1/spans?limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""))
                let decoded = try Decode.value(SpanPage.self, page)
                all += decoded.spans.map(\.spanId)
                cursor = decoded.nextCursor
            } while cursor != nil
            #expect(all.count == 30)
            #expect(all.contains { $0.hasPrefix("tr_") && $0.count == 19 })
            var embeddings = 0
            var oldSlug = 0
            for id in all {
                let span = try await server.get("/api/v1/spans/\(id)")
                if span.body.contains(#""provider":"voyage""#) {
                    embeddings += 1
                    #expect(span.body.contains(#""input":{"text":["#) && span.body.contains(#""promptSlug":null"#))
                }
                if span.body.contains(#""promptSlug":"ticket-triage""#) { oldSlug += 1 }
            }
            #expect(embeddings == 3)
            #expect(oldSlug > 0)
        }
    }
}
