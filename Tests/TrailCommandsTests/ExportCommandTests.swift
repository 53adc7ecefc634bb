import Foundation
import Testing
import TrailArchive
import TrailTestSupport

@Suite("trail-export")
struct ExportCommandTests {
    @Test("exports the sample workspace and reports the rows; a second run writes nothing")
    func exportsWorkspace() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-cli")
        let workspace = PackagePaths.samples.appendingPathComponent("workspace").path
        let arguments = [workspace, "--out", directory.url.path, "--file-format", "ndjson", "--partition", "month"]
        let first = try ProcessResult.run("trail-export", arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("prompt_versions 9, traces 304, lineage 304 rows"))
        let second = try ProcessResult.run("trail-export", arguments)
        #expect(second.standardOutput.hasSuffix("0 files written, 6 unchanged, 0 removed\n"))
    }

    @Test("rejects bad options with exit 64 and a missing source with 2")
    func errors() throws {
        let bad = try ProcessResult.run("trail-export", ["x", "--out", "y", "--since", "yesterday"])
        #expect(bad.status == 64)
        let directory = try TemporaryDirectory()
        let missing = try ProcessResult.run(
            "trail-export",
            ["/nonexistent/workspace", "--out", directory.appending("unused").path]
        )
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("no such file or directory"))
    }

    @Test("exports an audit archive after verifying it; refuses a tampered one unless --no-verify")
    func exportsArchive() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-cli")
        let workspace = PackagePaths.samples.appendingPathComponent("workspace").path
        let archive = directory.appending("audit.tar.zst").path
        let packed = try ProcessResult.run("trail-archive", [workspace, "-o", archive])
        try #require(packed.status == 0, "\(packed.standardError)")

        let exported = try ProcessResult.run("trail-export", [archive, "--out", directory.appending("a").path])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(exported.standardOutput.contains("prompt_versions 9, traces 304, lineage 304 rows"))
        #expect(exported.standardError.isEmpty)

        let tampered = directory.appending("tampered.tar.zst").path
        let reader = try ArchiveReader(path: archive)
        try ArchiveWriter.write(to: tampered, format: .tar, compression: .zstd) { writer in
            while let entry = try reader.nextEntry() {
                var bytes = try reader.readData()
                if entry.path == "data/prompts/proj_supportdesk.jsonl" {
                    bytes = Array(
                        String(decoding: bytes, as: UTF8.self).replacing("customer support", with: "customer service")
                            .utf8
                    )
                }
                try writer.writeFile(entry, contents: bytes)
            }
        }
        reader.close()

        let refused = try ProcessResult.run("trail-export", [tampered, "--out", directory.appending("b").path])
        #expect(refused.status == 1)
        let message = refused.standardError.split(separator: "\n")
        #expect(message.count == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("failed verification"))
        #expect(refused.standardError.contains("data/prompts/proj_supportdesk.jsonl"))
        #expect(refused.standardError.contains("--no-verify"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("b/_manifest.json").path))

        let forced = try ProcessResult.run(
            "trail-export",
            [tampered, "--out", directory.appending("c").path, "--no-verify"]
        )
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(forced.standardError.contains("verification skipped"))
        #expect(forced.standardOutput.contains("prompt_versions 9, traces 304, lineage 304 rows"))
    }
}
