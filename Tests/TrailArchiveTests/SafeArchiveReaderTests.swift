import Foundation
import Testing
import TrailArchive
import TrailTestSupport

@Suite("Safe reading refuses archives that could escape or exhaust the target")
struct SafeArchiveReaderTests {
    /// A crafted tar (written by Python's `tarfile`, which will write anything) and what must be refused.
    struct Crafted: Sendable, CustomStringConvertible {
        var name: String
        var script: String
        var reason: String
        var description: String { name }
    }

    static let crafted: [Crafted] = [
        Crafted(name: "traversal", script: "add('../evil.txt', b'x')", reason: "\"..\" segment"),
        Crafted(name: "nested traversal", script: "add('data/../../evil.txt', b'x')", reason: "\"..\" segment"),
        Crafted(name: "absolute", script: "add('/tmp/evil.txt', b'x')", reason: "absolute path"),
        Crafted(
            name: "symlink",
            script: "link('data/escape', '/etc', tarfile.SYMTYPE)",
            reason: "symbolic link"
        ),
        Crafted(
            name: "hardlink",
            script: "add('data/a.txt', b'x'); link('data/b.txt', '../../etc/passwd', tarfile.LNKTYPE)",
            reason: "hard link"
        ),
        Crafted(name: "device", script: "link('data/dev', '', tarfile.CHRTYPE)", reason: "device"),
        Crafted(name: "fifo", script: "link('data/fifo', '', tarfile.FIFOTYPE)", reason: "device, FIFO"),
        Crafted(name: "duplicate", script: "add('data/a.txt', b'x'); add('data/a.txt', b'y')", reason: "duplicate"),
        Crafted(name: "backslash", script: "add('..\\\\evil.txt', b'x')", reason: "backslash"),
    ]

    /// Writes a tar with Python's `tarfile`, which will write anything: `add(name, data, pax=None)` and
    /// `link(name, target, kind)` are defined for `script`.
    static func craft(_ script: String, format: String = "PAX_FORMAT", at path: String) throws {
        let program = """
            import io, sys, tarfile
            mode = 'w:gz' if sys.argv[1].endswith('.gz') else 'w:xz' if sys.argv[1].endswith('.xz') else 'w'
            t = tarfile.open(sys.argv[1], mode, format=tarfile.\(format))
            def add(name, data, pax=None):
                info = tarfile.TarInfo(name); info.size = len(data)
                if pax: info.pax_headers = pax
                t.addfile(info, io.BytesIO(data))
            def link(name, target, kind):
                info = tarfile.TarInfo(name); info.type = kind; info.linkname = target; t.addfile(info)
            \(script)
            t.close()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", program, path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 could not craft \(path)")
    }

    @Test("refuses the crafted entry, naming the rule", arguments: crafted)
    func refuses(crafted: Crafted) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("crafted.tar").path
        try Self.craft(crafted.script, at: path)
        let reader = try SafeArchiveReader(path: path)
        let error = #expect(throws: ArchiveError.self) {
            while try reader.nextEntry() != nil { _ = try reader.readData() }
        }
        #expect(String(describing: error).contains(crafted.reason), "\(String(describing: error))")
    }

    @Test("extraction of a crafted archive writes nothing, inside or outside the target", arguments: crafted)
    func extractionLeavesNothing(crafted: Crafted) throws {
        let directory = try TemporaryDirectory()
        let archive = directory.appending("crafted.tar").path
        try Self.craft("add('data/ok.txt', b'fine'); " + crafted.script, at: archive)
        let target = directory.appending("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let reader = try SafeArchiveReader(path: archive)
        #expect(throws: ArchiveError.self) {
            try ArchiveExtraction.extract(from: reader, to: target.appendingPathComponent("bag").path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == [])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == [
                "crafted.tar", "target",
            ]
        )
    }

    @Test("a decompression bomb stops at the byte limit, even when its headers are read lazily")
    func bomb() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("bomb.tar.zst").path
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        try ArchiveWriter.write(to: path, format: .tar, compression: .zstd) { writer in
            try writer.beginEntry(ArchiveEntry(path: "data/zeros.bin", size: 64 << 20))
            for _ in 0..<64 { try zeros.withUnsafeBytes { try writer.write($0) } }
        }
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 < 1 << 16)
        let reader = try SafeArchiveReader(path: path, limits: ArchiveLimits(maxTotalBytes: 1 << 20, maxEntries: 10))
        let error = #expect(throws: ArchiveError.self) {
            while try reader.nextEntry() != nil {}
        }
        #expect(String(describing: error).contains("1048576 bytes"))
        #expect(reader.totalBytes <= 1 << 20)
    }

    @Test("too many entries are refused")
    func entryCount() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("many.tar").path
        try ArchiveWriter.write(to: path, format: .tar) { writer in
            for index in 0..<20 { try writer.writeFile(ArchiveEntry(path: "data/\(index)"), contents: [1]) }
        }
        let reader = try SafeArchiveReader(path: path, limits: ArchiveLimits(maxTotalBytes: 1 << 20, maxEntries: 10))
        let error = #expect(throws: ArchiveError.self) {
            while try reader.nextEntry() != nil {}
        }
        #expect(String(describing: error).contains("more than 10 entries"))
    }

    @Test("a clean archive extracts completely, and only under the destination")
    func extractsClean() throws {
        let directory = try TemporaryDirectory()
        let archive = directory.appending("clean.tar.gz").path
        try ArchiveWriter.write(to: archive, format: .tar, compression: .gzip) { writer in
            try writer.writeFile(ArchiveEntry(path: "./bagit.txt"), contents: Array("BagIt-Version: 1.0\n".utf8))
            try writer.beginEntry(ArchiveEntry(path: "data", kind: .directory))
            try writer.writeFile(ArchiveEntry(path: "data/a/b.txt"), contents: Array("b".utf8))
        }
        let destination = directory.appending("bag").path
        var observed: [String] = []
        try ArchiveExtraction.extract(from: try SafeArchiveReader(path: archive), to: destination) { entry, _ in
            observed.append(entry.path)
        }
        #expect(observed == ["bagit.txt", "data/a/b.txt"])
        #expect(try String(contentsOfFile: destination + "/data/a/b.txt", encoding: .utf8) == "b")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["bag", "clean.tar.gz"]
        )
    }

    @Test("a rejection in accept() discards the whole extraction")
    func acceptRejects() throws {
        struct Rejected: Error {}
        let directory = try TemporaryDirectory()
        let archive = directory.appending("clean.tar").path
        try ArchiveWriter.write(to: archive, format: .tar) { writer in
            try writer.writeFile(ArchiveEntry(path: "data/a.txt"), contents: Array("a".utf8))
        }
        #expect(throws: Rejected.self) {
            try ArchiveExtraction.extract(
                from: try SafeArchiveReader(path: archive),
                to: directory.appending("bag").path,
                accept: { throw Rejected() }
            )
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["clean.tar"])
    }

    @Test("zstd output is identical for every worker count; gzip carries no timestamp")
    func reproducibleFilters() throws {
        let directory = try TemporaryDirectory()
        var digests: Set<Data> = []
        let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        for threads in [1, 2, 4] {
            let path = directory.appending("t\(threads).tar.zst").path
            let options = ArchiveCompression.zstd.reproducibleOptions(level: 3, threads: threads)
            try ArchiveWriter.write(to: path, format: .tar, compression: .zstd, options: options) { writer in
                try writer.writeFile(ArchiveEntry(path: "data/x.bin"), contents: payload)
            }
            digests.insert(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(digests.count == 1)

        let gzip = directory.appending("x.tar.gz").path
        try ArchiveWriter.write(
            to: gzip,
            format: .tar,
            compression: .gzip,
            options: ArchiveCompression.gzip.reproducibleOptions()
        ) { writer in
            try writer.writeFile(ArchiveEntry(path: "data/x.bin"), contents: payload)
        }
        let header = try Data(contentsOf: URL(fileURLWithPath: gzip)).prefix(10)
        #expect(Array(header[4..<8]) == [0, 0, 0, 0], "MTIME must be zero")
        #expect(header[3] & 0x08 == 0, "FNAME must not be set")
    }
}
