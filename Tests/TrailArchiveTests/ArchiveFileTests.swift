import Foundation
import Testing
import TrailArchive
import TrailTestSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("An archive is opened once and every reader reads that file")
struct ArchiveFileTests {
    static func write(_ path: String, text: String) throws {
        try ArchiveWriter.write(to: path, format: .tar, compression: .zstd) { writer in
            try writer.writeFile(ArchiveEntry(path: "data/a.txt"), contents: Array(text.utf8))
            try writer.writeFile(ArchiveEntry(path: "data/b.txt"), contents: Array(text.utf8))
        }
    }

    @Test("replacing the path after opening changes nothing that is read")
    func pathSwap() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("audit.tar.zst").path
        let other = directory.appending("other.tar.zst").path
        try Self.write(path, text: "original")
        try Self.write(other, text: "edited")
        let file = try ArchiveFile(path: path)
        #expect(rename(other, path) == 0)
        let reader = try SafeArchiveReader(file: file)
        _ = try reader.nextEntry()
        #expect(String(decoding: try reader.readData(), as: UTF8.self) == "original")
        // A second reader of the same file starts at the beginning and does not disturb the first.
        let second = try SafeArchiveReader(file: file)
        #expect(try second.nextEntry()?.path == "data/a.txt")
        #expect(String(decoding: try second.readData(), as: UTF8.self) == "original")
        #expect(try reader.nextEntry()?.path == "data/b.txt")
        #expect(String(decoding: try reader.readData(), as: UTF8.self) == "original")
        #expect(try reader.nextEntry() == nil)
        // Opening by path now reads the replacement.
        let fresh = try SafeArchiveReader(path: path)
        _ = try fresh.nextEntry()
        #expect(String(decoding: try fresh.readData(), as: UTF8.self) == "edited")
    }

    @Test("a FIFO, a directory or a missing file is refused at once", .timeLimit(.minutes(1)))
    func notRegular() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.appending("archive.tar").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = #expect(throws: ArchiveError.self) { try ArchiveFile(path: fifo) }
        #expect(String(describing: error).contains("not a regular file"))
        #expect(throws: ArchiveError.self) { try ArchiveFile(path: directory.url.path) }
        #expect(throws: ArchiveError.self) { try ArchiveFile(path: directory.appending("missing").path) }
    }
}
