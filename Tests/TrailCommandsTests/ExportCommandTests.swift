import Foundation
import Testing
import TrailTestSupport

@Suite("trail-export")
struct ExportCommandTests {
    @Test("exports the sample workspace and reports the rows; a second run writes nothing")
    func exportsWorkspace() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-cli")
        let workspace = PackagePaths.samples.appendingPathComponent("workspace").path
        let arguments = [workspace, "--out", directory.url.path, "--format", "ndjson", "--partition", "month"]
        let first = try ProcessResult.run("trail-export", arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("prompt_versions 9, traces 304, lineage 304 rows"))
        let second = try ProcessResult.run("trail-export", arguments)
        #expect(second.standardOutput.hasSuffix("0 files written, 6 unchanged, 0 removed\n"))
    }

    @Test("rejects bad options with exit 64 and a missing source with 66")
    func errors() throws {
        let bad = try ProcessResult.run("trail-export", ["x", "--out", "y", "--since", "yesterday"])
        #expect(bad.status == 64)
        let missing = try ProcessResult.run("trail-export", ["/nonexistent/workspace", "--out", "/tmp/unused"])
        #expect(missing.status == 66)
        #expect(missing.standardError.contains("no such file or directory"))
    }
}
