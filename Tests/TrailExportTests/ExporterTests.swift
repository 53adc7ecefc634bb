import Foundation
import Testing
import TrailExport
import TrailModel
import TrailTestSupport

@Suite("Exporter: idempotent, incremental, scoped")
struct ExporterTests {
    static let workspace = PackagePaths.samples.appendingPathComponent("workspace").path

    /// Every file under `directory` (relative path → bytes).
    static func tree(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let relative = enumerator?.nextObject() as? String {
            let url = directory.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: url)
            }
        }
        return files
    }

    @Test("exporting twice gives byte-identical files", arguments: ExportFormat.allCases)
    func deterministic(format: ExportFormat) throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export")
        let exporter = Exporter(options: ExportOptions(format: format))
        _ = try exporter.export(workspace: Self.workspace, to: directory.appending("a").path)
        _ = try exporter.export(workspace: Self.workspace, to: directory.appending("b").path)
        let first = try Self.tree(directory.appending("a"))
        #expect(first.count == 2 + 20 + 20 + 3 * TableDefinition.all.count + 1)
        #expect(first == (try Self.tree(directory.appending("b"))))
        #expect(!first.keys.contains { $0.hasSuffix(".tmp") })
    }

    @Test("re-running into the same directory rewrites nothing")
    func rerun() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export")
        let exporter = Exporter(options: ExportOptions())
        let first = try exporter.export(workspace: Self.workspace, to: directory.url.path)
        let before = try Self.tree(directory.url)
        let second = try exporter.export(workspace: Self.workspace, to: directory.url.path)
        #expect(first.filesWritten == 42)
        #expect(second.filesWritten == 0 && second.filesUnchanged == 42 && second.filesRemoved == 0)
        #expect(try Self.tree(directory.url) == before)
    }

    @Test("windows add partitions; the union of windows equals one full export, byte for byte")
    func incremental() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export")
        let early = RFC3339Timestamp.startOfDay("2026-05-15")
        let first = try Exporter(options: ExportOptions(until: early)).export(
            workspace: Self.workspace,
            to: directory.appending("inc").path
        )
        #expect(first.rows["traces", default: 0] < 304)
        let second = try Exporter(options: ExportOptions(since: early)).export(
            workspace: Self.workspace,
            to: directory.appending("inc").path
        )
        #expect(second.filesRemoved == 0)
        #expect(first.rows["traces", default: 0] + second.rows["traces", default: 0] == 304)
        _ = try Exporter(options: ExportOptions()).export(
            workspace: Self.workspace,
            to: directory.appending("full").path
        )
        #expect(try Self.tree(directory.appending("inc")) == (try Self.tree(directory.appending("full"))))
    }

    @Test("--project writes only that project's files and keeps the others")
    func projects() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export")
        let summary = try Exporter(options: ExportOptions(projects: ["proj_supportdesk"])).export(
            workspace: Self.workspace,
            to: directory.url.path
        )
        #expect(summary.rows["prompt_versions"] == 4 && summary.rows["traces"] == 140)
        let files = try Self.tree(directory.url).keys
        #expect(!files.contains { $0.contains("proj_acmefinance") })
        #expect(throws: ExportError.self) {
            try Exporter(options: ExportOptions(projects: ["proj_nope"])).export(
                workspace: Self.workspace,
                to: directory.url.path
            )
        }
    }

    @Test("an export directory of another format or partitioning is refused")
    func incompatible() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export")
        _ = try Exporter(options: ExportOptions(format: .csv)).export(workspace: Self.workspace, to: directory.url.path)
        #expect(throws: ExportError.self) {
            try Exporter(options: ExportOptions(format: .parquet)).export(
                workspace: Self.workspace,
                to: directory.url.path
            )
        }
    }

    @Test("month and unpartitioned layouts")
    func layouts() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export")
        _ = try Exporter(options: ExportOptions(partitioning: .month)).export(
            workspace: Self.workspace,
            to: directory.appending("m").path
        )
        #expect(
            try Self.tree(directory.appending("m")).keys.contains(
                "traces/dt=2026-05/part-proj_acmefinance-00000.parquet"
            )
        )
        _ = try Exporter(options: ExportOptions(partitioning: .none)).export(
            workspace: Self.workspace,
            to: directory.appending("n").path
        )
        #expect(try Self.tree(directory.appending("n")).keys.contains("traces/part-proj_acmefinance-00000.parquet"))
    }
}
