import Foundation
import Testing
import TrailAudit
import TrailJSON
import TrailTestSupport

@Suite("trail-verify --chain and --diff")
struct ChainAndDiffTests {
    static func archive(_ directory: TemporaryDirectory, _ name: String, _ window: [String]) throws -> String {
        let output = directory.appending(name).path
        let result = try ProcessResult.run(
            "trail-archive",
            [AuditFixtures.workspace, "-o", output] + window + AuditFixtures.schemaArguments
        )
        try #require(result.status == 0, "\(result.standardError)")
        return output
    }

    @Test("abutting windows form a whole chain; a one-day gap, an overlap and a reversed order do not")
    func chain() throws {
        let directory = try TemporaryDirectory()
        let first = try Self.archive(directory, "a.tar.zst", ["--until", "2026-05-15"])
        let second = try Self.archive(directory, "b.tar.zst", ["--since", "2026-05-15"])
        let gap = try Self.archive(directory, "c.tar.zst", ["--since", "2026-05-16"])
        let overlap = try Self.archive(directory, "d.tar.zst", ["--since", "2026-05-14"])

        let whole = try ProcessResult.run("trail-verify", [first, second, "--chain"])
        #expect(whole.status == 0, "\(whole.standardOutput)")
        #expect(whole.standardOutput.contains("chain of 2 archives: whole"))

        let broken = try ProcessResult.run("trail-verify", [first, gap, "--chain"])
        #expect(broken.status == 1)
        #expect(
            broken.standardOutput.contains(
                "project proj_acmefinance: gap: nothing is claimed from 2026-05-15T00:00:00Z to 2026-05-16T00:00:00Z"
            ),
            "\(broken.standardOutput)"
        )
        let overlapping = try ProcessResult.run("trail-verify", [first, overlap, "--chain", "--format", "json"])
        #expect(overlapping.status == 1)
        let json = try JSONParser().parse(Array(overlapping.standardOutput.utf8))
        #expect(json["chain"]?["whole"] == .bool(false))
        #expect(
            overlapping.standardOutput.contains(
                "overlap: both archives claim 2026-05-14T00:00:00Z to 2026-05-15T00:00:00Z"
            )
        )

        let reversed = try ProcessResult.run("trail-verify", [second, first, "--chain"])
        #expect(reversed.status == 1)
        // Each archive on its own is intact.
        for archive in [first, second, gap, overlap] {
            #expect(try ArchiveVerifier.verify(archive).isIntact)
        }
    }

    @Test("archives of different projects are no chain")
    func differentProjects() throws {
        let directory = try TemporaryDirectory()
        let workspace = directory.appending("ws").path
        try FileManager.default.copyItem(atPath: AuditFixtures.workspace, toPath: workspace)
        let descriptor = workspace + "/workspace.json"
        let text = try String(contentsOfFile: descriptor, encoding: .utf8)
        let edited = text.replacingOccurrences(of: ",\n    \"proj_supportdesk\"", with: "")
        try #require(edited != text)
        try edited.write(toFile: descriptor, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: workspace + "/traces/proj_supportdesk")
        try FileManager.default.removeItem(atPath: workspace + "/prompts/proj_supportdesk.jsonl")
        let first = try Self.archive(directory, "a.tar.zst", ["--until", "2026-05-15"])
        let onlyOne = directory.appending("b.tar.zst").path
        let packed = try ProcessResult.run(
            "trail-archive",
            [workspace, "-o", onlyOne, "--since", "2026-05-15"] + AuditFixtures.schemaArguments
        )
        try #require(packed.status == 0, "\(packed.standardError)")
        let result = try ProcessResult.run("trail-verify", [first, onlyOne, "--chain"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("the archives hold different projects"), "\(result.standardOutput)")
    }

    @Test("--diff shows who changed a prompt, when and why, and the content's unified diff, from archive or workspace")
    func diff() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let arguments = ["--diff", "prm_666hw133xr", "prm_5rwvt3ujk1"]
        let fromArchive = try ProcessResult.run("trail-verify", [archive] + arguments)
        #expect(fromArchive.status == 0, "\(fromArchive.standardError)")
        let text = fromArchive.standardOutput
        #expect(
            text.hasPrefix("--- prm_666hw133xr (version 3) 2026-05-09T16:20:05Z by user_1maya7rao, origin manual\n")
        )
        #expect(
            text.contains("+++ prm_5rwvt3ujk1 (version 4) 2026-05-14T11:05:48Z by user_3lena9vogt, origin refinement\n")
        )
        #expect(text.contains("+++ rationale: Reviewers corrected 18 of the 46 traces"))
        #expect(text.contains("\n@@ content @@\n"))
        #expect(text.contains("\n+") && text.contains("\n "))
        let fromWorkspace = try ProcessResult.run("trail-verify", [AuditFixtures.workspace] + arguments)
        #expect(fromWorkspace.standardOutput == text)

        let json = try ProcessResult.run("trail-verify", [archive, "--format", "json"] + arguments)
        let value = try JSONParser().parse(Array(json.standardOutput.utf8))
        #expect(value["from"]?["version"]?.int64Value == 3)
        #expect(value["to"]?["origin"]?.stringValue == "refinement")
        #expect(value["content"]?.arrayValue?.contains { $0["op"]?.stringValue == "added" } == true)

        let unknown = try ProcessResult.run("trail-verify", [archive, "--diff", "prm_666hw133xr", "prm_nope"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no prompt version prm_nope"))
    }
}
