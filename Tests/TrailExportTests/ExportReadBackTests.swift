import Foundation
import Testing
import TrailExport
import TrailTestSupport

/// Exports the sample workspace and an edge-case workspace in every format and has DuckDB and pyarrow
/// read them back (`Tests/Python/export_check.py`).
@Suite("Exports read back by DuckDB and pyarrow")
struct ExportReadBackTests {
    static let python = PackagePaths.root.appendingPathComponent(".venv/bin/python")

    static let cases: [(ExportFormat, Bool)] = [(.parquet, false), (.ndjson, false), (.csv, false), (.csv, true)]

    @Test("every value, type, row count and the lineage join survive", arguments: [false, true], cases)
    func readBack(edgeCases: Bool, format: (ExportFormat, Bool)) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python.path) else {
            Issue.record("\(Self.python.path) is missing: run scripts/bootstrap.sh to install duckdb and pyarrow")
            return
        }
        let directory = try TemporaryDirectory(prefix: "prompttrail-export")
        let workspace: URL
        if edgeCases {
            workspace = directory.appending("workspace")
            try EdgeCaseWorkspace.write(to: workspace)
        } else {
            workspace = PackagePaths.samples.appendingPathComponent("workspace")
        }
        let out = directory.appending("out")
        let options = ExportOptions(
            format: format.0,
            writer: WriterSettings(rowGroupRows: edgeCases ? 2 : 50, gzipCSV: format.1)
        )
        _ = try Exporter(options: options).export(workspace: workspace.path, to: out.path)

        let process = Process()
        process.executableURL = Self.python
        process.arguments = [
            PackagePaths.root.appendingPathComponent("Tests/Python/export_check.py").path,
            workspace.path, out.path, format.0.rawValue,
        ]
        let output = directory.appending("check.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let log = try String(contentsOf: output, encoding: .utf8)
        #expect(process.terminationStatus == 0, "export_check.py failed:\n\(log)")
    }
}
