import Crypto
import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailJSON
import TrailModel
import TrailTestSupport

@Suite("completeness.json: what an archive claims to hold in full, recounted by the verifier")
struct CompletenessTests {
    /// Copies `archive` to `output` with tag files replaced or dropped (`nil`), the tag manifest rewritten
    /// to match, and no signature: a consistent, unsigned bag.
    static func retag(_ archive: String, to output: String, _ replacements: [String: [UInt8]?]) throws {
        let reader = try ArchiveReader(path: archive)
        var entries: [(ArchiveEntry, [UInt8])] = []
        while let entry = try reader.nextEntry() { entries.append((entry, try reader.readData())) }
        var files: [String: [UInt8]] = [:]
        for (entry, bytes) in entries { files[entry.path] = bytes }
        for (name, bytes) in replacements { files[name] = bytes }
        files[BagLayout.signature] = nil
        let listed = AuditFixtures.lines(files[BagLayout.tagManifest] ?? []).compactMap { line -> String? in
            let path = String(line.drop { $0 != " " }.dropFirst(2))
            guard let bytes = files[path] else { return nil }
            return Hex.string(SHA256Digest.of(bytes)) + "  " + path
        }
        files[BagLayout.tagManifest] = AuditFixtures.joined(listed)
        try ArchiveWriter.write(to: output, format: .tar, compression: .zstd) { writer in
            for (entry, _) in entries {
                guard let bytes = files[entry.path] else { continue }
                try writer.writeFile(entry, contents: bytes)
            }
        }
    }

    static func statement(in archive: String) throws -> CompletenessStatement {
        let reader = try ArchiveReader(path: archive)
        while let entry = try reader.nextEntry() {
            if entry.path == BagLayout.completeness {
                return try CompletenessStatement.parse(try reader.readData()).get()
            }
        }
        throw AuditError.invalidOption("no \(BagLayout.completeness)")
    }

    @Test("the sample archive claims each project up to its high-water mark, and verifies")
    func sample() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let statement = try Self.statement(in: archive)
        #expect(statement.source == "tuor")
        let finance = try #require(statement.projects["proj_acmefinance"])
        #expect(finance.since == nil)
        #expect(finance.until == Timestamp("2026-05-21T04:24:06Z"))
        #expect(finance.traces == 164 && finance.promptVersions == 5)
        #expect(finance.days.values.reduce(0, +) == 164)
        #expect(finance.versions["(unlinked)"] == 8)
        #expect(statement.projects["proj_supportdesk"]?.until == Timestamp("2026-05-20T23:00:28Z"))
        let report = try ArchiveVerifier.verify(archive)
        #expect(report.isIntact, "\(report.text)")
        #expect(report.checksRun.contains(.completeness))
        // The sample generator (Python) computes the same statement from the workspace it writes.
        let sample = try Data(
            contentsOf: AuditFixtures.samples.appendingPathComponent("prompttrail/completeness.valid.json")
        )
        var expected = try CompletenessStatement.parse(Array(sample)).get()
        expected.payloadManifestSHA256 = statement.payloadManifestSHA256
        #expect(statement == expected)
    }

    @Test("--since and --until cut a window: traces outside it are left out, and it verifies")
    func window() throws {
        let directory = try TemporaryDirectory()
        var options = try AuditFixtures.options()
        options.since = Timestamp("2026-05-13T00:00:00Z")
        options.until = Timestamp("2026-05-15T12:00:00Z")
        let archive = try AuditFixtures.build(in: directory, options: options)
        let statement = try Self.statement(in: archive)
        for project in statement.projects.values {
            #expect(project.since == options.since && project.until == options.until)
            #expect(project.days.keys.allSatisfy { $0 >= "2026-05-13" && $0 <= "2026-05-15" })
        }
        let report = try ArchiveVerifier.verify(archive)
        #expect(report.isIntact, "\(report.text)")
        #expect(report.tally.traces == statement.projects.values.reduce(0) { $0 + $1.traces })
        #expect(report.tally.traces > 0 && report.tally.traces < 304)
    }

    @Test("--until past the last pull's high-water mark is refused, naming the project")
    func untilTooLate() throws {
        let directory = try TemporaryDirectory()
        let result = try ProcessResult.run(
            "trail-archive",
            [AuditFixtures.workspace, "-o", directory.appending("a.tar.zst").path, "--until", "2026-06-01"]
                + AuditFixtures.schemaArguments
        )
        #expect(result.status == 2)
        #expect(result.standardError.contains("--until 2026-06-01T00:00:00Z is after what the last pull of proj_"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("a.tar.zst").path))
    }

    @Test("a trace removed from a claimed window is reported missing, by day and by version")
    func missing() throws {
        let directory = try TemporaryDirectory()
        let full = try AuditFixtures.build(in: directory, name: "full.tar.zst")
        // The same workspace without one trace.
        let workspace = directory.appending("ws").path
        try FileManager.default.copyItem(atPath: AuditFixtures.workspace, toPath: workspace)
        let day = workspace + "/traces/proj_acmefinance/2026-05-14.jsonl"
        var lines = AuditFixtures.lines(Array(try Data(contentsOf: URL(fileURLWithPath: day))))
        let removed = lines.removeLast()
        try Data(AuditFixtures.joined(lines)).write(to: URL(fileURLWithPath: day))
        let short = try AuditFixtures.build(in: directory, name: "short.tar.zst", workspace: workspace)
        // The short archive carrying the full archive's statement: a consistent bag that claims more.
        let claimed = try Self.statement(in: full)
        let forged = directory.appending("forged.tar.zst").path
        try Self.retag(short, to: forged, [BagLayout.completeness: claimed.bytes])
        let report = try ArchiveVerifier.verify(forged)
        #expect(!report.isIntact)
        let messages = report.findings.filter { $0.check == .completeness }.map(\.message)
        #expect(messages.contains { $0.hasPrefix("missing: traces of 2026-05-14 of project proj_acmefinance") })
        #expect(
            messages.contains { $0.hasPrefix("missing: traces of project proj_acmefinance: the statement claims 164") }
        )
        let version = (try? JSONParser().parse(Array(removed.utf8)))?["prompt_version_id"]?.stringValue ?? "(unlinked)"
        #expect(messages.contains { $0.hasPrefix("missing: traces of prompt version \(version) ") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("payload_manifest_sha256 is") })
        // Everything else is consistent: no checksum finding.
        #expect(!report.findings.contains { $0.check == .checksums }, "\(report.text)")
    }

    @Test("an archive of format version 1, without report.html and completeness.json, still verifies")
    func formatOne() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let reader = try ArchiveReader(path: archive)
        var info: [UInt8] = []
        while let entry = try reader.nextEntry() {
            if entry.path == BagLayout.info { info = try reader.readData() }
        }
        let old = String(decoding: info, as: UTF8.self).replacingOccurrences(
            of: "PromptTrail-Archive-Format-Version: \(BagLayout.formatVersion)",
            with: "PromptTrail-Archive-Format-Version: 1"
        )
        #expect(old != String(decoding: info, as: UTF8.self))
        let formatOne = directory.appending("v1.tar.zst").path
        try Self.retag(
            archive,
            to: formatOne,
            [BagLayout.info: Array(old.utf8), BagLayout.completeness: nil, BagLayout.htmlReport: nil]
        )
        let report = try ArchiveVerifier.verify(formatOne)
        #expect(report.isIntact, "\(report.text)")
        #expect(!report.checksRun.contains(.completeness))
        // A format-2 archive without its statement is not intact.
        let stripped = directory.appending("stripped.tar.zst").path
        try Self.retag(archive, to: stripped, [BagLayout.completeness: nil])
        let strippedReport = try ArchiveVerifier.verify(stripped)
        #expect(strippedReport.findings.contains { $0.check == .completeness && $0.message.hasPrefix("missing") })
    }
}

/// SHA-256 for the tests, through swift-crypto.
enum SHA256Digest {
    static func of(_ bytes: [UInt8]) -> [UInt8] {
        Array(Crypto.SHA256.hash(data: bytes))
    }
}
