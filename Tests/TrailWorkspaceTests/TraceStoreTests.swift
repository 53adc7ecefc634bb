import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport
import TrailWorkspace

@Suite("TraceStore")
struct TraceStoreTests {
    static func record(_ id: String, created: String, updated: String, status: String = "pending") throws -> TraceRecord
    {
        let payload = try JSONValue(
            parsing: #"{"id":"\#(id)","project_id":"proj_a","status":"\#(status)","model_input":{},"model_output":{},"#
                + #""created_at":"\#(created)","updated_at":"\#(updated)"}"#
        )
        return try Normalizer.tuorTrace(payload, projectID: "proj_a").get()
    }

    static func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test("new, updated and unchanged records are counted; a changed record replaces its line")
    func dedup() throws {
        let directory = try TemporaryDirectory()
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        let first = try store.apply([
            Self.record("trc_b", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z"),
            Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z"),
            Self.record("trc_c", created: "2026-05-12T09:00:00.5Z", updated: "2026-05-12T09:00:00.5Z"),
        ])
        #expect(first == WriteCounts(new: 3))
        let second = try store.apply([
            Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-13T00:00:00Z", status: "approved"),
            Self.record("trc_b", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z"),
        ])
        #expect(second == WriteCounts(new: 0, updated: 1, unchanged: 1))
        // An older copy never replaces a newer one.
        let stale = try store.apply([
            Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z")
        ])
        #expect(stale == WriteCounts(unchanged: 1))
        let file = directory.url.appendingPathComponent("traces/proj_a/2026-05-12.jsonl")
        let ids = try Self.lines(file).map { try JSONValue(parsing: $0)["trace_id"]?.stringValue }
        #expect(ids == ["trc_c", "trc_a", "trc_b"])
        #expect(try Self.lines(file)[1].contains(#""status":"approved""#))
        // Reopening rebuilds the index from disk.
        let reopened = try TraceStore(workspace: directory.url.path, project: "proj_a")
        #expect(reopened.count == 3)
        #expect(reopened.highWaterMark?.id == "trc_a")
    }

    @Test("a trace whose created_at moves changes day file")
    func move() throws {
        let directory = try TemporaryDirectory()
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        try store.apply([Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z")])
        let counts = try store.apply([
            Self.record("trc_a", created: "2026-05-14T10:00:00Z", updated: "2026-05-14T10:00:00Z")
        ])
        #expect(counts == WriteCounts(updated: 1))
        let names = try FileManager.default.contentsOfDirectory(
            atPath: directory.url.appendingPathComponent("traces/proj_a").path
        )
        #expect(names == ["2026-05-14.jsonl"])
    }

    @Test("a temporary file left by a killed run is removed when the workspace opens")
    func leftovers() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.appending("prompts"), withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: directory.appending("prompts/.proj_a.jsonl.tmp"))
        _ = try Workspace(
            root: directory.url.path,
            source: .tuor,
            baseURL: "http://x",
            projects: ["proj_a"],
            now: "2026-05-12T00:00:00Z",
            toolVersion: "0"
        )
        #expect(!FileManager.default.fileExists(atPath: directory.appending("prompts/.proj_a.jsonl.tmp").path))
        #expect(throws: WorkspaceError.self) { try Workspace.checkProjectID("../x") }
    }
}
