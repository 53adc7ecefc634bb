import Foundation
import Testing
import TrailTestSupport

@testable import TrailArchive

@Suite("Tar headers are read beside libarchive, so a name cannot hide behind a NUL")
struct TarHeaderCheckTests {
    /// The containers the check reads: an uncompressed tar is read a second time, a compressed one through
    /// the bytes libarchive's tar reader was handed.
    static let containers = ["tar", "tar.gz", "tar.xz"]

    /// Writes a tar with Python's `tarfile`, which writes names as given, NULs included (compressed when
    /// `path` ends in `.gz` or `.xz`).
    static func craft(_ script: String, format: String = "PAX_FORMAT", at path: String) throws {
        try SafeArchiveReaderTests.craft(script, format: format, at: path)
    }

    static func readAll(_ path: String) throws -> [String] {
        let reader = try SafeArchiveReader(path: path)
        var names: [String] = []
        while let entry = try reader.nextEntry() {
            names.append(entry.path)
            _ = try reader.readData()
        }
        return names
    }

    struct Crafted: Sendable, CustomStringConvertible {
        var name: String
        var format: String
        var script: String
        var reason: String
        var description: String { name }
    }

    static let crafted: [Crafted] = [
        Crafted(
            name: "ustar name with bytes after a NUL",
            format: "USTAR_FORMAT",
            script: "add('data/ok', b'1'); add('data/x\\x00../../evil', b'x')",
            reason: "bytes after a NUL"
        ),
        Crafted(
            name: "GNU name with bytes after a NUL",
            format: "GNU_FORMAT",
            script: "add('data/x\\x00../../evil', b'x')",
            reason: "bytes after a NUL"
        ),
        Crafted(
            name: "pax path record holding a NUL",
            format: "PAX_FORMAT",
            script: "add('data/x', b'x', pax={'path': 'data/x\\x00/../../évil'})",
            reason: "NUL byte in the pax path record"
        ),
        Crafted(
            name: "GNU long name with bytes after its NUL",
            format: "GNU_FORMAT",
            script: "add('data/' + 'a' * 120 + '\\x00../../evil', b'x')",
            reason: "bytes after a NUL"
        ),
    ]

    @Test("a name with a NUL in its header is refused", arguments: crafted, containers)
    func refused(_ crafted: Crafted, container: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("crafted.\(container)").path
        try Self.craft(crafted.script, format: crafted.format, at: path)
        let error = #expect(throws: ArchiveError.self) { try Self.readAll(path) }
        #expect(String(describing: error).contains(crafted.reason), "\(String(describing: error))")
        // Extraction writes nothing.
        #expect(throws: ArchiveError.self) {
            try ArchiveExtraction.extract(from: try SafeArchiveReader(path: path), to: directory.appending("out").path)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["crafted.\(container)"]
        )
    }

    @Test(
        "long names, prefixes and non-ASCII names in every tar dialect still read",
        arguments: ["USTAR_FORMAT", "GNU_FORMAT", "PAX_FORMAT"],
        containers
    )
    func accepted(_ format: String, container: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("fine.\(container)").path
        // 150 bytes: ustar splits it into prefix and name, GNU writes an L record, pax a path record.
        let long = "data/" + String(repeating: "p", count: 80) + "/" + String(repeating: "n", count: 64)
        let script =
            format == "USTAR_FORMAT"
            ? "add('data/a.txt', b'a' * 1000); add('\(long)', b'b'); add('data/empty', b'')"
            : "add('data/a.txt', b'a' * 1000); add('\(long)', b'b'); add('data/élan.txt', b'c'); add('data/empty', b'')"
        try Self.craft(script, format: format, at: path)
        var expected = ["data/a.txt", long, "data/empty"]
        if format != "USTAR_FORMAT" { expected.insert("data/élan.txt", at: 2) }
        #expect(try Self.readAll(path) == expected)
    }

    @Test("the archives PromptTrail writes read in every container")
    func ownArchives() throws {
        let directory = try TemporaryDirectory()
        for compression in [ArchiveCompression.none, .gzip, .zstd, .xz] {
            let path = directory.appending("own-\(compression).tar").path
            try ArchiveWriter.write(to: path, format: .tar, compression: compression) { writer in
                try writer.writeFile(ArchiveEntry(path: "bagit.txt"), contents: Array("BagIt-Version: 1.0\n".utf8))
                try writer.writeFile(
                    ArchiveEntry(path: "data/" + String(repeating: "x", count: 200) + ".jsonl"),
                    contents: [UInt8](repeating: 0x41, count: 70_000)
                )
                try writer.writeFile(ArchiveEntry(path: "data/prompts/élan.jsonl"), contents: Array("{}\n".utf8))
            }
            #expect(try Self.readAll(path).count == 3)
        }
    }

    @Test(
        "a compressed archive is decompressed once, and the check holds only headers, not data",
        arguments: containers
    )
    func decompressedOnce(container: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("large.\(container)").path
        // Entries of 3 MiB, with long pax names between them, read in 1,000-byte steps and not read at all.
        let long = "data/" + String(repeating: "d", count: 150) + "/"
        try Self.craft(
            """
            import random; r = random.Random(7)
            for i in range(6): add('\(long)%d.bin' % i, r.randbytes(3 << 20 if i % 2 == 0 else 700))
            """,
            at: path
        )
        let reader = try SafeArchiveReader(path: path)
        var names: [String] = []
        var sizes: [Int] = []
        var buffer = [UInt8](repeating: 0, count: 1000)
        while let entry = try reader.nextEntry() {
            names.append(entry.path)
            var size = 0
            if names.count != 3 {
                while case let count = try buffer.withUnsafeMutableBytes({ try reader.read(into: $0) }), count > 0 {
                    size += count
                }
            }
            sizes.append(size)
        }
        #expect(names == (0..<6).map { "\(long)\($0).bin" })
        #expect(sizes == [3 << 20, 700, 0, 700, 3 << 20, 700])
        let tee = reader.tee
        if container == "tar" {
            #expect(tee == nil)
        } else {
            let held = try #require(tee).peakHeld
            // libarchive's read-ahead and a pax header: far less than one entry's 3 MiB.
            #expect(held > 0 && held <= 256 << 10, "held \(held) bytes")
        }
    }
}
