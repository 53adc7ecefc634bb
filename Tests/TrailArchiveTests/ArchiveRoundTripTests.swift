import Foundation
import Testing
import TrailArchive
import TrailTestSupport

@Suite("Archive round trips through libarchive")
struct ArchiveRoundTripTests {
    struct Sample: Sendable {
        var path: String
        var contents: [UInt8]
    }

    static let samples: [Sample] = [
        Sample(path: "bagit.txt", contents: Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)),
        Sample(path: "data/prompts/proj_abc123.jsonl", contents: Array("{\"version\":1}\n{\"version\":2}\n".utf8)),
        Sample(
            path: "data/traces/proj_abc123/2026-05-20.jsonl",
            contents: Array(repeating: UInt8(ascii: "x"), count: 300_000)
        ),
        Sample(path: "data/empty.jsonl", contents: []),
        Sample(path: "data/ünïcødé/プロンプト.json", contents: Array("{\"ok\":true}\n".utf8)),
    ]

    static let variants: [(name: String, format: ArchiveFormat, compression: ArchiveCompression)] = [
        ("bundle.tar.gz", .tar, .gzip),
        ("bundle.tar.zst", .tar, .zstd),
        ("bundle.tar.xz", .tar, .xz),
        ("bundle.tar", .tar, .none),
        ("bundle.zip", .zip, .none),
    ]

    @Test("writes and reads back every entry", arguments: variants.map(\.name))
    func roundTrip(name: String) throws {
        let variant = try #require(Self.variants.first { $0.name == name })
        let directory = try TemporaryDirectory()
        let path = directory.appending(name).path

        try ArchiveWriter.write(to: path, format: variant.format, compression: variant.compression) { writer in
            for sample in Self.samples {
                try writer.writeFile(
                    ArchiveEntry(path: sample.path, modificationTime: 1_700_000_000),
                    contents: sample.contents
                )
            }
        }

        let reader = try ArchiveReader(path: path)
        var read: [Sample] = []
        while let entry = try reader.nextEntry() {
            #expect(entry.kind == .regular)
            #expect(entry.modificationTime == 1_700_000_000)
            #expect(entry.permissions == 0o644)
            read.append(Sample(path: entry.path, contents: try reader.readData()))
        }
        reader.close()
        #expect(read.map(\.path) == Self.samples.map(\.path))
        #expect(read.map(\.contents) == Self.samples.map(\.contents))
        #expect(try Self.leftovers(in: directory) == [name])
    }

    @Test("bsdtar, an independent reader, sees the same files and bytes")
    func readableByBsdtar() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("bundle.tar.gz").path
        try ArchiveWriter.write(to: path, format: .tar, compression: .gzip) { writer in
            for sample in Self.samples {
                try writer.writeFile(ArchiveEntry(path: sample.path), contents: sample.contents)
            }
        }
        let listing = try Self.bsdtar(["-tzf", path])
        #expect(listing.split(separator: "\n").map(String.init) == Self.samples.map(\.path))

        let extracted = directory.appending("extracted")
        try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
        _ = try Self.bsdtar(["-xzf", path, "-C", extracted.path])
        for sample in Self.samples {
            let data = try Data(contentsOf: extracted.appendingPathComponent(sample.path))
            #expect(Array(data) == sample.contents, "\(sample.path)")
        }
    }

    @Test("reads an archive that bsdtar wrote")
    func readsBsdtarOutput() throws {
        let directory = try TemporaryDirectory()
        let source = directory.appending("source")
        try FileManager.default.createDirectory(
            at: source.appendingPathComponent("data"),
            withIntermediateDirectories: true
        )
        try Data("hello\n".utf8).write(to: source.appendingPathComponent("data/hello.txt"))
        let path = directory.appending("theirs.tar.gz").path
        _ = try Self.bsdtar(["-czf", path, "-C", source.path, "data/hello.txt"])

        let reader = try ArchiveReader(path: path)
        let entry = try #require(try reader.nextEntry())
        #expect(entry.path == "data/hello.txt")
        #expect(try reader.readData() == Array("hello\n".utf8))
        #expect(try reader.nextEntry() == nil)
    }

    @Test("parallel gzip: bsdtar reads it, and the bytes are the same for every thread count")
    func parallelGzip() throws {
        let directory = try TemporaryDirectory()
        var archives: [Data] = []
        for threads in [1, 2, 4] {
            let path = directory.appending("t\(threads).tar.gz").path
            try ArchiveWriter.write(
                to: path,
                format: .tar,
                compression: .gzip,
                parallelGzip: ParallelGzip(threads: threads)
            ) { writer in
                for sample in Self.samples {
                    try writer.writeFile(
                        ArchiveEntry(path: sample.path, modificationTime: 1_700_000_000),
                        contents: sample.contents
                    )
                }
            }
            archives.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(Set(archives).count == 1)
        let path = directory.appending("t2.tar.gz").path
        let listing = try Self.bsdtar(["-tzf", path])
        #expect(listing.split(separator: "\n").map(String.init) == Self.samples.map(\.path))
        let extracted = directory.appending("x")
        try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
        _ = try Self.bsdtar(["-xzf", path, "-C", extracted.path])
        for sample in Self.samples {
            let contents = try Data(contentsOf: extracted.appendingPathComponent(sample.path))
            #expect(Array(contents) == sample.contents, "\(sample.path)")
        }
    }

    @Test("an archive that cannot be created is an error, for every filter", arguments: [false, true])
    func unwritablePath(parallel: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("missing/bundle.tar.gz").path
        #expect(throws: ArchiveError.self) {
            try ArchiveWriter.write(
                to: path,
                format: .tar,
                compression: .gzip,
                options: ArchiveCompression.gzip.reproducibleOptions(level: 9),
                parallelGzip: parallel ? ParallelGzip(threads: 2) : nil
            ) { _ in Issue.record("the body must not run") }
        }
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    @Test("a failed write leaves neither the archive nor a temporary file")
    func failedWriteLeavesNothing() throws {
        struct Interrupted: Error {}
        let directory = try TemporaryDirectory()
        let path = directory.appending("bundle.tar.gz").path
        #expect(throws: Interrupted.self) {
            try ArchiveWriter.write(to: path, format: .tar, compression: .gzip) { writer in
                try writer.writeFile(ArchiveEntry(path: "a.txt"), contents: Array("a".utf8))
                throw Interrupted()
            }
        }
        #expect(try Self.leftovers(in: directory) == [])
    }

    @Test("a failed write keeps the previous archive intact")
    func failedWriteKeepsPrevious() throws {
        struct Interrupted: Error {}
        let directory = try TemporaryDirectory()
        let path = directory.appending("bundle.tar").path
        try ArchiveWriter.write(to: path, format: .tar) { writer in
            try writer.writeFile(ArchiveEntry(path: "v1.txt"), contents: Array("one".utf8))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: Interrupted.self) {
            try ArchiveWriter.write(to: path, format: .tar) { _ in throw Interrupted() }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("an entry shorter than its declared size is an error naming the entry")
    func shortEntry() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("short.tar").path
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveWriter.write(to: path, format: .tar) { writer in
                try writer.beginEntry(ArchiveEntry(path: "short.txt", size: 10))
                try Array("abc".utf8).withUnsafeBytes { try writer.write($0) }
            }
        }
        #expect(String(describing: error).contains("short.txt"))
        #expect(String(describing: error).contains("7 bytes"))
        #expect(try Self.leftovers(in: directory) == [])
    }

    @Test("a file that is not an archive gives libarchive's error with the path")
    func notAnArchive() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("notes.txt").path
        try Data("just text, not an archive\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ArchiveError.self) {
            let reader = try ArchiveReader(path: path)
            _ = try reader.nextEntry()
        }
        #expect(String(describing: error).contains("notes.txt"))
    }

    static func leftovers(in directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }

    static func bsdtar(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bsdtar"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "bsdtar \(arguments.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self)
    }
}
