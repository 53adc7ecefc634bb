import Foundation
import Testing
import TrailTestSupport

@testable import TrailWorkspace

@Suite("AtomicFile")
struct AtomicFileTests {
    private func names(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }

    @Test("a write replaces the file whole and leaves no temporary file; a big stream goes through the buffer")
    func replaces() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("state.json").path
        try AtomicFile.write(Array("old\n".utf8), to: path)
        let line = [UInt8](repeating: 0x61, count: 300_000)
        let returned = try AtomicFile.write(to: path) { writer -> Int in
            for _ in 0..<10 { try writer.writeLine(line) }
            return 10
        }
        #expect(returned == 10)
        let bytes = try #require(try AtomicFile.read(path))
        #expect(bytes.count == 10 * 300_001)
        #expect(bytes.last == 0x0A)
        #expect(try names(directory) == ["state.json"])
    }

    @Test("a body that throws leaves the old file as it was and no temporary file")
    func failureKeepsOld() throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory()
        let path = directory.appending("prompts.jsonl").path
        try AtomicFile.write(Array("kept\n".utf8), to: path)
        #expect(throws: Stop.self) {
            try AtomicFile.write(to: path) { writer in
                try writer.writeLine(Array("half".utf8))
                throw Stop()
            }
        }
        #expect(try AtomicFile.read(path) == Array("kept\n".utf8))
        #expect(try names(directory) == ["prompts.jsonl"])
    }

    @Test("copy(from:) carries the held file into its replacement; a missing one copies nothing")
    func copies() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("q.jsonl").path
        try AtomicFile.write(to: path) { writer in try writer.copy(from: path) }
        #expect(try AtomicFile.read(path) == [])
        try AtomicFile.write(Array("a\n".utf8), to: path)
        try AtomicFile.write(to: path) { writer in
            try writer.copy(from: path)
            try writer.writeLine(Array("b".utf8))
        }
        #expect(try AtomicFile.read(path) == Array("a\nb\n".utf8))
    }

    @Test("reads and listings tell a missing path from one that cannot be read")
    func missingAndUnreadable() throws {
        let directory = try TemporaryDirectory()
        #expect(try AtomicFile.read(directory.appending("absent").path) == nil)
        #expect(try AtomicFile.listing(directory.appending("absent").path) == nil)
        try AtomicFile.write([1], to: directory.appending("file").path)
        #expect {
            try AtomicFile.listing(directory.appending("file").path)
        } throws: { error in
            guard case .io(let operation, _, let code) = error as? WorkspaceError else { return false }
            return operation == "list" && code == ENOTDIR
        }
        #expect {
            try AtomicFile.write([1], to: directory.appending("absent/file").path)
        } throws: { error in
            guard case .io(_, _, let code) = error as? WorkspaceError else { return false }
            return code == ENOENT
        }
        try AtomicFile.makeDirectory(directory.appending("a/b").path)
        #expect(AtomicFile.isDirectory(directory.appending("a/b").path))
        #expect(AtomicFile.list(directory.url.path) == ["a", "file"])
    }
}

@Suite("TraceIndex")
struct TraceIndexTests {
    @Test("every day an id was added under is returned, once per pair; unknown ids have none; growth keeps all")
    func lookups() throws {
        let directory = try TemporaryDirectory()
        let index = try TraceIndex(directory: directory.url.path, name: "traces-p", capacity: 8)
        let days = ["2026-05-18", "2026-05-19", "2026-05-20"]
        for number in 0..<5000 {
            try index.insert(id: "tr_\(number)", day: days[number % 3])
        }
        try index.insert(id: "tr_7", day: "2026-05-21")
        try index.insert(id: "tr_7", day: "2026-05-21")
        #expect(index.entries == 5001)
        for number in stride(from: 0, to: 5000, by: 97) where number != 7 {
            #expect(try index.days(of: "tr_\(number)") == [days[number % 3]])
        }
        #expect(try index.days(of: "tr_7") == [days[7 % 3], "2026-05-21"])
        #expect(try index.days(of: "tr_unknown").isEmpty)
        // The scratch file is unlinked once open: nothing is left in the workspace.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test(
        "growth built a region at a time keeps every entry, whatever the region size",
        arguments: [4, 64, 1 << 16]
    )
    func growthByRegions(regionSlots: Int) throws {
        let directory = try TemporaryDirectory()
        let index = try TraceIndex(
            directory: directory.url.path,
            name: "traces-p",
            capacity: 4,
            regionSlots: regionSlots
        )
        let days = ["2026-05-18", "2026-05-19", "2026-05-20"]
        // The same id under two days, far apart, so the table doubles many times in between.
        try index.insert(id: "tr_moved", day: "2026-05-01")
        for number in 0..<1500 {
            try index.insert(id: "tr_\(number)", day: days[number % 3])
        }
        try index.insert(id: "tr_moved", day: "2026-05-02")
        for number in 1500..<3000 {
            try index.insert(id: "tr_\(number)", day: days[number % 3])
        }
        #expect(index.entries == 3002)
        var wrong: [Int] = []
        for number in 0..<3000 where try index.days(of: "tr_\(number)") != [days[number % 3]] {
            wrong.append(number)
        }
        #expect(wrong.isEmpty)
        #expect(try index.days(of: "tr_moved") == ["2026-05-01", "2026-05-02"])
        #expect(try index.days(of: "tr_unknown").isEmpty)
    }

    @Test("entries whose home is the last slot wrap to the start, and stay there through growth")
    func growthWrapsAround() throws {
        let directory = try TemporaryDirectory()
        // Every id's home is the table's last slot, whatever its size; the hashes still differ.
        let index = try TraceIndex(directory: directory.url.path, name: "traces-p", capacity: 4, regionSlots: 2) {
            id in (UInt64(id.dropFirst(3))! << 32) | 0xFFFF_FFFF
        }
        for number in 1...40 {
            try index.insert(id: "tr_\(number)", day: "2026-05-\(10 + number % 3)")
        }
        #expect(index.entries == 40)
        for number in 1...40 {
            #expect(try index.days(of: "tr_\(number)") == ["2026-05-\(10 + number % 3)"])
        }
        #expect(try index.days(of: "tr_99").isEmpty)
    }

    @Test("an id's days keep the order they were added in when its cluster wraps past the table's end")
    func growthKeepsOrderAcrossTheEnd() throws {
        let directory = try TemporaryDirectory()
        let index = try TraceIndex(directory: directory.url.path, name: "traces-p", capacity: 8) { id in
            (UInt64(id.dropFirst(3))! << 32) | 0xFFFF_FFFF
        }
        // Slots 7, 0, 1, 2: the second entry of tr_1 sits before the first in slot order.
        try index.insert(id: "tr_1", day: "2026-05-01")
        try index.insert(id: "tr_2", day: "2026-05-01")
        try index.insert(id: "tr_1", day: "2026-05-02")
        try index.insert(id: "tr_3", day: "2026-05-01")
        #expect(try index.days(of: "tr_1") == ["2026-05-01", "2026-05-02"])
        try index.insert(id: "tr_4", day: "2026-05-01")  // doubles the table
        #expect(try index.days(of: "tr_1") == ["2026-05-01", "2026-05-02"])
        #expect(try index.days(of: "tr_4") == ["2026-05-01"])
    }
}
