import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailJSON
import TrailTestSupport

/// Format 3: the activation history travels in the archive and tells a version no pull observed from one
/// missing from the archive.
@Suite("Activation history in archives")
struct ActivationArchiveTests {
    /// The sample workspace's trace that names a version no prompts file holds.
    static let danglingTrace = "trc_1mz2y55sqo80ehpoqijp"
    static let missingVersion = "prm_deleted0001"

    /// A copy of the sample workspace with an activation history for `proj_acmefinance`: one line per
    /// held version, in version order, plus one naming each of `extra`.
    static func workspace(
        in directory: TemporaryDirectory,
        extra: [String] = [],
        invalid: Bool = false
    ) throws -> String {
        let workspace = directory.appending("ws").path
        try FileManager.default.copyItem(atPath: AuditFixtures.workspace, toPath: workspace)
        let prompts = try String(contentsOfFile: workspace + "/prompts/proj_acmefinance.jsonl", encoding: .utf8)
        var ids: [(String, Int64)] = try prompts.split(separator: "\n").map { line in
            let record = try JSONValue(parsing: String(line))
            return (record["prompt_version_id"]!.stringValue!, record["version"]!.int64Value!)
        }
        ids += extra.map { ($0, 99) }
        var previous: String?
        var lines: [String] = []
        for (index, (id, version)) in ids.enumerated() {
            let observed = "2026-05-\(String(format: "%02d", 10 + index))T00:00:00Z"
            lines.append(
                #"{"record_type":"prompt_activation","format_version":1,"source":"tuor","project_id":"proj_acmefinance","#
                    + #""prompt_id":null,"prompt_key":null,"prompt_version_id":"\#(id)","version":\#(version),"#
                    + #""observed_at":"\#(observed)","previously_observed_at":\#(previous.map { "\"\($0)\"" } ?? "null"),"#
                    + #""upstream_updated_at":null,"metadata":null}"#
            )
            previous = observed
        }
        if invalid { lines.append(#"{"record_type":"prompt_activation","project_id":"proj_acmefinance"}"#) }
        try FileManager.default.createDirectory(atPath: workspace + "/activations", withIntermediateDirectories: true)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(
            to: URL(fileURLWithPath: workspace + "/activations/proj_acmefinance.jsonl")
        )
        return workspace
    }

    static func entries(_ archive: String) throws -> [String: [UInt8]] {
        let reader = try ArchiveReader(path: archive)
        var files: [String: [UInt8]] = [:]
        while let entry = try reader.nextEntry() { files[entry.path] = try reader.readData() }
        return files
    }

    static func lineage(of trace: String, in files: [String: [UInt8]]) throws -> JSONValue {
        let line = try #require(AuditFixtures.lines(files["data/lineage.jsonl"] ?? []).first { $0.contains(trace) })
        return try JSONValue(parsing: line)
    }

    @Test("a trace naming a version no activation line names is never_observed; the verifier agrees")
    func neverObserved() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory, workspace: Self.workspace(in: directory))
        let files = try Self.entries(archive)
        #expect(files["data/activations/proj_acmefinance.jsonl"] != nil)
        let manifest = String(decoding: files[BagLayout.manifest] ?? [], as: UTF8.self)
        #expect(manifest.contains("  data/activations/proj_acmefinance.jsonl\n"))
        #expect(files["schemas/prompttrail/activation.json"] != nil)
        let lineage = try Self.lineage(of: Self.danglingTrace, in: files)
        #expect(lineage["status"]?.stringValue == "never_observed")
        #expect(lineage["prompt_version_id"]?.stringValue == Self.missingVersion)
        #expect(lineage["version"] == .null && lineage["prompt_content_sha256"] == .null)
        let info = String(decoding: files[BagLayout.info] ?? [], as: UTF8.self)
        #expect(info.contains("PromptTrail-Archive-Format-Version: 3\n"))
        #expect(info.contains("PromptTrail-Never-Observed-Traces: 1\n"))
        #expect(info.contains("PromptTrail-Dangling-Traces: 0\n"))
        #expect(info.contains("PromptTrail-Activations: 5\n"))
        let page = String(decoding: files[BagLayout.htmlReport] ?? [], as: UTF8.self)
        #expect(page.contains("\(Self.danglingTrace) names \(Self.missingVersion)"))
        #expect(page.contains("<h3>Active version history</h3>"))
        #expect(
            page.contains("<td class=\"mono\">2026-05-14T00:00:00Z</td><td class=\"mono\">2026-05-13T00:00:00Z</td>")
        )
        #expect(page.contains("<td class=\"mono\">v5 prm_6qqtpqs37q</td>"))
        #expect(String(decoding: files[BagLayout.report] ?? [], as: UTF8.self).contains("never observed 1"))

        let report = try ArchiveVerifier.verify(archive)
        #expect(report.isIntact, "\(report.text)")
        #expect(report.tally.neverObserved == 1 && report.tally.dangling == 0)
        #expect(report.tally.activations == 5)
        #expect(
            report.text.contains("never observed: proj_acmefinance \(Self.danglingTrace) names \(Self.missingVersion)")
        )
        #expect(report.json["never_observed"] == .number(JSONNumber(1)))
    }

    @Test("a version an activation line names but the archive lacks stays dangling")
    func observedButMissing() throws {
        let directory = try TemporaryDirectory()
        let workspace = try Self.workspace(in: directory, extra: [Self.missingVersion])
        let archive = try AuditFixtures.build(in: directory, workspace: workspace)
        let lineage = try Self.lineage(of: Self.danglingTrace, in: try Self.entries(archive))
        #expect(lineage["status"]?.stringValue == "dangling")
        let report = try ArchiveVerifier.verify(archive)
        #expect(report.isIntact, "\(report.text)")
        #expect(report.tally.dangling == 1 && report.tally.neverObserved == 0)
    }

    @Test("a lineage line that says dangling where the history says never observed is a finding")
    func editedStatus() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory, workspace: Self.workspace(in: directory))
        let tampered = directory.appending("tampered.tar.zst").path
        try AuditFixtures.rewrite(archive, to: tampered) { path, bytes in
            guard path == "data/lineage.jsonl" else { return bytes }
            return AuditFixtures.joined(
                AuditFixtures.lines(bytes).map {
                    $0.replacingOccurrences(of: "\"status\":\"never_observed\"", with: "\"status\":\"dangling\"")
                }
            )
        }
        let report = try ArchiveVerifier.verify(tampered)
        #expect(
            report.findings.contains {
                $0.check == .lineage && $0.entry == "data/lineage.jsonl" && $0.message.contains("never_observed")
            },
            "\(report.text)"
        )
    }

    @Test("an invalid activation line goes to data/quarantine/<project>/activations.jsonl")
    func invalidLine() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory, workspace: Self.workspace(in: directory, invalid: true))
        let files = try Self.entries(archive)
        let quarantined = AuditFixtures.lines(files["data/quarantine/proj_acmefinance/activations.jsonl"] ?? [])
        #expect(quarantined.count == 1)
        #expect(AuditFixtures.lines(files["data/activations/proj_acmefinance.jsonl"] ?? []).count == 5)
        let report = try ArchiveVerifier.verify(archive)
        #expect(report.isIntact, "\(report.text)")
    }

    @Test("an archive of format version 2, without the activation schema, still verifies")
    func formatTwo() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let files = try Self.entries(archive)
        let info =
            String(decoding: files[BagLayout.info] ?? [], as: UTF8.self)
            .replacingOccurrences(
                of: "PromptTrail-Archive-Format-Version: 3",
                with: "PromptTrail-Archive-Format-Version: 2"
            )
            .split(separator: "\n").filter {
                !$0.hasPrefix("PromptTrail-Never-Observed") && !$0.hasPrefix("PromptTrail-Activations")
            }
            .joined(separator: "\n") + "\n"
        let old = directory.appending("v2.tar.zst").path
        try CompletenessTests.retag(
            archive,
            to: old,
            [BagLayout.info: Array(info.utf8), "schemas/prompttrail/activation.json": nil]
        )
        #expect(try Self.entries(old)["schemas/prompttrail/activation.json"] == nil)
        let report = try ArchiveVerifier.verify(old)
        #expect(report.isIntact, "\(report.text)")
        // The same archive declaring format 3 must carry the schema.
        let stripped = directory.appending("v3-stripped.tar.zst").path
        try CompletenessTests.retag(archive, to: stripped, ["schemas/prompttrail/activation.json": nil])
        #expect(
            try ArchiveVerifier.verify(stripped).findings.contains {
                $0.message.contains("prompttrail/activation/v1.json")
            }
        )
    }
}
