#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// Temporary files that become visible under their final name only when complete.
enum TemporaryPath {
    /// A hidden, unique path next to `path` (same directory, hence same file system for `rename`).
    static func sibling(of path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Flushes `temporary` to stable storage and renames it to `path`.
    static func commit(_ temporary: String, to path: String) throws {
        let descriptor = open(temporary, O_RDONLY)
        guard descriptor >= 0 else { throw ArchiveError.fileSystem(operation: "open", path: temporary, errno: errno) }
        let synced = fsync(descriptor)
        let syncError = errno
        close(descriptor)
        guard synced == 0 else { throw ArchiveError.fileSystem(operation: "fsync", path: temporary, errno: syncError) }
        guard rename(temporary, path) == 0 else {
            throw ArchiveError.fileSystem(operation: "rename to", path: path, errno: errno)
        }
    }
}
