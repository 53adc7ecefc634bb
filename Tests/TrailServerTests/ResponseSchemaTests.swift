import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailServer
import TrailTestSupport

/// Every response body the emulator serves, checked against its bundled schema.
///
/// The judge is Python's `jsonschema` (Draft 2020-12 plus PromptTrail's `maxUtf8Bytes`, with the schema
/// registry built as `Tests/Python/conftest.py` builds it), until TrailSchema's validator is available.
@Suite("Response bodies validate against the bundled schemas")
struct ResponseSchemaTests {
    /// One request and the schema its response body must satisfy.
    struct Case: Sendable {
        var label: String
        var method: HTTPMethod = .GET
        var path: String
        var body: String?
        var headers: [(String, String)] = []
        var status: Int = 200
        /// The schema's name, e.g. `tuor/trace`; export bodies are checked line by line.
        var schema: String
        var perLine = false
    }

    /// The body-to-schema mapping, in one table. `{trace}`, `{span}` and `{suggestion}` are filled in at run time.
    static let table: [Case] = [
        Case(label: "Tuor prompts", path: "/v1/projects/proj_support/prompts", schema: "tuor/prompts-response"),
        Case(
            label: "Tuor prompt create",
            method: .POST,
            path: "/v1/projects/proj_support/prompts",
            body: #"{"content": "Be brief."}"#,
            status: 201,
            schema: "tuor/prompt-version"
        ),
        Case(
            label: "Tuor prompt create, over the cap",
            method: .POST,
            path: "/v1/projects/proj_support/prompts",
            body: "{\"content\": \"\(String(repeating: "x", count: 16_385))\"}",
            status: 422,
            schema: "tuor/error"
        ),
        Case(
            label: "Tuor trace ingest",
            method: .POST,
            path: "/v1/traces/",
            body: #"{"project_id": "proj_support", "model_input": {"content": "x"}, "model_output": {"a": 1}}"#,
            status: 201,
            schema: "tuor/trace"
        ),
        Case(
            label: "Tuor trace ingest, invalid",
            method: .POST,
            path: "/v1/traces/",
            body: #"{"project_id": "proj_support"}"#,
            status: 422,
            schema: "tuor/error"
        ),
        Case(label: "Tuor trace", path: "/v1/traces/{trace}", schema: "tuor/trace"),
        Case(label: "Tuor trace, missing", path: "/v1/traces/trc_missing", status: 404, schema: "tuor/error"),
        Case(label: "Tuor trace list", path: "/v1/traces/?limit=50", schema: "tuor/trace-list-response"),
        Case(label: "Tuor export", path: "/v1/traces/export", schema: "tuor/export-line", perLine: true),
        Case(label: "Tuor tags", path: "/v1/tags/", schema: "tuor/tag-list-response"),
        Case(
            label: "Tuor tag attach",
            method: .POST,
            path: "/v1/traces/{trace}/tags",
            body: #"{"tag_ids": ["tag_eval"]}"#,
            schema: "tuor/trace"
        ),
        Case(label: "Tuor tag detach", method: .DELETE, path: "/v1/traces/{trace}/tags/tag_eval", schema: "tuor/trace"),
        Case(
            label: "Tuor refine",
            method: .POST,
            path: "/v1/projects/proj_schema/prompts/refine",
            schema: "tuor/refine-response"
        ),
        Case(
            label: "Tuor accept refinement",
            method: .POST,
            path: "/v1/projects/proj_schema/prompts/accept-refinement",
            body: #"{"suggestion_id": "{suggestion}"}"#,
            status: 201,
            schema: "tuor/prompt-version"
        ),
        Case(
            label: "Tuor unauthenticated",
            path: "/v1/tags/",
            headers: [("X-Trail-No-Key", "1")],
            status: 401,
            schema: "tuor/error"
        ),
        Case(
            label: "Tuor rate limited",
            path: "/v1/tags/",
            headers: [("X-Trail-Fault-Rate-Limit", "3")],
            status: 429,
            schema: "tuor/error"
        ),
        Case(
            label: "Tuor injected 503",
            path: "/v1/tags/",
            headers: [("X-Trail-Fault-Status", "503")],
            status: 503,
            schema: "tuor/error"
        ),
        Case(label: "Tracia prompts", path: "/api/v1/prompts", schema: "tracia/prompt-list-response"),
        Case(label: "Tracia prompt", path: "/api/v1/prompts/welcome-email", schema: "tracia/prompt"),
        Case(
            label: "Tracia prompt create",
            method: .POST,
            path: "/api/v1/prompts",
            body: #"{"name": "Schema Check", "content": [{"id": "msg_1", "role": "user", "content": "Hi {{name}}"}]}"#,
            status: 201,
            schema: "tracia/prompt"
        ),
        Case(
            label: "Tracia prompt update",
            method: .PUT,
            path: "/api/v1/prompts/schema-check",
            body: #"{"content": [{"id": "msg_1", "role": "system", "content": "Hello"}]}"#,
            schema: "tracia/prompt"
        ),
        Case(label: "Tracia prompt, missing", path: "/api/v1/prompts/nope", status: 404, schema: "tracia/error"),
        Case(
            label: "Tracia prompt create, conflict",
            method: .POST,
            path: "/api/v1/prompts",
            body: #"{"name": "Schema Check", "content": []}"#,
            status: 409,
            schema: "tracia/error"
        ),
        Case(label: "Tracia spans", path: "/api/v1/spans?limit=20", schema: "tracia/span-list-response"),
        Case(label: "Tracia span", path: "/api/v1/spans/{span}", schema: "tracia/span"),
        Case(
            label: "Tracia unauthenticated",
            path: "/api/v1/spans",
            headers: [("X-Trail-No-Key", "1")],
            status: 401,
            schema: "tracia/error"
        ),
        Case(
            label: "Tracia injected 500",
            path: "/api/v1/spans",
            headers: [("X-Trail-Fault-Status", "500")],
            status: 500,
            schema: "tracia/error"
        ),
    ]

    /// Where the bundled schemas are: `schemas/` in the checkout, or `$PROMPTTRAIL_SCHEMAS`.
    static var schemasDirectory: URL? {
        if FileManager.default.fileExists(atPath: PackagePaths.schemas.appendingPathComponent("tuor").path) {
            return PackagePaths.schemas
        }
        if let path = ProcessInfo.processInfo.environment["PROMPTTRAIL_SCHEMAS"],
            FileManager.default.fileExists(atPath: path)
        {
            return URL(fileURLWithPath: path)
        }
        return nil
    }

    @Test("each body in the table satisfies its schema", .enabled(if: schemasDirectory != nil))
    func bodiesMatchSchemas() async throws {
        let schemas = try #require(Self.schemasDirectory)
        let instances = try await TestServer.with(generate: 40) { server in
            _ = try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_schema"}"#)
            let prompt = try await server.send(.POST, "/v1/projects/proj_schema/prompts", body: #"{"content": "v1"}"#)
            let promptID = try #require(prompt.body.split(separator: "\"").dropFirst(3).first.map(String.init))
            for index in 0..<10 {
                let created = try await server.send(
                    .POST,
                    "/v1/traces/",
                    body: "{\"project_id\":\"proj_schema\",\"model_input\":{\"n\":\(index)},\"model_output\":{\"v\":1},"
                        + "\"trace_config\":{\"prompt_version_id\":\"\(promptID)\"}}"
                )
                let id = try #require(created.body.split(separator: "\"").dropFirst(3).first.map(String.init))
                let verdict =
                    index % 2 == 0 ? #"{"status":"approved"}"# : #"{"status":"corrected","corrected_output":{"v":2}}"#
                _ = try await server.send(.POST, "/_trail/traces/\(id)/review", body: verdict)
            }
            let trace = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?limit=1")).data[0].id
            let spans = try await server.get("/api/v1/spans?limit=1").body
            let span = try #require(spans.components(separatedBy: #""spanId":""#).dropFirst().first?.prefix(15))
            var suggestion = ""
            var lines: [String] = []
            for entry in Self.table {
                func fill(_ text: String) -> String {
                    text.replacingOccurrences(of: "{trace}", with: trace).replacingOccurrences(
                        of: "{span}",
                        with: String(span)
                    )
                    .replacingOccurrences(of: "{suggestion}", with: suggestion)
                }
                let skipKey = entry.headers.contains { $0.0 == "X-Trail-No-Key" }
                let response = try await server.send(
                    entry.method,
                    fill(entry.path),
                    body: entry.body.map(fill),
                    headers: entry.headers.filter { $0.0 != "X-Trail-No-Key" },
                    authenticated: !skipKey
                )
                #expect(response.status == entry.status, "\(entry.label): status \(response.status)")
                if entry.schema == "tuor/refine-response" {
                    suggestion = response.body.split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
                }
                let bodies = entry.perLine ? response.body.split(separator: "\n").map { String($0) } : [response.body]
                #expect(!bodies.isEmpty, "\(entry.label): empty body")
                for body in bodies {
                    lines.append(
                        "{\"schema\":\"https://schemas.prompttrail.dev/\(entry.schema)/v1.json\",\"label\":"
                            + "\(JSONQuote.quote(entry.label)),\"instance\":\(body)}"
                    )
                }
            }
            return lines
        }
        let directory = try TemporaryDirectory(prefix: "trail-serve-schemas")
        let input = directory.appending("instances.jsonl")
        try Data((instances.joined(separator: "\n") + "\n").utf8).write(to: input)
        let script = directory.appending("judge.py")
        try Data(Self.judge.utf8).write(to: script)
        let venv = PackagePaths.root.appendingPathComponent(".venv/bin/python")
        let python = FileManager.default.isExecutableFile(atPath: venv.path) ? venv.path : "/usr/bin/env"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + [script.path, schemas.path, input.path]
        let output = directory.appending("output")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        let report = try String(contentsOf: output, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(report)")
        #expect(report.contains("\(instances.count) bodies valid"), "\(report)")
    }

    /// The Python judge: the registry of every bundled schema, Draft 2020-12 plus `maxUtf8Bytes`.
    static let judge = #"""
        import json, sys
        from pathlib import Path
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import ValidationError
        from jsonschema.validators import extend
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        def max_utf8_bytes(validator, limit, instance, schema):
            if isinstance(instance, str) and len(instance.encode("utf-8")) > limit:
                yield ValidationError(f"more than {limit} bytes of UTF-8")

        Validator = extend(Draft202012Validator, {"maxUtf8Bytes": max_utf8_bytes})
        schemas = {}
        for path in sorted(Path(sys.argv[1]).rglob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            schemas[document["$id"]] = document
        registry = Registry().with_resources(
            (sid, Resource.from_contents(doc, default_specification=DRAFT202012)) for sid, doc in schemas.items())
        failures, count, bad = 0, 0, 0
        for line in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            count += 1
            validator = Validator(schemas[record["schema"]], registry=registry,
                                  format_checker=Draft202012Validator.FORMAT_CHECKER)
            errors = list(validator.iter_errors(record["instance"]))
            bad += 1 if errors else 0
            failures += len(errors)
            for error in errors:
                print(f'{record["label"]}: {"/".join(map(str, error.absolute_path))}: {error.message}')
        print(f"{count - bad} bodies valid, {failures} errors")
        sys.exit(1 if failures else 0)
        """#
}

/// JSON string quoting for the test's own output lines.
enum JSONQuote {
    static func quote(_ text: String) -> String {
        let data = try? JSONEncoder().encode(text)
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
