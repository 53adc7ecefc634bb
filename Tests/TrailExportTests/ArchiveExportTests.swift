import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailExport
import TrailModel
import TrailTestSupport

@Suite("Exporter: audit archive sources")
struct ArchiveExportTests {
    static let workspace = PackagePaths.samples.appendingPathComponent("workspace").path

    /// Archives the sample workspace into `directory` as `name` (the container follows the extension).
    static func archive(in directory: TemporaryDirectory, name: String = "audit.tar.zst") throws -> String {
        let output = directory.appending(name).path
        let (format, compression) = try #require(ArchiveBuildOptions.container(forOutput: name))
        try AuditArchiveBuilder.build(
            workspace: workspace,
            output: output,
            options: ArchiveBuildOptions(format: format, compression: compression)
        )
        return output
    }

    /// Copies `archive` to `output` entry by entry, passing each entry's bytes through `transform`.
    static func rewrite(_ archive: String, to output: String, _ transform: (String, [UInt8]) -> [UInt8]) throws {
        let reader = try ArchiveReader(path: archive)
        defer { reader.close() }
        try ArchiveWriter.write(to: output, format: .tar, compression: .zstd) { writer in
            while let entry = try reader.nextEntry() {
                try writer.writeFile(entry, contents: transform(entry.path, try reader.readData()))
            }
        }
    }

    static let cases: [(ExportFormat, String)] = [
        (.parquet, "audit.tar.zst"),
        (.ndjson, "audit.tar.zst"),
        (.ndjson, "audit.zip"),
        (.csv, "audit.tar.gz"),
    ]

    @Test("an archive exports to the same files as the workspace it was made from", arguments: cases)
    func sameAsWorkspace(format: ExportFormat, container: String) throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-archive")
        let archive = try Self.archive(in: directory, name: container)
        let exporter = Exporter(options: ExportOptions(format: format))
        let fromWorkspace = try exporter.export(workspace: Self.workspace, to: directory.appending("w").path)
        let fromArchive = try exporter.export(archive: archive, to: directory.appending("a").path)
        #expect(fromArchive == fromWorkspace)
        #expect(fromArchive.rows == ["prompt_versions": 9, "traces": 304, "lineage": 304])
        let expected = try ExporterTests.tree(directory.appending("w"))
        let actual = try ExporterTests.tree(directory.appending("a"))
        #expect(actual.count == expected.count && actual.count == 2 + 20 + 20 + 3 * TableDefinition.all.count + 1)
        for (path, bytes) in expected {
            #expect(actual[path] == bytes, "\(path) differs")
        }
        #expect(actual == expected)
    }

    @Test("windows and project filters give the same files from the archive as from the workspace")
    func scopedRuns() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-archive")
        let archive = try Self.archive(in: directory)
        let options = ExportOptions(
            format: .ndjson,
            partitioning: .month,
            since: RFC3339Timestamp.startOfDay("2026-05-15"),
            projects: ["proj_supportdesk"]
        )
        _ = try Exporter(options: options).export(workspace: Self.workspace, to: directory.appending("w").path)
        _ = try Exporter(options: options).export(archive: archive, to: directory.appending("a").path)
        #expect(try ExporterTests.tree(directory.appending("a")) == (try ExporterTests.tree(directory.appending("w"))))
    }

    @Test("a tampered archive is refused naming its first findings; without verification it is exported")
    func tampered() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-archive")
        let archive = try Self.archive(in: directory)
        let tampered = directory.appending("tampered.tar.zst").path
        let target = "data/traces/proj_acmefinance/2026-05-11.jsonl"
        try Self.rewrite(archive, to: tampered) { path, bytes in
            guard path == target else { return bytes }
            let text = String(decoding: bytes, as: UTF8.self)
            let range = text.range(of: #""model":"gpt-4o""#)!
            return Array(text.replacingCharacters(in: range, with: #""model":"gpt-4x""#).utf8)
        }

        let exporter = Exporter(options: ExportOptions(format: .ndjson))
        let out = directory.appending("refused")
        #expect {
            try exporter.export(archive: tampered, to: out.path)
        } throws: { error in
            guard case ExportError.archiveNotIntact(let path, let problems, let first) = error else { return false }
            let description = "\(error)"
            return path == tampered && problems > 0 && !first.isEmpty && first.contains { $0.contains(target) }
                && !description.contains("\n") && description.contains("failed verification")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("_manifest.json").path))

        let summary = try exporter.export(archive: tampered, to: directory.appending("a").path, verification: nil)
        #expect(summary.rows["traces"] == 304)
        _ = try exporter.export(workspace: Self.workspace, to: directory.appending("w").path)
        let fromArchive = try ExporterTests.tree(directory.appending("a"))
        let fromWorkspace = try ExporterTests.tree(directory.appending("w"))
        let changed = Set(fromArchive.keys.filter { fromArchive[$0] != fromWorkspace[$0] })
        #expect(changed == ["traces/dt=2026-05-11/part-proj_acmefinance-00000.ndjson.gz", "_manifest.json"])
    }

    @Test("a file that is not an audit archive is refused")
    func notAnArchive() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-archive")
        let file = directory.appending("notes.txt")
        try Data("not an archive\n".utf8).write(to: file)
        #expect(throws: ExportError.self) {
            try Exporter(options: ExportOptions()).export(
                archive: file.path,
                to: directory.appending("out").path,
                verification: nil
            )
        }
        let plain = directory.appending("plain.tar.zst").path
        try ArchiveWriter.write(to: plain, format: .tar, compression: .zstd) { writer in
            try writer.writeFile(ArchiveEntry(path: "data/prompts/proj_x.jsonl"), contents: [])
        }
        #expect {
            try Exporter(options: ExportOptions()).export(
                archive: plain,
                to: directory.appending("out").path,
                verification: nil
            )
        } throws: { error in
            "\(error)".contains("not a PromptTrail audit archive")
        }
    }
}
