import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport
import TrailWorkspace

@Suite("QuarantineStore")
struct QuarantineStoreTests {
    @Test("appends keep the earlier lines, in arrival order, each a prompttrail/quarantine record")
    func appends() throws {
        let directory = try TemporaryDirectory()
        let store = QuarantineStore(workspace: directory.url.path)
        let issue = RecordIssue(instanceLocation: "/status", keywordLocation: "/properties/status/enum", message: "no")
        try store.append(
            [(payload: ["id": "t1"], issues: [issue])],
            project: "proj_a",
            stream: "traces",
            receivedAt: "2026-05-20T10:00:00Z"
        )
        try store.append([], project: "proj_a", stream: "traces", receivedAt: "2026-05-20T10:00:01Z")
        try store.append(
            [(payload: .string("not json {"), issues: [RecordIssue(instanceLocation: "", message: "unreadable")])],
            project: "proj_a",
            stream: "traces",
            receivedAt: "2026-05-20T10:00:02Z"
        )
        let text = try String(contentsOf: directory.appending("quarantine/proj_a/traces.jsonl"), encoding: .utf8)
        let lines = try text.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(lines.count == 2)
        #expect(lines[0]["payload"]?["id"]?.stringValue == "t1")
        #expect(lines[0]["errors"]?[0]?["keywordLocation"]?.stringValue == "/properties/status/enum")
        #expect(lines[1]["payload"]?.stringValue == "not json {")
        #expect(lines.map { $0["received_at"]?.stringValue } == ["2026-05-20T10:00:00Z", "2026-05-20T10:00:02Z"])
        for line in lines {
            #expect(line["record_type"]?.stringValue == "quarantined")
            #expect(line["project_id"]?.stringValue == "proj_a")
            #expect(line["stream"]?.stringValue == "traces")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: directory.appending("quarantine/proj_a").path
        )
        #expect(leftovers == ["traces.jsonl"])
    }
}
