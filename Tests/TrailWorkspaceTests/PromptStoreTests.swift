import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport
import TrailWorkspace

/// How ``PromptStore`` keeps a version's first observation, and refuses a version whose content changed.
@Suite("PromptStore")
struct PromptStoreTests {
    /// A Tracia prompt object as `GET /prompts/{slug}` serves it.
    static func traciaPrompt(
        slug: String = "welcome-email",
        name: String = "Welcome",
        version: Int = 2,
        content: String = "Hello {{name}}",
        updatedAt: String = "2026-05-02T10:00:00.000Z"
    ) throws -> JSONValue {
        try JSONValue(
            parsing: #"{"id":"clx1abc","slug":"\#(slug)","name":"\#(name)","description":null,"provider":"OPENAI","#
                + #""model":"gpt-4o","temperature":0.7,"topP":null,"maxOutputTokens":null,"currentVersion":\#(version),"#
                + #""content":[{"id":"msg_1","role":"system","content":"\#(content)"}],"variables":["name"],"#
                + #""createdAt":"2026-05-01T09:00:00.000Z","updatedAt":"\#(updatedAt)"}"#
        )
    }

    static func traciaRecord(_ prompt: JSONValue) throws -> PromptVersionRecord {
        try #require(Normalizer.traciaPromptVersions(prompt, projectID: "acct").first).get()
    }

    static func lines(_ directory: TemporaryDirectory) throws -> [JSONValue] {
        try String(contentsOf: directory.appending("prompts/acct.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test("a Tracia version keeps its first observation: a rename or description edit rewrites nothing")
    func traciaFirstObservation() throws {
        let directory = try TemporaryDirectory()
        let store = try PromptStore(workspace: directory.url.path, project: "acct")
        let first = try Self.traciaRecord(Self.traciaPrompt())
        #expect(try store.apply([first], observedAt: "2026-05-03T00:00:00Z").counts.new == 1)
        let stored = try #require(try Self.lines(directory).first)
        #expect(stored["observed_at"]?.stringValue == "2026-05-03T00:00:00Z")
        #expect(stored["created_at"]?.stringValue == "2026-05-02T10:00:00.000Z")
        let keys = stored.objectValue?.keys ?? []
        #expect(keys.firstIndex(of: "observed_at") == keys.firstIndex(of: "created_at")! + 1)

        // Renamed and described later: same version, same content, a moved updatedAt.
        let renamed = try Self.traciaRecord(
            Self.traciaPrompt(slug: "onboarding-email", name: "Onboarding", updatedAt: "2026-06-01T00:00:00.000Z")
        )
        let merge = try store.apply([renamed], observedAt: "2026-06-02T00:00:00Z")
        #expect(merge.counts.unchanged == 1 && merge.counts.updated == 0 && merge.conflicts.isEmpty)
        let after = try #require(try Self.lines(directory).first)
        #expect(after == stored)
        #expect(after["prompt_key"]?.stringValue == "welcome-email")
        #expect(after["source_payload"]?["name"]?.stringValue == "Welcome")

        // A new version makes v2 no longer current: only is_active follows.
        var superseded = first
        guard case .object(var object) = superseded.json else { Issue.record("not an object"); return }
        object["is_active"] = .bool(false)
        object["created_at"] = "2026-07-01T00:00:00.000Z"
        superseded.json = .object(object)
        #expect(try store.apply([superseded], observedAt: "2026-07-02T00:00:00Z").counts.updated == 1)
        let last = try #require(try Self.lines(directory).first)
        #expect(last["is_active"] == .bool(false))
        #expect(last["created_at"]?.stringValue == "2026-05-02T10:00:00.000Z")
        #expect(last["observed_at"]?.stringValue == "2026-05-03T00:00:00Z")
    }

    @Test("a version id served again with other content is a conflict; the held version stays")
    func contentConflict() throws {
        let directory = try TemporaryDirectory()
        let store = try PromptStore(workspace: directory.url.path, project: "acct")
        let held = try Self.traciaRecord(Self.traciaPrompt())
        try store.apply([held], observedAt: "2026-05-03T00:00:00Z")
        let before = try String(contentsOf: directory.appending("prompts/acct.jsonl"), encoding: .utf8)
        let changed = try Self.traciaRecord(Self.traciaPrompt(content: "Hi {{name}}"))
        let merge = try store.apply([changed], observedAt: "2026-05-04T00:00:00Z")
        #expect(merge.counts == WriteCounts())
        let conflict = try #require(merge.conflicts.first)
        #expect(conflict.record.id == "clx1abc@2")
        #expect(conflict.message.contains("clx1abc@2"))
        #expect(conflict.message.contains(held.json["content_sha256"]!.stringValue!))
        #expect(conflict.message.contains(changed.json["content_sha256"]!.stringValue!))
        #expect(conflict.message.contains("first observed at 2026-05-03T00:00:00Z"))
        #expect(try String(contentsOf: directory.appending("prompts/acct.jsonl"), encoding: .utf8) == before)
    }

    @Test("two different objects under one id in the same pull: the second is a conflict, not a replacement")
    func conflictWithinOnePull() throws {
        let directory = try TemporaryDirectory()
        let store = try PromptStore(workspace: directory.url.path, project: "acct")
        let a = try Self.traciaRecord(Self.traciaPrompt())
        let b = try Self.traciaRecord(Self.traciaPrompt(content: "Other"))
        let merge = try store.apply([a, b], observedAt: "2026-05-03T00:00:00Z")
        #expect(merge.counts.new == 1 && merge.conflicts.count == 1)
        #expect(store.records.map(\.json["content_sha256"]) == [a.json["content_sha256"]])
    }

    @Test("a Tuor version is replaced when it changes, and keeps when it was first observed")
    func tuorReplacement() throws {
        let directory = try TemporaryDirectory()
        let store = try PromptStore(workspace: directory.url.path, project: "proj_a")
        func version(active: Bool) throws -> PromptVersionRecord {
            let payload = try JSONValue(
                parsing: #"{"id":"prm_1","project_id":"proj_a","org_id":"org_1","version":1,"content":"Be brief.","#
                    + #""source":"manual","is_active":\#(active),"parent_id":null,"rationale":null,"#
                    + #""lineage_event_ids":[],"created_at":"2026-05-01T00:00:00Z","created_by":"user_1"}"#
            )
            return try Normalizer.tuorPromptVersion(payload, projectID: "proj_a").get()
        }
        try store.apply([version(active: true)], observedAt: "2026-05-02T00:00:00Z")
        #expect(try store.apply([version(active: false)], observedAt: "2026-05-03T00:00:00Z").counts.updated == 1)
        let record = try #require(store.records.first)
        #expect(record.json["is_active"] == .bool(false))
        #expect(record.json["observed_at"]?.stringValue == "2026-05-02T00:00:00Z")
        #expect(record.json["source_payload"]?["is_active"] == .bool(false))
    }
}
