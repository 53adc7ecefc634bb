#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// An archive file opened once, read by any number of readers through that one descriptor.
///
/// Verifying and then extracting (or exporting) an archive takes several passes. Opening the file by path
/// for each pass would let the file be replaced between the pass that verified it and the pass that uses
/// it; every ``ArchiveReader`` made from one `ArchiveFile` reads the same inode instead, with `pread` at
/// its own offset, so several readers may be open at once. Writing into that inode in place is caught by
/// the callers, which compare what they extract with the digests they verified.
///
/// Only regular files are accepted: a FIFO, device or directory given as an archive is refused before
/// anything is read.
public final class ArchiveFile: Sendable {
    /// The path the file was opened from, for messages.
    public let path: String
    let descriptor: Int32

    /// Opens `path` for reading.
    ///
    /// - Parameter path: the archive file.
    /// - Throws: ``ArchiveError/fileSystem(operation:path:errno:)`` when it cannot be opened, or
    ///   ``ArchiveError/unsafeEntry(path:reason:)`` when it is not a regular file.
    public init(path: String) throws {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw ArchiveError.fileSystem(operation: "open", path: path, errno: errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = errno
            close(descriptor)
            throw ArchiveError.fileSystem(operation: "stat", path: path, errno: error)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw ArchiveError.unsafeEntry(path: path, reason: "not a regular file")
        }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The file's current size in bytes.
    var size: Int64 {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
    }

    /// Reads up to `count` bytes at `offset`, retrying on `EINTR`.
    ///
    /// - Returns: the number of bytes read (0 at the end of the file), or -1 with `errno` set.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) -> Int {
        while true {
            let result = pread(descriptor, buffer, count, off_t(offset))
            if result < 0, errno == EINTR { continue }
            return result
        }
    }
}
