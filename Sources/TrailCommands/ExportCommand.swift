public import ArgumentParser
import Foundation
import TrailAudit
import TrailExport
import TrailJSON
import TrailModel
import TrailToolSupport

/// `trail-export`: export an archive or workspace as partitioned, typed datasets for data warehouses.
public struct ExportCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-export",
        abstract: "Export an archive or workspace as partitioned, typed datasets for data warehouses.",
        discussion: """
            Writes the tables prompt_versions, traces and lineage under --output, each a folder of files in \
            Hive-style partitions (traces/dt=2026-05-20/part-<project>-00000.parquet), with their schemas \
            under schema/ and a _manifest.json. Re-running into the same folder rewrites only files whose \
            content changed. An audit archive from trail-archive is verified first (--no-verify skips that) \
            and read without extracting it; it gives the same dataset as the workspace it was made from. \
            See docs/export-format.md. Exit 1 means a record or the archive failed a check (nothing is \
            exported from an archive that is not intact); 2 that the source could not be read or the \
            output written.

            """ + ToolOutcome.helpTable
    )

    /// The workspace directory or audit archive to export.
    @Argument(help: "The workspace directory, or the audit archive (.tar.zst, .tar.gz, .tar.xz, .zip), to export.")
    var source: String

    /// Where the dataset goes.
    @Option(
        name: [.customShort("o"), .customLong("output"), .customLong("out")],
        help: ArgumentHelp("The export directory (created when missing); --out is its older name.", valueName: "DIR")
    )
    var out: String

    /// The file format.
    @Option(help: "File format: parquet, ndjson (gzip) or csv.")
    var fileFormat: ExportFormat = .parquet

    /// The summary's form.
    @Option(help: SummaryFormat.help)
    var format: String = "text"

    /// The partitioning of traces and lineage.
    @Option(help: "Partition traces and lineage by the UTC day or month of created_at, or not at all.")
    var partition: Partitioning = .day

    /// Start of the window.
    @Option(help: "Only write partitions that end after this instant (RFC 3339 or YYYY-MM-DD, UTC).")
    var since: String?

    /// End of the window.
    @Option(help: "Only write partitions that start before this instant (RFC 3339 or YYYY-MM-DD, UTC).")
    var until: String?

    /// Projects to export.
    @Option(name: .customLong("project"), help: "Export only this project (repeatable).")
    var projects: [String] = []

    /// Skip archive verification.
    @Flag(help: "Export an archive without verifying it first (it is exported even if it fails verification).")
    var noVerify = false

    /// Compress CSV files.
    @Flag(help: "gzip-compress CSV files (.csv.gz).")
    var csvGzip = false

    /// Parquet page compression.
    @Option(help: "Parquet page compression: zstd (the default), gzip or none.")
    var parquetCompression: PageCompression = .zstd

    /// The compression level.
    @Option(
        help: """
            Compression level: zstd 1 (fastest) to 19 (smallest), default 3, for Parquet's zstd pages; gzip 1 to 9,             default 6, for Parquet's gzip pages and for NDJSON and CSV.
            """
    )
    var compressionLevel: Int?

    /// Rows per row group.
    @Option(help: "Most rows per Parquet row group.")
    var rowGroupRows = 131_072

    /// Creates the command with no arguments (ArgumentParser fills them in when parsing).
    public init() {}

    /// Runs the tool with PromptTrail's exit codes (``ToolOutcome``).
    public static func main() async {
        await ToolExit.main(Self.self, outcome: ToolOutcome.of)
    }

    public func validate() throws {
        if ExportFormat(rawValue: format) != nil {
            throw ValidationError(
                "--format is the summary format (text or json); the file format is --file-format \(format)"
            )
        }
        guard SummaryFormat(rawValue: format) != nil else {
            throw ValidationError("unknown --format \(format): use text or json")
        }
        if let compressionLevel {
            let zstdPages = fileFormat == .parquet && parquetCompression == .zstd
            let range = zstdPages ? PageCompression.zstd.levels.range : PageCompression.gzip.levels.range
            guard range.contains(compressionLevel) else {
                throw ValidationError(
                    "--compression-level must be between \(range.lowerBound) and \(range.upperBound) for "
                        + (zstdPages ? "zstd Parquet pages" : "gzip")
                )
            }
        }
        guard rowGroupRows > 0 else { throw ValidationError("--row-group-rows must be positive") }
        let window = try parsedWindow()
        if let since = window.since, let until = window.until, since >= until {
            throw ValidationError("--since must be before --until")
        }
    }

    private func parsedWindow() throws -> (since: Int64?, until: Int64?) {
        func instant(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            if let micros = RFC3339Timestamp.parse(text.utf8) ?? RFC3339Timestamp.startOfDay(text) { return micros }
            throw ValidationError("\(name) is not an RFC 3339 date-time or a YYYY-MM-DD date: \(text)")
        }
        return (try instant(since, "--since"), try instant(until, "--until"))
    }

    public func run() async throws {
        let window = try parsedWindow()
        let options = ExportOptions(
            format: fileFormat,
            partitioning: partition,
            since: window.since,
            until: window.until,
            projects: projects,
            writer: WriterSettings(
                parquetCompression: parquetCompression,
                compressionLevel: compressionLevel,
                rowGroupRows: rowGroupRows,
                gzipCSV: csvGzip
            )
        )
        var standardError = StandardError()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            print(
                "trail-export: \(TerminalText.escapedControls(source)): no such file or directory",
                to: &standardError
            )
            throw ToolExit.notCompleted
        }
        if !isDirectory.boolValue, noVerify {
            print(
                "trail-export: \(TerminalText.escapedControls(source)): verification skipped (--no-verify)",
                to: &standardError
            )
        }
        let interruption = Interruption.install(tool: "trail-export")
        defer { interruption.remove() }
        let (source, out, noVerify, fromWorkspace) = (source, out, noVerify, isDirectory.boolValue)
        let progressLine = ProgressLine(tool: "trail-export")
        do {
            let summary: ExportSummary
            do {
                defer { progressLine.finish() }
                summary = try await interruption.run {
                    var exporter = Exporter(options: options)
                    exporter.progress = { progressLine.update("exporting", path: $0.path, records: $0.records) }
                    if fromWorkspace { return try exporter.export(workspace: source, to: out) }
                    var verification = VerificationOptions()
                    verification.progress = {
                        progressLine.update($0.phase.rawValue, path: $0.path, records: $0.records)
                    }
                    return try exporter.export(archive: source, to: out, verification: noVerify ? nil : verification)
                }
            }
            let rows = TableDefinition.all.map { "\($0.name) \(summary.rows[$0.name, default: 0])" }
            let counts = TableDefinition.all.map {
                ($0.name, JSONValue.number(JSONNumber(summary.rows[$0.name, default: 0])))
            }
            (SummaryFormat(rawValue: format) ?? .text).print(
                text: "exported \(rows.joined(separator: ", ")) rows to \(out): \(summary.filesWritten) files "
                    + "written, \(summary.filesUnchanged) unchanged, \(summary.filesRemoved) removed",
                json: .object(
                    JSONObject([
                        ("output", .string(out)),
                        ("rows", .object(JSONObject(counts))),
                        ("files_written", .number(JSONNumber(summary.filesWritten))),
                        ("files_unchanged", .number(JSONNumber(summary.filesUnchanged))),
                        ("files_removed", .number(JSONNumber(summary.filesRemoved))),
                    ])
                )
            )
        } catch let error as ExportError {
            var hint = ""
            if case .archiveNotIntact = error {
                hint = "; run trail-verify for the full report, or pass --no-verify to export it anyway"
            }
            print("trail-export: \(TerminalText.escapedControls("\(error)"))\(hint)", to: &standardError)
            throw ToolOutcome.of(error).exitCode
        } catch {
            throw ToolExit.report(error, tool: "trail-export", outcome: ToolOutcome.of)
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension Partitioning: ExpressibleByArgument {}
extension PageCompression: ExpressibleByArgument {}
