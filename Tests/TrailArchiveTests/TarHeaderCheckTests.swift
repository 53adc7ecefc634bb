import Foundation
import Testing
import TrailArchive
import TrailTestSupport

@Suite("Tar headers are read beside libarchive, so a name cannot hide behind a NUL")
struct TarHeaderCheckTests {
    /// Writes a tar with Python's `tarfile`, which writes names as given, NULs included.
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

    @Test("a name with a NUL in its header is refused", arguments: crafted)
    func refused(_ crafted: Crafted) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("crafted.tar").path
        try Self.craft(crafted.script, format: crafted.format, at: path)
        let error = #expect(throws: ArchiveError.self) { try Self.readAll(path) }
        #expect(String(describing: error).contains(crafted.reason), "\(String(describing: error))")
        // Extraction writes nothing.
        #expect(throws: ArchiveError.self) {
            try ArchiveExtraction.extract(from: try SafeArchiveReader(path: path), to: directory.appending("out").path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["crafted.tar"])
    }

    @Test(
        "long names, prefixes and non-ASCII names in every tar dialect still read",
        arguments: [
            "USTAR_FORMAT", "GNU_FORMAT", "PAX_FORMAT",
        ]
    )
    func accepted(_ format: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("fine.tar").path
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
}
