private import TrailIO

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

    /// Flushes `temporary` to stable storage, renames it to `path` and flushes the directory
    /// (``FileIO/commit(_:to:)``).
    static func commit(_ temporary: String, to path: String) throws(ArchiveError) {
        do throws(SystemCallError) {
            try FileIO.commit(temporary, to: path)
        } catch {
            throw ArchiveError(error)
        }
    }
}
