import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailJSON
import TrailSchema
import TrailServer
import TrailTestSupport

/// Every response body the emulator serves, checked against its bundled schema.
///
/// The judge is TrailSchema's validator with `format` asserted. Python's `jsonschema`, loaded with the registry
/// `Tests/Python/conftest.py` builds, checks the same bodies once more as an independent second opinion.
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
        Case(
            label: "Tuor trace ingest, too deep and mistyped",
            method: .POST,
            path: "/v1/traces/",
            body: #"{"project_id": 7, "model_input": {"a": [[[[[[[[[[1]]]]]]]]]]}, "model_output": []}"#,
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
        Case(
            label: "Tracia prompt create, invalid role",
            method: .POST,
            path: "/api/v1/prompts",
            body: #"{"name": "Bad Role", "content": [{"id": "msg_1", "role": "robot", "content": "Hi"}]}"#,
            status: 400,
            schema: "tracia/error"
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

    /// One case's answer: its status and its body (an export's lines one by one).
    struct Answer: Sendable {
        var entry: Case
        var status: Int
        var bodies: [String]
    }

    /// A step of the setup that did not answer as expected.
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// The answers to every case in the table, from one emulator run shared by both judges.
    static let answers = Task { try await collectAnswers() }

    @Test("each body in the table satisfies its schema (TrailSchema, formats asserted)")
    func bodiesMatchSchemas() async throws {
        var validators: [String: JSONSchemaValidator] = [:]
        for name in Set(Self.table.map(\.schema)) {
            let bundled = try #require(BundledSchemas.named(name), "\(name) is not a bundled schema")
            validators[name] = try JSONSchemaValidator(
                bundled: bundled,
                options: ValidationOptions(assertFormats: true)
            )
        }
        let answers = try await Self.answers.value
        #expect(answers.count == Self.table.count)
        for answer in answers {
            let entry = answer.entry
            #expect(answer.status == entry.status, "\(entry.label): status \(answer.status)")
            #expect(!answer.bodies.isEmpty, "\(entry.label): empty body")
            let validator = try #require(validators[entry.schema])
            for body in answer.bodies {
                let result = validator.validate(try JSONValue(parsing: body))
                #expect(
                    result.isValid,
                    "\(entry.label): \(result.errors.map(\.description).joined(separator: "; "))\n\(body)"
                )
            }
        }
    }

    @Test("Python's jsonschema agrees on the same bodies")
    func pythonAgrees() async throws {
        let python = PackagePaths.root.appendingPathComponent("Tests/Python")
        try #require(
            FileManager.default.fileExists(atPath: python.appendingPathComponent("conftest.py").path),
            "Tests/Python/conftest.py is missing under \(PackagePaths.root.path)"
        )
        try #require(
            FileManager.default.fileExists(atPath: PackagePaths.schemas.appendingPathComponent("tuor").path),
            "schemas/ is missing under \(PackagePaths.root.path)"
        )
        let lines = try await Self.answers.value.flatMap { answer in
            answer.bodies.map { body in
                "{\"schema\":\"https://schemas.prompttrail.dev/\(answer.entry.schema)/v1.json\",\"label\":"
                    + "\(JSONQuote.quote(answer.entry.label)),\"instance\":\(body)}"
            }
        }
        let directory = try TemporaryDirectory(prefix: "trail-serve-schemas")
        let input = directory.appending("instances.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: input)
        let script = directory.appending("judge.py")
        try Data(Self.judge.utf8).write(to: script)
        let venv = PackagePaths.root.appendingPathComponent(".venv/bin/python")
        let interpreter = FileManager.default.isExecutableFile(atPath: venv.path) ? venv.path : "/usr/bin/env"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = (interpreter == "/usr/bin/env" ? ["python3"] : []) + [script.path, python.path, input.path]
        let output = directory.appending("output")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        let report = try String(contentsOf: output, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(report)")
        #expect(report.contains("\(lines.count) bodies valid"), "\(report)")
    }

    /// Runs every case of the table against a fresh emulator and returns the answers.
    static func collectAnswers() async throws -> [Answer] {
        try await TestServer.with(generate: 40) { server in
            _ = try await server.send(.POST, "/_trail/projects", body: #"{"id": "proj_schema"}"#)
            let prompt = try await server.send(.POST, "/v1/projects/proj_schema/prompts", body: #"{"content": "v1"}"#)
            guard let promptID = prompt.body.split(separator: "\"").dropFirst(3).first.map(String.init) else {
                throw SetupError(description: "prompt create answered \(prompt.status): \(prompt.body)")
            }
            for index in 0..<10 {
                let created = try await server.send(
                    .POST,
                    "/v1/traces/",
                    body: "{\"project_id\":\"proj_schema\",\"model_input\":{\"n\":\(index)},\"model_output\":{\"v\":1},"
                        + "\"trace_config\":{\"prompt_version_id\":\"\(promptID)\"}}"
                )
                guard let id = created.body.split(separator: "\"").dropFirst(3).first.map(String.init) else {
                    throw SetupError(description: "trace ingest answered \(created.status): \(created.body)")
                }
                let verdict =
                    index % 2 == 0 ? #"{"status":"approved"}"# : #"{"status":"corrected","corrected_output":{"v":2}}"#
                _ = try await server.send(.POST, "/_trail/traces/\(id)/review", body: verdict)
            }
            let trace = try Decode.value(Decode.TraceList.self, try await server.get("/v1/traces/?limit=1")).data[0].id
            let spans = try await server.get("/api/v1/spans?limit=1").body
            guard let span = spans.components(separatedBy: #""spanId":""#).dropFirst().first?.prefix(15) else {
                throw SetupError(description: "no span in \(spans)")
            }
            var suggestion = ""
            var answers: [Answer] = []
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
                if entry.schema == "tuor/refine-response" {
                    suggestion = response.body.split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
                }
                let bodies = entry.perLine ? response.body.split(separator: "\n").map { String($0) } : [response.body]
                answers.append(Answer(entry: entry, status: response.status, bodies: bodies))
            }
            return answers
        }
    }

    /// The Python judge: `conftest.py`'s registry of every bundled schema and its validator (Draft 2020-12 plus
    /// `maxUtf8Bytes`, formats checked). Arguments: the `Tests/Python` folder and the instances file.
    static let judge = #"""
        import json, sys
        from pathlib import Path
        sys.path.insert(0, sys.argv[1])
        from conftest import PromptTrailValidator, build_registry, load_schemas
        from jsonschema import Draft202012Validator

        schemas = load_schemas()
        registry = build_registry(schemas)
        failures, count, bad = 0, 0, 0
        for line in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            count += 1
            validator = PromptTrailValidator(schemas[record["schema"]], registry=registry,
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
