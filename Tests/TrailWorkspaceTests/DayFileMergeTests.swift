import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport

@testable import TrailWorkspace

/// The merge that copies a day file's held lines in bulk around the inserted ones (``DayFile``,
/// ``TraceStore/mergeByCopying(day:writes:)``), checked byte for byte against the line-by-line merge.
@Suite("TraceStore bulk merge")
struct DayFileMergeTests {
    /// A trace whose line is about `padding` bytes longer than a plain one (a long tag list).
    static func record(_ id: String, created: String, padding: Int) throws -> TraceRecord {
        let tags = padding > 0 ? #","tags":["\#(String(repeating: "t", count: padding))"]"# : ""
        let payload = try JSONValue(
            parsing: #"{"id":"\#(id)","project_id":"proj_a","status":"pending","model_input":{},"model_output":{},"#
                + #""created_at":"\#(created)","updated_at":"\#(created)"\#(tags)}"#
        )
        return try Normalizer.tuorTrace(payload, projectID: "proj_a").get()
    }

    /// The bytes of every file under `traces/proj_a`, by name.
    static func files(_ directory: TemporaryDirectory) throws -> [String: Data] {
        let folder = directory.appending("traces/proj_a")
        var output: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            output[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return output
    }

    @Test(
        "random inserts into long day files: the same bytes as the line-by-line merge",
        arguments: [0, 5000, 70000]
    )
    func sameBytes(longLinePadding: Int) throws {
        var random = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &random)
        var generator = SeededGenerator(seed: seed)
        let bulk = try TemporaryDirectory()
        let lineByLine = try TemporaryDirectory()
        let bulkStore = try TraceStore(workspace: bulk.url.path, project: "proj_a")
        let plainStore = try TraceStore(workspace: lineByLine.url.path, project: "proj_a")
        plainStore.mergesByCopying = false
        let days = ["2026-05-11", "2026-05-12"]
        var next = 0
        for round in 0..<20 {
            var batch: [TraceRecord] = []
            for _ in 0..<Int(1 + generator.next() % 40) {
                // Few distinct seconds, so that many lines share a created_at and the id decides.
                let second = String(format: "%02d:%02d:%02d", generator.next() % 24, generator.next() % 3, 0)
                let id = String(format: "trc_%05d", generator.next() % 100_000) + "_\(next)"
                next += 1
                let padding = generator.next() % 8 == 0 ? longLinePadding : Int(generator.next() % 300)
                batch.append(
                    try Self.record(id, created: days[Int(generator.next() % 2)] + "T" + second + "Z", padding: padding)
                )
            }
            let bulkCounts = try bulkStore.apply(batch)
            let plainCounts = try plainStore.apply(batch)
            #expect(bulkCounts == plainCounts, "round \(round), seed \(seed)")
            #expect(try Self.files(bulk) == Self.files(lineByLine), "round \(round), seed \(seed)")
        }
        let reopened = try TraceStore(workspace: bulk.url.path, project: "proj_a")
        #expect(reopened.count == plainStore.count)
    }

    @Test("inserts before every held line, after every one, and between lines with the same created_at")
    func edges() throws {
        let directory = try TemporaryDirectory()
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        try store.apply([
            Self.record("trc_b", created: "2026-05-12T10:00:00Z", padding: 0),
            Self.record("trc_d", created: "2026-05-12T10:00:00Z", padding: 0),
            Self.record("trc_f", created: "2026-05-12T11:00:00Z", padding: 0),
        ])
        try store.apply([Self.record("trc_a", created: "2026-05-12T09:00:00Z", padding: 0)])
        try store.apply([Self.record("trc_z", created: "2026-05-12T23:00:00Z", padding: 0)])
        try store.apply([
            Self.record("trc_c", created: "2026-05-12T10:00:00Z", padding: 0),
            Self.record("trc_e", created: "2026-05-12T10:00:00Z", padding: 0),
        ])
        try store.apply([Self.record("trc_a0", created: "2026-05-12T09:00:00Z", padding: 0)])
        let ids = try TraceStoreTests.lines(directory.appending("traces/proj_a/2026-05-12.jsonl")).map {
            try JSONValue(parsing: $0)["trace_id"]?.stringValue ?? ""
        }
        #expect(ids == ["trc_a", "trc_a0", "trc_b", "trc_c", "trc_d", "trc_e", "trc_f", "trc_z"])
    }

    @Test("a day file without a final line break, or with a blank line, is merged line by line")
    func fallsBack() throws {
        let directory = try TemporaryDirectory()
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        try store.apply([
            Self.record("trc_b", created: "2026-05-12T10:00:00Z", padding: 0),
            Self.record("trc_d", created: "2026-05-12T12:00:00Z", padding: 0),
        ])
        let file = directory.appending("traces/proj_a/2026-05-12.jsonl")
        var bytes = try Data(contentsOf: file)
        bytes.removeLast()  // the final line break
        try bytes.write(to: file)
        let reopened = try TraceStore(workspace: directory.url.path, project: "proj_a")
        try reopened.apply([Self.record("trc_e", created: "2026-05-12T13:00:00Z", padding: 0)])
        var ids = try TraceStoreTests.lines(file).map { try JSONValue(parsing: $0)["trace_id"]?.stringValue ?? "" }
        #expect(ids == ["trc_b", "trc_d", "trc_e"])

        var withBlank = try Data(contentsOf: file)
        withBlank.insert(contentsOf: Array("\n \n".utf8), at: withBlank.firstIndex(of: 0x0A)!)
        try withBlank.write(to: file)
        let again = try TraceStore(workspace: directory.url.path, project: "proj_a")
        try again.apply([Self.record("trc_c", created: "2026-05-12T11:00:00Z", padding: 0)])
        ids = try TraceStoreTests.lines(file).map { try JSONValue(parsing: $0)["trace_id"]?.stringValue ?? "" }
        #expect(ids == ["trc_b", "trc_c", "trc_d", "trc_e"])
    }

    @Test("the search finds the first line after a key in files of lines longer and shorter than a read")
    func search() throws {
        let directory = try TemporaryDirectory()
        for lengths in [[1], [3, 1, 5000, 2], [10_000, 10_000, 10_000], (0..<200).map { $0 % 7 + 1 }] {
            // Each line's first byte is its key, which never falls from one line to the next (repeats included).
            let keys = lengths.indices.map { $0 * 90 / lengths.count }
            var text = ""
            for (rank, length) in lengths.enumerated() {
                text += String(UnicodeScalar(UInt8(33 + keys[rank]))) + String(repeating: "x", count: length - 1) + "\n"
            }
            let url = directory.appending("file-\(lengths.count).txt")
            try Data(text.utf8).write(to: url)
            let file = try #require(try DayFile(path: url.path))
            #expect(file.endsWithLineBreak)
            var starts: [Int] = []
            var offset = 0
            for length in lengths {
                starts.append(offset)
                offset += length + 1
            }
            for cut in 0...91 {
                let found = try file.firstLine { line in Int(line.first!) - 33 >= cut }
                let expected = keys.firstIndex { $0 >= cut }.map { starts[$0] } ?? file.size
                #expect(found == expected, "lengths \(lengths.count), cut \(cut)")
            }
        }
    }
}
