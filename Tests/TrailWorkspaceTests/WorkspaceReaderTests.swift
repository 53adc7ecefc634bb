import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport
import TrailWorkspace

@Suite("WorkspaceReader")
struct WorkspaceReaderTests {
    private static let descriptor = """
        {"format": "prompttrail-workspace", "format_version": 1, "source": "tuor", \
        "base_url": "https://api.example", "projects": ["proj_b", "proj_a"], \
        "created_at": "2026-05-20T10:00:00Z", "tool_version": "1.0.0"}
        """

    private func write(_ text: String, _ relative: String, in directory: TemporaryDirectory) throws {
        let url = directory.appending(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
    }

    @Test("the descriptor is typed; projects are sorted; its bytes are kept as stored")
    func descriptor() throws {
        let directory = try TemporaryDirectory()
        try write(Self.descriptor, "workspace.json", in: directory)
        let reader = try WorkspaceReader(root: directory.url.path + "/")
        #expect(reader.root == directory.url.path)
        #expect(reader.descriptor.source == "tuor")
        #expect(reader.descriptor.projects == ["proj_a", "proj_b"])
        #expect(reader.descriptor.baseURL == "https://api.example")
        #expect(reader.descriptor.createdAt == "2026-05-20T10:00:00Z")
        #expect(reader.descriptor.toolVersion == "1.0.0")
        #expect(reader.descriptor.bytes == Array(Self.descriptor.utf8))
        #expect(try reader.stateBytes() == nil)
    }

    @Test("a folder without workspace.json, a JSON error and a foreign document are refused with where and why")
    func refusals() throws {
        let empty = try TemporaryDirectory()
        #expect(!WorkspaceReader.isWorkspace(empty.url.path))
        #expect {
            try WorkspaceReader(root: empty.url.path)
        } throws: { error in
            guard case .notAWorkspace(let path) = error as? WorkspaceError else { return false }
            return path == empty.url.path
        }

        let broken = try TemporaryDirectory()
        try write(
            "{\n  \"format\": \"prompttrail-workspace\",\n  \"format_version\" 1\n}\n",
            "workspace.json",
            in: broken
        )
        #expect {
            try WorkspaceReader(root: broken.url.path)
        } throws: { error in
            guard case .corrupt(let path, let message) = error as? WorkspaceError else { return false }
            return path.hasSuffix("/workspace.json") && message.hasPrefix("line 3, column 20:")
        }

        let foreign = try TemporaryDirectory()
        try write(#"{"format": "prompttrail-workspace", "format_version": 2}"#, "workspace.json", in: foreign)
        #expect {
            try WorkspaceReader(root: foreign.url.path)
        } throws: { error in
            guard case .corrupt(_, let message) = error as? WorkspaceError else { return false }
            return message.contains("not a version-1 workspace")
        }

        let badProject = try TemporaryDirectory()
        try write(
            #"{"format": "prompttrail-workspace", "format_version": 1, "source": "tuor", "projects": ["a", 7]}"#,
            "workspace.json",
            in: badProject
        )
        #expect {
            try WorkspaceReader(root: badProject.url.path)
        } throws: { error in
            guard case .corrupt(_, let message) = error as? WorkspaceError else { return false }
            return message == "/projects/1: not a string"
        }
    }

    @Test("files of each kind, in byte order of their paths; hidden files, other names and folders are not listed")
    func listing() throws {
        let directory = try TemporaryDirectory()
        try write(Self.descriptor, "workspace.json", in: directory)
        for relative in [
            "prompts/proj_b.jsonl", "prompts/proj_a.jsonl", "prompts/.proj_a.jsonl.tmp", "prompts/notes.txt",
            "traces/proj_b/2026-05-21.jsonl", "traces/proj_a/2026-05-21.jsonl", "traces/proj_a/2026-05-20.jsonl",
            "traces/proj_a-x/2026-05-20.jsonl", "traces/proj_a/.2026-05-22.jsonl.tmp", "traces/stray.jsonl",
            "quarantine/proj_a/traces.jsonl", "quarantine/proj_a/prompts.jsonl",
        ] {
            try write("{}\n", relative, in: directory)
        }
        try FileManager.default.createDirectory(
            at: directory.appending("traces/proj_a/folder.jsonl"),
            withIntermediateDirectories: true
        )
        let reader = try WorkspaceReader(root: directory.url.path)
        #expect(try reader.files(.prompts).map(\.relativePath) == ["prompts/proj_a.jsonl", "prompts/proj_b.jsonl"])
        #expect(
            try reader.files(.traces).map(\.relativePath) == [
                "traces/proj_a-x/2026-05-20.jsonl", "traces/proj_a/2026-05-20.jsonl",
                "traces/proj_a/2026-05-21.jsonl", "traces/proj_b/2026-05-21.jsonl",
            ]
        )
        let first = try #require(try reader.files(.traces).dropFirst().first)
        #expect(first.kind == .traces)
        #expect(first.project == "proj_a")
        #expect(first.member == "2026-05-20")
        #expect(
            try reader.files(.quarantine).map { [$0.project, $0.member ?? ""] } == [
                ["proj_a", "prompts"], ["proj_a", "traces"],
            ]
        )
        #expect(try reader.files(.activations).isEmpty)
    }

    @Test("a kind's folder that cannot be listed is an error, not an empty list")
    func unlistable() throws {
        let directory = try TemporaryDirectory()
        try write(Self.descriptor, "workspace.json", in: directory)
        try write("not a folder", "traces", in: directory)
        let reader = try WorkspaceReader(root: directory.url.path)
        #expect {
            try reader.files(.traces)
        } throws: { error in
            guard case .io(let operation, let path, let code) = error as? WorkspaceError else { return false }
            return operation == "list" && path.hasSuffix("/traces") && code == ENOTDIR
        }
    }

    @Test("records come with their file and line; a bad line is named by line and column")
    func records() throws {
        let directory = try TemporaryDirectory()
        try write(Self.descriptor, "workspace.json", in: directory)
        try write("{\"n\": 1}\n\n{\"n\": 2}\n[3]\n{\"n\": }\n", "prompts/proj_a.jsonl", in: directory)
        let reader = try WorkspaceReader(root: directory.url.path)
        let file = WorkspaceFile(kind: .prompts, project: "proj_a")
        var seen: [String] = []
        #expect {
            try reader.forEachRecord(of: file) { record, line in
                seen.append("\(line.location)=\(record["n"]?.intValue ?? -1)")
            }
        } throws: { error in
            guard case .corrupt(let path, let message) = error as? WorkspaceError else { return false }
            return path == "prompts/proj_a.jsonl" && message == "line 4: not a JSON object"
        }
        #expect(seen == ["prompts/proj_a.jsonl:1=1", "prompts/proj_a.jsonl:3=2"])

        var lines: [WorkspaceLine] = []
        try reader.forEachLine(of: file) { lines.append($0) }
        #expect(lines.map(\.number) == [1, 3, 4, 5])
        #expect {
            try lines[3].object()
        } throws: { error in
            guard case .corrupt(_, let message) = error as? WorkspaceError else { return false }
            return message.hasPrefix("line 5, column 7:")
        }
    }

    @Test("a quarantine line carries the record verbatim with its issues, as the workspace format describes")
    func quarantineRecord() throws {
        let issue = RecordIssue(instanceLocation: "/id", keywordLocation: "/properties/id/pattern", message: "no match")
        let record = QuarantineRecord(
            project: "proj_a",
            stream: "traces",
            receivedAt: "2026-05-20T10:00:00Z",
            issues: [issue],
            payload: ["id": "bad id"]
        )
        let parsed = try JSONValue(parsing: String(decoding: record.bytes, as: UTF8.self))
        #expect(
            parsed.objectValue?.keys == [
                "record_type", "format_version", "project_id", "stream", "received_at", "errors", "payload",
            ]
        )
        #expect(parsed["record_type"]?.stringValue == "quarantined")
        #expect(parsed["format_version"]?.intValue == 1)
        #expect(parsed["errors"]?[0] == issue.json)
        #expect(parsed["payload"]?["id"]?.stringValue == "bad id")
    }
}
