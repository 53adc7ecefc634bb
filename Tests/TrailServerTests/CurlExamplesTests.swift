import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailServer

/// The `curl` examples of the platforms' API references, replayed against the emulator.
@Suite("curl examples from the API references")
struct CurlExamplesTests {
    @Test("Tuor Dynamic Prompts: fetch the active prompt, then ingest a trace linked to it")
    func tuorDynamicPrompts() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_abc123"}"#)
            _ = try await server.send(.POST, "/v1/projects/proj_abc123/prompts", body: #"{"content": "You are..."}"#)
            // curl "https://api.tuor.dev/v1/projects/proj_abc123/prompts" -H "X-API-Key: $TUOR_API_KEY"
            let prompts = try await server.get("/v1/projects/proj_abc123/prompts")
            #expect(prompts.status == 200)
            for field in [
                "active", "history", "id", "project_id", "version", "content", "source", "is_active",
                "created_at", "created_by", "org_id", "parent_id", "rationale", "lineage_event_ids",
            ] {
                #expect(prompts.body.contains("\"\(field)\":"), "missing \(field)")
            }
            // curl -X POST "https://api.tuor.dev/v1/traces/" -H "X-API-Key: …" -H "Content-Type: application/json" -d '…'
            let ingest = try await server.send(
                .POST,
                "/v1/traces/",
                body: #"""
                    {
                      "project_id": "proj_abc123",
                      "model_input": { "content": "Extract net income from the attached statement." },
                      "model_output": { "net_income": 250000 },
                      "trace_config": {
                        "model": "gpt-4o",
                        "prompt_version_id": "prm_abc123",
                        "internal_run_id": "run_01j2abcde"
                      }
                    }
                    """#
            )
            #expect(ingest.status == 201)
            #expect(ingest.body.contains(#""trace_config":{"model":"gpt-4o","prompt_version_id":"prm_abc123""#))
        }
    }

    @Test("Tracia Update Prompt: PUT /prompts/welcome-email returns the updated prompt")
    func traciaUpdatePrompt() async throws {
        try await TestServer.with(generate: 0) { server in
            _ = try await server.send(
                .POST,
                "/api/v1/prompts",
                body:
                    #"{"name": "Welcome Email", "description": "A welcome email template", "content": [{"id": "msg_1", "role": "user", "content": "Hello {{name}}"}]}"#
            )
            let updated = try await server.send(
                .PUT,
                "/api/v1/prompts/welcome-email",
                body: #"""
                    {
                      "name": "Updated Welcome Email",
                      "content": [
                        {
                          "id": "msg_1",
                          "role": "user",
                          "content": "Write a friendly welcome email for {{name}} at {{company}}."
                        }
                      ]
                    }
                    """#
            )
            #expect(updated.status == 200)
            #expect(updated.body.contains(#""name":"Updated Welcome Email""#))
            #expect(updated.body.contains(#""currentVersion":2"#))
            #expect(updated.body.contains(#""variables":["name","company"]"#))
            #expect(updated.body.contains(#""description":"A welcome email template""#))
        }
    }
}
