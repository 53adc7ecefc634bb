import Testing
import TrailJSON
import TrailModel

@Suite("Normalizer")
struct NormalizerTests {
    @Test("a Tuor trace keeps its payload verbatim and hashes model_output as RFC 8785")
    func tuorTrace() throws {
        let payload = try JSONValue(
            parsing: #"{"id":"trc_1","project_id":"proj_a","status":"approved","model_input":{"content":"x"},"#
                + #""model_output":{"vendor":"Nordlicht Büromöbel GmbH","total":1250.45,"net_income":250000.0,"#
                + #""account":9007199254740993,"rate":1e-07},"trace_config":{"model":"gpt-4o","prompt_version_id":"prm_1"},"#
                + #""created_at":"2026-05-12T01:30:00+02:00","updated_at":"2026-05-12T02:00:00Z","tags":["tag_a"]}"#
        )
        let record = try Normalizer.tuorTrace(payload, projectID: "proj_a").get()
        #expect(record.day == "2026-05-11")
        #expect(
            record.json["output_sha256"]?.stringValue
                == "9ea4a1de960457d0595d63885c4db674e6de97c63eea036db25f522f9d28b543"
        )
        #expect(record.json["prompt_version_id"]?.stringValue == "prm_1")
        #expect(record.json["source_payload"] == payload)
        #expect(record.json.serializedString().contains("9007199254740993"))
    }

    @Test("a trace of another project, or one without an id, is refused with a location")
    func refusals() throws {
        let other = try JSONValue(parsing: #"{"id":"trc_1","project_id":"proj_b","created_at":"2026-05-12T00:00:00Z"}"#)
        #expect(throws: RecordRefusal.self) { try Normalizer.tuorTrace(other, projectID: "proj_a").get() }
        let noID = try JSONValue(parsing: #"{"project_id":"proj_a"}"#)
        let refusal = Normalizer.tuorTrace(noID, projectID: "proj_a")
        guard case .failure(let reasons) = refusal else { Issue.record("accepted"); return }
        #expect(reasons.issues.first?.instanceLocation == "/id")
    }

    @Test("a number beyond the double range cannot be hashed and is refused")
    func unhashable() throws {
        let payload = try JSONValue(
            parsing: #"{"id":"t","project_id":"p","created_at":"2026-05-12T00:00:00Z","model_output":{"x":1e400}}"#
        )
        guard case .failure(let refusal) = Normalizer.tuorTrace(payload, projectID: "p") else {
            Issue.record("accepted")
            return
        }
        #expect(refusal.issues.first?.instanceLocation == "/model_output/x")
        #expect(refusal.issues.first?.keywordLocation == "")
    }

    @Test("Tracia versions get <prompt id>@<version> ids and spans link through the slug")
    func tracia() throws {
        let prompt = try JSONValue(
            parsing: #"{"id":"clx1","slug":"welcome","currentVersion":2,"versions":["#
                + #"{"version":2,"messages":[{"role":"system","content":"b"}],"createdAt":"2026-01-02T00:00:00.000Z"},"#
                + #"{"version":1,"messages":[{"role":"system","content":"a"}],"createdAt":"2026-01-01T00:00:00.000Z"}]}"#
        )
        let versions = try Normalizer.traciaPromptVersions(prompt, projectID: "acct").map { try $0.get() }
        #expect(versions.map(\.id) == ["clx1@2", "clx1@1"])
        #expect(versions.map { $0.json["is_active"] } == [true, false])
        let span = try JSONValue(
            parsing: #"{"spanId":"sp_1","promptSlug":"welcome","promptVersion":1,"status":"SUCCESS","#
                + #""input":{"messages":[]},"output":"hi","createdAt":"2026-01-03T00:00:00.000Z","tags":[]}"#
        )
        let trace = try Normalizer.traciaSpan(span, projectID: "acct", promptIDs: ["welcome": "clx1"]).get()
        #expect(trace.json["prompt_version_id"]?.stringValue == "clx1@1")
        #expect(trace.json["prompt_version"]?.int64Value == 1)
    }

    @Test("timestamps compare as instants and name their UTC day")
    func timestamps() throws {
        let a = try #require(Timestamp("2026-05-12T10:00:00Z"))
        let b = try #require(Timestamp("2026-05-12T10:00:00.5Z"))
        #expect(a < b)
        #expect(Timestamp("2026-05-12T01:30:00+02:00")?.utcDay == "2026-05-11")
        #expect(b.description == "2026-05-12T10:00:00.5Z")
        #expect(Timestamp("2026-02-30T00:00:00Z") == nil)
    }
}
