private import Foundation
private import TrailIO

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// Extracts an archive so that the destination appears only when every entry was written and accepted.
///
/// Entries are written into a fresh temporary directory beside the destination (same parent, hence
/// same file system) with `O_CREAT | O_EXCL | O_NOFOLLOW`; the temporary directory is renamed to the
/// destination at the end, and removed with everything in it when anything fails. Combined with
/// ``SafeArchiveReader``, nothing is ever written outside the destination's parent.
public enum ArchiveExtraction {
    /// Extracts every entry of `reader` into the new directory `destination`.
    ///
    /// - Parameters:
    ///   - reader: the archive, read with safety checks.
    ///   - destination: the directory to create; it must not exist. Its parent must exist.
    ///   - observe: called with each chunk of each entry's data as it is written (e.g. to hash it).
    ///   - accept: called after the last entry, before the rename; throwing discards the extraction.
    ///   - admit: called with each entry before anything of it is written; throwing discards the extraction.
    /// - Throws: ``ArchiveError``, or whatever `observe` or `accept` throws; nothing is left behind.
    public static func extract(
        from reader: SafeArchiveReader,
        to destination: String,
        observe: (ArchiveEntry, UnsafeRawBufferPointer) throws -> Void = { _, _ in },
        accept: () throws -> Void = {},
        admit: (ArchiveEntry) throws -> Void = { _ in }
    ) throws {
        guard access(destination, F_OK) != 0 else {
            throw ArchiveError.fileSystem(operation: "extract to", path: destination, errno: EEXIST)
        }
        let slash = destination.lastIndex(of: "/")
        let parent = slash.map { String(destination[...$0]) } ?? "./"
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        var template = Array("\(parent).\(name).partial-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw ArchiveError.fileSystem(operation: "create temporary directory in", path: parent, errno: errno)
        }
        let temporary = String(cString: created)
        do {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while let entry = try reader.nextEntry() {
                try admit(entry)
                try writeEntry(entry, under: temporary, reader: reader, buffer: &buffer, observe: observe)
            }
            try accept()
            guard rename(temporary, destination) == 0 else {
                throw ArchiveError.fileSystem(operation: "rename to", path: destination, errno: errno)
            }
            do throws(SystemCallError) {
                try FileIO.syncDirectory(containing: destination)
            } catch {
                throw ArchiveError(error)
            }
        } catch {
            removeTree(temporary)
            throw error
        }
    }

    private static func writeEntry(
        _ entry: ArchiveEntry,
        under root: String,
        reader: SafeArchiveReader,
        buffer: inout [UInt8],
        observe: (ArchiveEntry, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let segments = entry.path.split(separator: "/")
        var directory = root
        for segment in segments.dropLast() {
            directory += "/" + segment
            if mkdir(directory, 0o755) != 0, errno != EEXIST {
                throw ArchiveError.fileSystem(operation: "create directory", path: directory, errno: errno)
            }
        }
        let path = root + "/" + entry.path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ArchiveError.fileSystem(operation: "create", path: path, errno: errno) }
        defer { close(descriptor) }
        while true {
            let count = try buffer.withUnsafeMutableBytes { (bytes) throws in try reader.read(into: bytes) }
            if count == 0 { break }
            try buffer.withUnsafeBytes { (bytes) throws in
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                try observe(entry, chunk)
                do throws(SystemCallError) {
                    try FileIO.writeAll(chunk, to: descriptor, path: path)
                } catch {
                    throw ArchiveError(error)
                }
            }
        }
    }

    /// Removes a directory tree (Foundation's removal does not follow symbolic links).
    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
