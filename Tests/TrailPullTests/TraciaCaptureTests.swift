import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailCompression
import TrailExport
import TrailJSON
import TrailModel
import TrailPull
import TrailServer
import TrailTestSupport

/// Tracia as documented: only the current version of a prompt is served. Versions replaced between two
/// pulls are never observed; renames keep spans linked; the flow goes on to an archive and an export.
@Suite("Tracia version capture against the emulator in its documented mode")
struct TraciaCaptureTests {
    static func lines(_ url: URL) throws -> [JSONValue] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONValue(parsing: String($0))
        }
    }

    static func traces(_ directory: TemporaryDirectory) throws -> [JSONValue] {
        let folder = directory.appending("traces/acct_main")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().flatMap {
            try lines(folder.appendingPathComponent($0))
        }
    }

    static func message(_ text: String) -> String {
        #"{"content":[{"id":"msg_1","role":"system","content":"\#(text)"}]}"#
    }

    /// Runs the prompt once and returns the new span's id.
    static func run(_ emulator: Emulator, _ slug: String) async throws -> String {
        let body = try JSONValue(parsing: try await emulator.send("POST", "/api/v1/prompts/\(slug)/run", body: "{}"))
        return try #require(body["spanId"]?.stringValue)
    }

    @Test("a version made and replaced between two pulls is never observed; a rename keeps spans linked")
    func capture() async throws {
        let directory = try TemporaryDirectory()
        try await Emulator.with(configure: { $0.generateCount = 0 }) { emulator in
            let created = try JSONValue(
                parsing: try await emulator.send(
                    "POST",
                    "/api/v1/prompts",
                    body:
                        #"{"name":"Audit e2e","slug":"audit-e2e","content":[{"id":"msg_1","role":"system","content":"v1"}]}"#
                )
            )
            let promptID = try #require(created["id"]?.stringValue)
            let shown = try JSONValue(parsing: try await emulator.send("GET", "/api/v1/prompts/audit-e2e"))
            #expect(shown["versions"] == nil, "the documented API serves no versions array")
            let spanV1 = try await Self.run(emulator, "audit-e2e")

            let options = emulator.options(.tracia, projects: ["acct_main"], workspace: directory.url.path)
            let first = await PullRunner(options: options).run()
            #expect(first.status == .complete, "\(first.json.serializedString())")
            let promptsFile = directory.appending("prompts/acct_main.jsonl")
            let firstV1 = try #require(
                try Self.lines(promptsFile).first { $0["prompt_version_id"]?.stringValue == "\(promptID)@1" }
            )

            _ = try await emulator.send("PUT", "/api/v1/prompts/audit-e2e", body: Self.message("v2"))
            let spanV2 = try await Self.run(emulator, "audit-e2e")
            _ = try await emulator.send("PUT", "/api/v1/prompts/audit-e2e", body: Self.message("v3"))
            let spanV3 = try await Self.run(emulator, "audit-e2e")
            _ = try await emulator.send(
                "PUT",
                "/api/v1/prompts/audit-e2e",
                body: #"{"slug":"audit-e2e-renamed","description":"renamed"}"#
            )
            let spanRenamed = try await Self.run(emulator, "audit-e2e-renamed")

            let second = await PullRunner(options: options).run()
            #expect(second.status == .complete, "\(second.json.serializedString())")

            // Versions: v1 kept as first observed (only is_active followed), v3 added, v2 never seen.
            let versions = try Self.lines(promptsFile).filter {
                $0["prompt_version_id"]?.stringValue?.hasPrefix(promptID) == true
            }
            #expect(versions.map { $0["version"]?.int64Value } == [1, 3])
            let v1 = try #require(versions.first)
            #expect(v1["observed_at"] == firstV1["observed_at"] && v1["created_at"] == firstV1["created_at"])
            #expect(v1["source_payload"] == firstV1["source_payload"])
            #expect(v1["is_active"] == .bool(false) && versions.last?["is_active"] == .bool(true))

            // The summary names the never-observed version by slug and number.
            let never = second.projects["acct_main"]?.neverObserved ?? []
            #expect(
                never == [
                    PullSummary.NeverObserved(
                        promptKey: "audit-e2e",
                        promptVersionID: "\(promptID)@2",
                        version: 2,
                        traces: 1
                    )
                ]
            )
            #expect(second.json["projects"]?["acct_main"]?["never_observed_traces"] == .number(JSONNumber(1)))

            // Every span is linked through the prompt id, the renamed one included.
            let byID = Dictionary(
                uniqueKeysWithValues: try Self.traces(directory).map { ($0["trace_id"]!.stringValue!, $0) }
            )
            #expect(byID[spanV1]?["prompt_version_id"]?.stringValue == "\(promptID)@1")
            #expect(byID[spanV2]?["prompt_version_id"]?.stringValue == "\(promptID)@2")
            #expect(byID[spanV3]?["prompt_version_id"]?.stringValue == "\(promptID)@3")
            #expect(byID[spanRenamed]?["prompt_version_id"]?.stringValue == "\(promptID)@3")

            // The activation history: v1 under the old slug, then v3 under the new one.
            let history = try Self.lines(directory.appending("activations/acct_main.jsonl")).filter {
                $0["prompt_id"]?.stringValue == promptID
            }
            #expect(history.map { $0["version"]?.int64Value } == [1, 3])
            #expect(history.map { $0["prompt_key"]?.stringValue } == ["audit-e2e", "audit-e2e-renamed"])
            #expect(history.last?["previously_observed_at"] == history.first?["observed_at"])
            #expect(history.last?["metadata"]?["description"]?.stringValue == "renamed")

            // A third pull with nothing new appends nothing.
            let third = await PullRunner(options: options).run()
            #expect(third.new == 0 && third.updated == 0)
            #expect(try Self.lines(directory.appending("activations/acct_main.jsonl")).count == history.count)

            // Archive and verify: the span of v2 is never observed, the others linked.
            let archive = directory.appending("audit.tar.zst").path
            try AuditArchiveBuilder.build(
                workspace: directory.url.path,
                output: archive,
                options: ArchiveBuildOptions(format: .tar, compression: .zstd, threads: 2, schemas: .bundled)
            )
            let report = try ArchiveVerifier.verify(archive)
            #expect(report.isIntact, "\(report.text)")
            #expect(report.tally.neverObserved == 1)
            let provenance = try Provenance.find(traceID: spanV2, in: archive)
            #expect(provenance.lineage.status == .neverObserved)
            #expect(provenance.text.contains("which no pull ever observed"))

            // Export: the lineage table agrees with the archive.
            for (index, fromArchive) in [true, false].enumerated() {
                let export = directory.appending("export-\(index)").path
                let exporter = Exporter(options: ExportOptions(format: .ndjson))
                if fromArchive {
                    _ = try exporter.export(archive: archive, to: export)
                } else {
                    _ = try exporter.export(workspace: directory.url.path, to: export)
                }
                let activations = try Self.rows(export, table: "prompt_activations").filter {
                    $0["prompt_id"]?.stringValue == promptID
                }
                #expect(activations.map { $0["version"]?.int64Value } == [1, 3], "\(fromArchive)")
                #expect(activations.first?["live_until"] == activations.last?["observed_at"])
                #expect(activations.last?["live_until"] == .null)
                #expect(activations.last?["prompt_key"]?.stringValue == "audit-e2e-renamed")
                let statuses = try Self.lineageStatuses(export)
                #expect(statuses[spanV2] == "never_observed")
                #expect(statuses[spanV1] == "linked" && statuses[spanV3] == "linked", "\(fromArchive) \(statuses)")
                // The newest span sits at the trace high-water mark, where the archive's window [since, until)
                // ends: the next archive of the chain holds it. The workspace export has it.
                #expect(statuses[spanRenamed] == (fromArchive ? nil : "linked"), "\(fromArchive) \(statuses)")
            }
        }
    }

    /// Every row of a table of an NDJSON export.
    static func rows(_ export: String, table: String) throws -> [JSONValue] {
        var rows: [JSONValue] = []
        for file in (FileManager.default.enumerator(atPath: export)?.allObjects as? [String] ?? []).sorted()
        where file.hasPrefix(table + "/") && file.hasSuffix(".ndjson.gz") {
            let bytes = try Gzip.decompress(Array(Data(contentsOf: URL(fileURLWithPath: export + "/" + file))))
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                rows.append(try JSONValue(parsing: String(line)))
            }
        }
        return rows
    }

    /// The lineage table's status per trace, from an NDJSON export.
    static func lineageStatuses(_ export: String) throws -> [String: String] {
        var statuses: [String: String] = [:]
        for file in FileManager.default.enumerator(atPath: export)?.allObjects as? [String] ?? []
        where file.hasPrefix("lineage/") && file.hasSuffix(".ndjson.gz") {
            let text = try String(
                decoding: Gzip.decompress(Array(Data(contentsOf: URL(fileURLWithPath: export + "/" + file)))),
                as: UTF8.self
            )
            for line in text.split(separator: "\n") {
                let row = try JSONValue(parsing: String(line))
                statuses[row["trace_id"]!.stringValue!] = row["status"]?.stringValue
            }
        }
        return statuses
    }
}
