import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport
import TrailWorkspace

/// The append-only activation history: a line per change, never per pull.
@Suite("ActivationStore")
struct ActivationStoreTests {
    static func activation(_ prompt: JSONValue) throws -> PromptActivation {
        try #require(PromptActivation.tracia(prompt))
    }

    static func lines(_ directory: TemporaryDirectory) throws -> [JSONValue] {
        try String(contentsOf: directory.appending("activations/acct.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test("first observation, no change, a new version, a rename, a deletion: four lines, each a change")
    func history() throws {
        let directory = try TemporaryDirectory()
        var store = try ActivationStore(workspace: directory.url.path, project: "acct")
        let v2 = try Self.activation(PromptStoreTests.traciaPrompt())
        #expect(
            try store.record([v2], source: .tracia, observedAt: "2026-05-03T00:00:00Z", previouslyObservedAt: nil) == 1
        )
        #expect(
            try store.record(
                [v2],
                source: .tracia,
                observedAt: "2026-05-04T00:00:00Z",
                previouslyObservedAt: "2026-05-03T00:00:00Z"
            ) == 0
        )
        let v3 = try Self.activation(
            PromptStoreTests.traciaPrompt(version: 3, content: "Hi", updatedAt: "2026-05-04T12:00:00.000Z")
        )
        #expect(
            try store.record(
                [v3],
                source: .tracia,
                observedAt: "2026-05-05T00:00:00Z",
                previouslyObservedAt: "2026-05-04T00:00:00Z"
            ) == 1
        )
        let renamed = try Self.activation(
            PromptStoreTests.traciaPrompt(
                slug: "onboarding",
                version: 3,
                content: "Hi",
                updatedAt: "2026-05-05T12:00:00.000Z"
            )
        )
        // Reopened from disk: the history is read back, not rebuilt.
        store = try ActivationStore(workspace: directory.url.path, project: "acct")
        #expect(store.count == 2)
        #expect(
            try store.record(
                [renamed],
                source: .tracia,
                observedAt: "2026-05-06T00:00:00Z",
                previouslyObservedAt: "2026-05-05T00:00:00Z"
            ) == 1
        )
        #expect(store.promptIDsByKey == ["welcome-email": "clx1abc", "onboarding": "clx1abc"])
        #expect(
            try store.record(
                [],
                source: .tracia,
                observedAt: "2026-05-07T00:00:00Z",
                previouslyObservedAt: "2026-05-06T00:00:00Z"
            ) == 1
        )
        #expect(
            try store.record(
                [],
                source: .tracia,
                observedAt: "2026-05-08T00:00:00Z",
                previouslyObservedAt: "2026-05-07T00:00:00Z"
            ) == 0
        )

        let lines = try Self.lines(directory)
        #expect(lines.map { $0["prompt_version_id"] } == ["clx1abc@2", "clx1abc@3", "clx1abc@3", .null])
        #expect(lines.map { $0["prompt_key"] } == ["welcome-email", "welcome-email", "onboarding", "onboarding"])
        #expect(
            lines.map { $0["previously_observed_at"] } == [
                .null, "2026-05-04T00:00:00Z", "2026-05-05T00:00:00Z", "2026-05-06T00:00:00Z",
            ]
        )
        #expect(lines[1]["metadata"]?["updatedAt"]?.stringValue == "2026-05-04T12:00:00.000Z")
        #expect(lines[0]["metadata"]?["content"] == nil)
        #expect(lines[3]["metadata"] == .null)
        #expect(
            lines.allSatisfy { $0["record_type"]?.stringValue == "prompt_activation" && $0["project_id"] == "acct" }
        )
    }

    @Test("a corrupt line is refused with the file and line")
    func corrupt() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            at: directory.appending("activations"),
            withIntermediateDirectories: true
        )
        try Data("{\"record_type\":\"prompt_activation\"}\nnot json\n".utf8).write(
            to: directory.appending("activations/acct.jsonl")
        )
        #expect {
            _ = try ActivationStore(workspace: directory.url.path, project: "acct")
        } throws: { error in
            "\(error)".contains("activations/acct.jsonl") && "\(error)".contains("line 2")
        }
    }
}
