import Foundation
import Testing
import TrailArchive
import TrailTestSupport

/// Entries compressed ahead of time (``FrameSpool``) and joined into a `.tar.zst` archive as whole frames
/// (``ArchiveWriter/writeSplicedEntry(_:frames:)``), read back by libarchive and by bsdtar and zstd.
@Suite("Spliced zstd entries")
struct SplicedEntryTests {
    /// 2.5 MiB of lines (several frames), nothing, and a short file.
    static let large = Array(
        (0..<40_000).map { "{\"trace\":\($0),\"output\":\"réponse \($0 % 97) 東京\"}\n" }.joined().utf8
    )
    static let small = Array("{\"version\":1}\n".utf8)

    /// Writes an archive mixing spooled entries (in another order than spooled) with ordinary ones.
    private func archive(at path: String, spoolPath: String, threads: Int) throws {
        let settings = SplicingZstd(level: 3, threads: threads)
        let spool = try FrameSpool(path: spoolPath, settings: settings)
        var offset = 0
        while offset < Self.large.count {
            let end = min(Self.large.count, offset + 70_001)
            try Self.large[offset..<end].withUnsafeBytes { try spool.write($0) }
            offset = end
        }
        let large = try spool.endEntry()
        let empty = try spool.endEntry()
        try spool.writeFrame(Self.small)
        let small = try spool.endEntry()
        try spool.finish()
        #expect(spool.frames(of: empty).length == 0)

        try ArchiveWriter.write(to: path, format: .tar, compression: .zstd, splicingZstd: settings) { writer in
            try writer.writeFile(ArchiveEntry(path: "bagit.txt", modificationTime: 1_700_000_000), contents: [0x41])
            try writer.writeSplicedEntry(
                ArchiveEntry(path: "data/small.jsonl", size: Int64(Self.small.count), modificationTime: 1_700_000_000),
                frames: spool.frames(of: small)
            )
            try writer.writeFile(
                ArchiveEntry(path: "data/between.txt", modificationTime: 1_700_000_000),
                contents: Array(repeating: 0x62, count: 1_000)
            )
            try writer.writeSplicedEntry(
                ArchiveEntry(path: "data/large.jsonl", size: Int64(Self.large.count), modificationTime: 1_700_000_000),
                frames: spool.frames(of: large)
            )
            try writer.writeSplicedEntry(
                ArchiveEntry(path: "data/empty.jsonl", size: 0, modificationTime: 1_700_000_000),
                frames: spool.frames(of: empty)
            )
        }
    }

    static let expected: [(String, [UInt8])] = [
        ("bagit.txt", [0x41]),
        ("data/small.jsonl", small),
        ("data/between.txt", Array(repeating: 0x62, count: 1_000)),
        ("data/large.jsonl", large),
        ("data/empty.jsonl", []),
    ]

    @Test("libarchive and bsdtar read every entry; zstd checks the frames; the bytes are the same for any thread count")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        var archives: [Data] = []
        for threads in [1, 2, 3] {
            let path = directory.appending("t\(threads).tar.zst").path
            try archive(at: path, spoolPath: directory.appending("spool-\(threads).zst").path, threads: threads)
            archives.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(Set(archives).count == 1)

        let path = directory.appending("t2.tar.zst").path
        let reader = try ArchiveReader(path: path)
        var read: [(String, [UInt8])] = []
        while let entry = try reader.nextEntry() { read.append((entry.path, try reader.readData())) }
        reader.close()
        #expect(read.map(\.0) == Self.expected.map(\.0))
        #expect(read.map(\.1) == Self.expected.map(\.1))

        let listing = try ArchiveRoundTripTests.bsdtar(["-tf", path])
        #expect(listing.split(separator: "\n").map(String.init) == Self.expected.map(\.0))
        let extracted = directory.appending("x")
        try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
        _ = try ArchiveRoundTripTests.bsdtar(["-xf", path, "-C", extracted.path])
        for (name, contents) in Self.expected {
            #expect(Array(try Data(contentsOf: extracted.appendingPathComponent(name))) == contents, "\(name)")
        }
        let test = Process()
        test.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        test.arguments = ["zstd", "-q", "-t", path]
        try test.run()
        test.waitUntilExit()
        #expect(test.terminationStatus == 0, "zstd -t checks every frame's checksum")
    }

    @Test("a writer that compresses through libarchive, or writes no zstd, cannot splice")
    func refused() throws {
        let directory = try TemporaryDirectory()
        let spool = try FrameSpool(
            path: directory.appending("spool.zst").path,
            settings: SplicingZstd(threads: 1)
        )
        try spool.writeFrame(Self.small)
        let entry = try spool.endEntry()
        try spool.finish()
        for (name, compression, splicing) in [
            ("a.tar.zst", ArchiveCompression.zstd, nil), ("b.tar.gz", .gzip, SplicingZstd(threads: 1)),
        ] as [(String, ArchiveCompression, SplicingZstd?)] {
            let path = directory.appending(name).path
            #expect(throws: ArchiveError.self) {
                try ArchiveWriter.write(to: path, format: .tar, compression: compression, splicingZstd: splicing) {
                    try $0.writeSplicedEntry(
                        ArchiveEntry(path: "data/small.jsonl", size: Int64(Self.small.count)),
                        frames: spool.frames(of: entry)
                    )
                }
            }
            #expect(!FileManager.default.fileExists(atPath: path), "no archive is left behind")
        }
    }
}
