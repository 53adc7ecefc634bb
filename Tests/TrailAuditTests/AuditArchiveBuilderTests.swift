import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailTestSupport

@Suite("trail-archive packs the samples into a valid, reproducible bag")
struct AuditArchiveBuilderTests {
    @Test("bsdtar extracts it and Python's bagit validates it")
    func bagitValidates() throws {
        let python = try AuditFixtures.venvPython()
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let bag = directory.appending("bag")
        try FileManager.default.createDirectory(at: bag, withIntermediateDirectories: true)
        let extracted = try AuditFixtures.run("bsdtar", ["-xf", archive, "-C", bag.path])
        try #require(extracted.status == 0, "bsdtar: \(extracted.output)")
        let validated = try AuditFixtures.run(python, ["-m", "bagit", "--validate", bag.path])
        #expect(validated.status == 0, "bagit.py --validate: \(validated.output)")
        #expect(validated.output.contains("is valid"))

        let records = try AuditFixtures.run(
            python,
            [PackagePaths.root.appendingPathComponent("Tests/Python/archive_records.py").path, bag.path]
        )
        #expect(records.status == 0, "jsonschema over the archived records: \(records.output)")
    }

    @Test("the layout: tag files first, prompts, traces by day, lineage, schemas and the format document")
    func layout() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let reader = try ArchiveReader(path: archive)
        var paths: [String] = []
        var info = ""
        while let entry = try reader.nextEntry() {
            paths.append(entry.path)
            #expect(entry.userID == 0 && entry.groupID == 0)
            #expect(entry.kind == .regular)
            if entry.path == "bag-info.txt" { info = String(decoding: try reader.readData(), as: UTF8.self) }
        }
        #expect(
            Array(paths.prefix(4)) == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"]
        )
        #expect(paths.contains("archive-format.md") && paths.contains("report.md"))
        #expect(paths.contains("schemas/prompttrail/lineage.json"))
        #expect(paths.contains("data/lineage.jsonl"))
        #expect(paths.contains { $0.hasPrefix("data/prompts/") && $0.hasSuffix(".jsonl") })
        #expect(
            paths.contains {
                $0.range(of: #"^data/traces/[^/]+/\d{4}-\d{2}-\d{2}\.jsonl$"#, options: .regularExpression) != nil
            }
        )
        let data = paths.filter { $0.hasPrefix("data/") }
        #expect(data == data.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for label in [
            "Bagging-Date", "Payload-Oxum", "Bag-Software-Agent", "PromptTrail-Archive-Format-Version",
            "PromptTrail-Source", "PromptTrail-Base-URL", "PromptTrail-Project-ID", "PromptTrail-Time-Range-Start",
            "PromptTrail-Traces", "PromptTrail-Tool-Version",
        ] {
            #expect(info.contains("\n\(label): ") || info.hasPrefix("\(label): "), "bag-info.txt lacks \(label)")
        }
    }

    @Test("building twice gives the same bytes, for every container and any zstd thread count")
    func reproducible() throws {
        let directory = try TemporaryDirectory()
        for (name, format, compression) in [
            ("a.tar.zst", ArchiveFormat.tar, ArchiveCompression.zstd), ("a.tar.gz", .tar, .gzip),
            ("a.tar.xz", .tar, .xz),
            ("a.zip", .zip, .none),
        ] {
            let first = try AuditFixtures.build(
                in: directory,
                name: "1-" + name,
                options: try AuditFixtures.options(compression: compression, format: format, threads: 1)
            )
            let second = try AuditFixtures.build(
                in: directory,
                name: "2-" + name,
                options: try AuditFixtures.options(compression: compression, format: format, threads: 4)
            )
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)),
                "\(name) differs between two builds"
            )
        }
    }

    @Test("every trace gets one lineage line; the samples' one dangling trace is reported as dangling")
    func lineage() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let report = try ArchiveVerifier.verify(archive)
        #expect(report.isIntact, "\(report.text)")
        #expect(report.tally.dangling == 1)
        #expect(report.tally.unlinked > 0)
        #expect(
            report.tally.linked + report.tally.unlinked + report.tally.dangling + report.tally.neverObserved
                == report.tally.traces
        )
    }

    @Test("invalid records go to data/quarantine/ with their errors; --fail-on-invalid makes them fatal")
    func quarantine() throws {
        let directory = try TemporaryDirectory()
        let workspace = directory.appending("workspace")
        try FileManager.default.copyItem(atPath: AuditFixtures.workspace, toPath: workspace.path)
        let tracesRoot = workspace.appendingPathComponent("traces")
        let project = try AuditFixtures.entries(tracesRoot)[0]
        let day = try AuditFixtures.entries(tracesRoot.appendingPathComponent(project))[0]
        let file = tracesRoot.appendingPathComponent("\(project)/\(day)")
        var lines = AuditFixtures.lines(Array(try Data(contentsOf: file)))
        lines[0] = lines[0].replacingOccurrences(of: "\"record_type\":\"trace\"", with: "\"record_type\":\"trail\"")
        // A valid trace filed under the wrong day breaks a layout rule, not a schema keyword.
        let createdAt = try #require(lines[1].range(of: "\"created_at\":\""))
        let date = createdAt.upperBound..<lines[1].index(createdAt.upperBound, offsetBy: 10)
        lines[1].replaceSubrange(date, with: "2020-01-01")
        lines.append("{not json")
        try Data(AuditFixtures.joined(lines)).write(to: file)

        let archive = try AuditFixtures.build(in: directory, workspace: workspace.path)
        let reader = try ArchiveReader(path: archive)
        var quarantined: [String] = []
        while let entry = try reader.nextEntry() {
            if entry.path == "data/quarantine/\(project)/traces.jsonl" {
                quarantined = AuditFixtures.lines(try reader.readData())
            }
        }
        #expect(quarantined.count == 3)
        #expect(
            quarantined.allSatisfy { $0.contains("\"record_type\":\"quarantined\"") && $0.contains("\"errors\":[{") }
        )
        #expect(quarantined.contains { $0.contains("is not on") && $0.contains("\"keywordLocation\":\"\"") })
        let report = try ArchiveVerifier.verify(archive)
        #expect(report.isIntact, "\(report.text)")

        var options = try AuditFixtures.options()
        options.failOnInvalid = true
        #expect(throws: AuditError.self) {
            try AuditArchiveBuilder.build(
                workspace: workspace.path,
                output: directory.appending("strict.tar.zst").path,
                options: options
            )
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appending("strict.tar.zst").path))
    }

    @Test("spliced frames hold what a second read writes: .tar.zst and plain tar agree, with filtered lines")
    func splicedEqualsRewritten() throws {
        let directory = try TemporaryDirectory()
        let workspace = directory.appending("workspace")
        try FileManager.default.copyItem(atPath: AuditFixtures.workspace, toPath: workspace.path)
        let tracesRoot = workspace.appendingPathComponent("traces")
        let project = try AuditFixtures.entries(tracesRoot)[0]
        let days = try AuditFixtures.entries(tracesRoot.appendingPathComponent(project))
        try #require(days.count >= 2)
        // One file loses a record to the quarantine and has a blank line; another has CRLF line ends.
        let filtered = tracesRoot.appendingPathComponent("\(project)/\(days[0])")
        var lines = AuditFixtures.lines(Array(try Data(contentsOf: filtered)))
        lines[0] = lines[0].replacingOccurrences(of: "\"record_type\":\"trace\"", with: "\"record_type\":\"trail\"")
        lines.insert("  ", at: 1)
        try Data(AuditFixtures.joined(lines)).write(to: filtered)
        let crlf = tracesRoot.appendingPathComponent("\(project)/\(days[1])")
        let text = String(decoding: try Data(contentsOf: crlf), as: UTF8.self)
        try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: crlf)

        func entries(_ name: String, _ compression: ArchiveCompression) throws -> [(String, [UInt8])] {
            let archive = try AuditFixtures.build(
                in: directory,
                name: name,
                options: try AuditFixtures.options(compression: compression),
                workspace: workspace.path
            )
            let reader = try ArchiveReader(path: archive)
            defer { reader.close() }
            var entries: [(String, [UInt8])] = []
            while let entry = try reader.nextEntry() { entries.append((entry.path, try reader.readData())) }
            return entries
        }
        let spliced = try entries("a.tar.zst", .zstd)
        let rewritten = try entries("a.tar", .none)
        #expect(spliced.map(\.0) == rewritten.map(\.0))
        for (left, right) in zip(spliced, rewritten) {
            #expect(left.1 == right.1, "\(left.0) differs")
        }
        let payload = try #require(spliced.first { $0.0 == "data/traces/\(project)/\(days[0])" })
        #expect(
            AuditFixtures.lines(payload.1).count == lines.count - 2,
            "the quarantined and the blank line are left out"
        )
        let normalized = try #require(spliced.first { $0.0 == "data/traces/\(project)/\(days[1])" })
        #expect(!normalized.1.contains(0x0D), "lines are archived with LF line ends")
    }

    @Test("a cancelled run leaves neither the archive nor its staging files")
    func cancellation() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("audit.tar.zst").path
        let options = try AuditFixtures.options()
        let workspace = AuditFixtures.workspace
        let task = Task.detached {
            withUnsafeCurrentTask { $0?.cancel() }
            return try AuditArchiveBuilder.build(workspace: workspace, output: output, options: options)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try AuditFixtures.entries(directory.url) == [])
    }
}

@Suite("docs/archive-format.md travels in every archive")
struct ArchiveFormatDocumentTests {
    @Test("the embedded copy equals docs/archive-format.md")
    func embeddedEqualsDisk() throws {
        let disk = try String(
            contentsOf: PackagePaths.root.appendingPathComponent("docs/archive-format.md"),
            encoding: .utf8
        )
        #expect(ArchiveFormatDocument.text == disk, "run scripts/embed-archive-format.py")
        #expect(disk.contains("version \(BagLayout.formatVersion)"))
    }
}
