import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport
import TrailWorkspace

/// The streaming merge and the on-disk id index of ``TraceStore``, checked against a plain in-memory model
/// of the documented rules.
@Suite("TraceStore merge")
struct TraceStoreMergeTests {
    static func record(_ id: String, created: String, updated: String, status: String = "pending") throws -> TraceRecord
    {
        try TraceStoreTests.record(id, created: created, updated: updated, status: status)
    }

    /// Every day file of `proj_a` as its lines, by file name.
    static func files(_ directory: TemporaryDirectory) throws -> [String: [String]] {
        let folder = directory.appending("traces/proj_a")
        guard FileManager.default.fileExists(atPath: folder.path) else { return [:] }
        var output: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            output[name] = try TraceStoreTests.lines(folder.appendingPathComponent(name))
        }
        return output
    }

    /// The documented rules, with every record in memory.
    struct Model {
        var held: [String: TraceRecord] = [:]

        mutating func apply(_ records: [TraceRecord]) -> WriteCounts {
            var latest: [String: TraceRecord] = [:]
            for record in records {
                if let kept = latest[record.id], let keptUpdated = kept.updatedAt, let updated = record.updatedAt,
                    keptUpdated > updated
                {
                    continue
                }
                latest[record.id] = record
            }
            var counts = WriteCounts()
            for record in latest.values {
                guard let old = held[record.id] else {
                    counts.new += 1
                    held[record.id] = record
                    continue
                }
                if old.day == record.day {
                    if old.json.serialized() == record.json.serialized()
                        || (old.updatedAt != nil && record.updatedAt != nil && old.updatedAt! > record.updatedAt!)
                    {
                        counts.unchanged += 1
                        continue
                    }
                }
                counts.updated += 1
                held[record.id] = record
            }
            return counts
        }

        var files: [String: [String]] {
            var byDay: [String: [TraceRecord]] = [:]
            for record in held.values { byDay[record.day + ".jsonl", default: []].append(record) }
            return byDay.mapValues { records in
                records.sorted(by: TraceRecord.fileOrder).map { String(decoding: $0.json.serialized(), as: UTF8.self) }
            }
        }
    }

    @Test("random batches: counts, files and order equal the model's, across reopenings")
    func randomBatches() throws {
        var random = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &random)
        var generator = SeededGenerator(seed: seed)
        let directory = try TemporaryDirectory()
        var store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        var model = Model()
        let ids = (0..<300).map { String(format: "trc_%04d", $0) }
        let days = ["2026-05-11", "2026-05-12", "2026-05-13", "2026-05-14"]
        let seconds = ["10:00:00Z", "10:00:00.5Z", "09:59:59Z", "23:59:59.999Z", "00:00:00Z"]
        let statuses = ["pending", "approved", "rejected"]
        for round in 0..<40 {
            var batch: [TraceRecord] = []
            for _ in 0..<Int(generator.next() % 120) {
                let id = ids[Int(generator.next() % UInt64(ids.count))]
                // Mostly stable creation times, sometimes a move to another day or another second.
                let stable = Int(id.dropFirst(4))!
                let moved = generator.next() % 10 == 0
                let day = days[moved ? Int(generator.next() % 4) : stable % 4]
                let second = seconds[moved ? Int(generator.next() % 5) : stable % 5]
                let created = day + "T" + second
                let updated = "2026-05-2\(generator.next() % 10)T00:00:0\(generator.next() % 10)Z"
                batch.append(
                    try Self.record(
                        id,
                        created: created,
                        updated: updated,
                        status: statuses[Int(generator.next() % 3)]
                    )
                )
            }
            let expected = model.apply(batch)
            let counts = try store.apply(batch)
            #expect(counts == expected, "round \(round), seed \(seed)")
            #expect(try Self.files(directory) == model.files, "round \(round), seed \(seed)")
            #expect(store.count == model.held.count, "round \(round), seed \(seed)")
            if generator.next() % 5 == 0 {
                store = try TraceStore(workspace: directory.url.path, project: "proj_a")
                #expect(store.count == model.held.count)
            }
        }
        for id in ids { #expect(store.contains(id) == (model.held[id] != nil)) }
    }

    @Test("a day file is merged line by line: new lines go between the held ones in file order")
    func mergeOrder() throws {
        let directory = try TemporaryDirectory()
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        try store.apply([
            Self.record("trc_b", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z"),
            Self.record("trc_d", created: "2026-05-12T12:00:00Z", updated: "2026-05-12T12:00:00Z"),
        ])
        let counts = try store.apply([
            Self.record("trc_e", created: "2026-05-12T23:00:00Z", updated: "2026-05-12T23:00:00Z"),
            Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z"),
            Self.record("trc_c", created: "2026-05-12T10:00:00.5Z", updated: "2026-05-12T10:00:00.5Z"),
            Self.record("trc_0", created: "2026-05-12T00:00:00Z", updated: "2026-05-12T00:00:00Z"),
            // Created later the same day: the line moves within the file.
            Self.record("trc_b", created: "2026-05-12T22:00:00Z", updated: "2026-05-13T00:00:00Z"),
        ])
        #expect(counts == WriteCounts(new: 4, updated: 1))
        let ids = try Self.files(directory)["2026-05-12.jsonl"]?.map {
            try JSONValue(parsing: $0)["trace_id"]?.stringValue ?? ""
        }
        #expect(ids == ["trc_0", "trc_a", "trc_c", "trc_d", "trc_b", "trc_e"])
    }

    @Test("a duplicate left by a run killed between writing the new day and cleaning the old one is removed")
    func leftoverDuplicate() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
            try store.apply([Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z")])
        }
        // The state after writing 2026-05-14 and before rewriting 2026-05-12: the trace is in both.
        let moved = try Self.record("trc_a", created: "2026-05-14T10:00:00Z", updated: "2026-05-14T10:00:00Z")
        try (String(decoding: moved.json.serialized(), as: UTF8.self) + "\n").write(
            to: directory.appending("traces/proj_a/2026-05-14.jsonl"),
            atomically: true,
            encoding: .utf8
        )
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        #expect(store.count == 2)
        // The re-run receives the trace again: it is held where it belongs, and the stale line goes.
        let counts = try store.apply([moved])
        #expect(counts == WriteCounts(unchanged: 1))
        #expect(store.count == 1)
        #expect(try Self.files(directory).keys.sorted() == ["2026-05-14.jsonl"])
    }

    @Test("the id index is a scratch file: nothing of it is left in the workspace")
    func scratchIndex() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
            try store.apply([Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z")])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["traces"])
        }
        // A run killed in the instant between creating and unlinking it leaves a temporary file, which
        // opening the workspace deletes like any other.
        try Data().write(to: directory.appending(".traces-proj_a.index.tmp"))
        _ = try Workspace(
            root: directory.url.path,
            source: .tuor,
            baseURL: "http://x",
            projects: ["proj_a"],
            now: "2026-05-12T00:00:00Z",
            toolVersion: "0"
        )
        #expect(!FileManager.default.fileExists(atPath: directory.appending(".traces-proj_a.index.tmp").path))
    }

    @Test("day files changed between runs are indexed as they are on disk")
    func indexFollowsDisk() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
            try store.apply([
                Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z"),
                Self.record("trc_b", created: "2026-05-13T10:00:00Z", updated: "2026-05-13T10:00:00Z"),
            ])
        }
        try FileManager.default.removeItem(at: directory.appending("traces/proj_a/2026-05-12.jsonl"))
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        #expect(store.count == 1)
        #expect(!store.contains("trc_a"))
        #expect(store.contains("trc_b"))
        let counts = try store.apply([
            Self.record("trc_a", created: "2026-05-12T10:00:00Z", updated: "2026-05-12T10:00:00Z")
        ])
        #expect(counts == WriteCounts(new: 1))
    }

    @Test("a line that is not a trace record makes opening fail with the file's path")
    func corruptLine() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            at: directory.appending("traces/proj_a"),
            withIntermediateDirectories: true
        )
        try Data("{\"x\":1}\n".utf8).write(to: directory.appending("traces/proj_a/2026-05-12.jsonl"))
        #expect(throws: WorkspaceError.self) { try TraceStore(workspace: directory.url.path, project: "proj_a") }
    }

    @Test("thousands of ids: the on-disk table grows and still finds every one")
    func manyIDs() throws {
        let directory = try TemporaryDirectory()
        let store = try TraceStore(workspace: directory.url.path, project: "proj_a")
        var batch: [TraceRecord] = []
        for index in 0..<40_000 {
            let second = String(format: "%02d:%02d:%02d", index / 3600 % 24, index / 60 % 60, index % 60)
            batch.append(
                try Self.record(
                    "trc_\(index)",
                    created: "2026-05-1\(index % 3)T\(second)Z",
                    updated: "2026-05-1\(index % 3)T\(second)Z"
                )
            )
        }
        #expect(try store.apply(batch) == WriteCounts(new: 40_000))
        #expect(try store.apply(batch) == WriteCounts(unchanged: 40_000))
        let reopened = try TraceStore(workspace: directory.url.path, project: "proj_a")
        #expect(reopened.count == 40_000)
        #expect(try reopened.apply(Array(batch.suffix(100))) == WriteCounts(unchanged: 100))
    }
}
