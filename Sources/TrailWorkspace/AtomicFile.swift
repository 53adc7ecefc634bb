#if canImport(Glibc)
    private import Glibc
#elseif canImport(Darwin)
    private import Darwin
#endif

/// Replaces files the way docs/workspace-format.md ("Atomic writes") requires: write `.<name>.tmp` in the
/// same directory, `fsync` it, `rename` it over the target, `fsync` the directory.
///
/// A reader (or a process restarted after SIGKILL) sees the old file or the new one, never a mix.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically and durably.
    ///
    /// - Parameters:
    ///   - bytes: the complete new content.
    ///   - path: the target file; its directory must exist.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``; the temporary file is removed on failure.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let (directory, name) = split(path)
        let temporary = directory + "/." + name + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WorkspaceError.io(operation: "create", path: temporary, errno: errno) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do {
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer in
                    Glibc.write(descriptor, buffer.baseAddress! + offset, bytes.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WorkspaceError.io(operation: "write", path: temporary, errno: errno)
                }
                offset += written
            }
            guard fsync(descriptor) == 0 else {
                throw WorkspaceError.io(operation: "fsync", path: temporary, errno: errno)
            }
            closed = true
            guard close(descriptor) == 0 else {
                throw WorkspaceError.io(operation: "close", path: temporary, errno: errno)
            }
            guard rename(temporary, path) == 0 else {
                throw WorkspaceError.io(operation: "rename", path: temporary, errno: errno)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Removes `path` and makes the removal durable; a missing file is not an error.
    ///
    /// - Parameter path: the file.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
    public static func remove(_ path: String) throws {
        if unlink(path) != 0, errno != ENOENT { throw WorkspaceError.io(operation: "unlink", path: path, errno: errno) }
        try syncDirectory(split(path).directory)
    }

    /// Creates `path` and its missing parents.
    ///
    /// - Parameter path: the directory.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
    public static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw WorkspaceError.io(operation: "mkdir", path: current, errno: errno)
            }
        }
    }

    /// Reads a whole file, or `nil` when it does not exist.
    ///
    /// - Parameter path: the file.
    /// - Returns: its bytes.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
    public static func read(_ path: String) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw WorkspaceError.io(operation: "open", path: path, errno: errno)
        }
        defer { close(descriptor) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw WorkspaceError.io(operation: "read", path: path, errno: errno)
            }
            if count == 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        return output
    }

    /// The names in a directory (without `.` and `..`), or `[]` when it does not exist.
    ///
    /// - Parameter path: the directory.
    /// - Returns: the entry names, sorted.
    public static func list(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether `path` is a directory.
    ///
    /// - Parameter path: a path.
    /// - Returns: `true` for a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Removes an empty directory; a missing or non-empty one is left alone.
    ///
    /// - Parameter path: the directory.
    public static func removeDirectoryIfEmpty(_ path: String) {
        rmdir(path)
    }

    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WorkspaceError.io(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw WorkspaceError.io(operation: "fsync", path: path, errno: errno) }
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (
            String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...])
        )
    }
}
