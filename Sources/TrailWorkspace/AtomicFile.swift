private import TrailIO

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
        try write(to: path) { writer in try writer.write(bytes) }
    }

    /// Streams the new content of `path` into a temporary file, then replaces `path` with it atomically and
    /// durably, so memory stays bounded whatever the file's size.
    ///
    /// - Parameters:
    ///   - path: the target file; its directory must exist.
    ///   - body: writes the complete new content.
    /// - Returns: what `body` returns.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)`` or what `body` throws; either way the temporary
    ///   file is removed and `path` is left as it was.
    public static func write<Result>(to path: String, _ body: (Writer) throws -> Result) throws -> Result {
        let writer = try Writer(target: path)
        do {
            let result = try body(writer)
            try writer.commit()
            return result
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The temporary file behind ``AtomicFile/write(to:_:)``: buffered writes, then `fsync`, `rename` and a
    /// directory `fsync` on ``commit()``. Owned by one task, so deliberately not `Sendable`.
    public final class Writer {
        let target: String
        let temporary: String
        let directory: String
        private var descriptor: Int32
        private var buffer: [UInt8] = []
        static let bufferSize = 1 << 20

        init(target: String) throws {
            let (directory, name) = AtomicFile.split(target)
            self.target = target
            self.directory = directory
            temporary = directory + "/." + name + ".tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw WorkspaceError.io(operation: "create", path: temporary, errno: errno) }
            buffer.reserveCapacity(Self.bufferSize)
        }

        deinit { abandon() }

        /// Appends bytes to the new content.
        ///
        /// - Parameter bytes: the bytes.
        /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
        public func write(_ bytes: some Collection<UInt8>) throws {
            if buffer.count + bytes.count > Self.bufferSize { try flush() }
            if bytes.count >= Self.bufferSize {
                try writeAll(Array(bytes))
            } else {
                buffer.append(contentsOf: bytes)
            }
        }

        /// Appends one line: the bytes and an LF.
        ///
        /// - Parameter bytes: the line without its LF.
        /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
        public func writeLine(_ bytes: some Collection<UInt8>) throws {
            try write(bytes)
            if buffer.count >= Self.bufferSize { try flush() }
            buffer.append(0x0A)
        }

        /// Appends the bytes of an existing file, read in chunks; a missing file adds nothing.
        ///
        /// - Parameter path: the file to copy.
        /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
        public func copy(from path: String) throws {
            let source = open(path, O_RDONLY | O_CLOEXEC)
            if source < 0 {
                if errno == ENOENT { return }
                throw WorkspaceError.io(operation: "open", path: path, errno: errno)
            }
            defer { close(source) }
            try flush()
            var chunk = [UInt8](repeating: 0, count: Self.bufferSize)
            while true {
                let count = try WorkspaceError.wrapping {
                    try chunk.withUnsafeMutableBytes { raw in
                        try FileIO.read(source, into: raw, path: path)
                    }
                }
                if count == 0 { return }
                try write(chunk[0..<count])
            }
        }

        /// Appends bytes `range` of the open file `source` (its file offset is not moved): copied inside the
        /// kernel (`sendfile`) where it can be, else read and written in chunks.
        ///
        /// - Parameters:
        ///   - source: a descriptor open for reading.
        ///   - range: the bytes to copy; the file must hold them.
        ///   - path: the source's path, for errors.
        /// - Throws: ``WorkspaceError``.
        func copy(from source: Int32, range: Range<Int>, path: String) throws {
            guard !range.isEmpty else { return }
            try flush()
            var offset = range.lowerBound
            #if os(Linux)
                while offset < range.upperBound {
                    var position = off_t(offset)
                    let sent = sendfile(descriptor, source, &position, range.upperBound - offset)
                    if sent > 0 {
                        offset += sent
                    } else if sent == 0 {
                        throw WorkspaceError.corrupt(path: path, message: "the file shrank while copied")
                    } else if errno == EINTR {
                        continue
                    } else if errno == EINVAL || errno == ENOSYS {
                        break  // a file system without it: copied below
                    } else {
                        throw WorkspaceError.io(operation: "copy to", path: temporary, errno: errno)
                    }
                }
            #endif
            var chunk = [UInt8](repeating: 0, count: min(Self.bufferSize, range.upperBound - offset))
            while offset < range.upperBound {
                let count = min(chunk.count, range.upperBound - offset)
                let got = try WorkspaceError.wrapping {
                    try chunk.withUnsafeMutableBytes { raw in
                        try FileIO.read(
                            source,
                            into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<count]),
                            at: offset,
                            path: path
                        )
                    }
                }
                guard got > 0 else { throw WorkspaceError.corrupt(path: path, message: "the file shrank while copied") }
                try WorkspaceError.wrapping {
                    try chunk.withUnsafeBytes { raw in
                        try FileIO.writeAll(
                            UnsafeRawBufferPointer(rebasing: raw[0..<got]),
                            to: descriptor,
                            path: temporary
                        )
                    }
                }
                offset += got
            }
        }

        func flush() throws {
            guard !buffer.isEmpty else { return }
            try writeAll(buffer)
            buffer.removeAll(keepingCapacity: true)
        }

        private func writeAll(_ bytes: [UInt8]) throws {
            try WorkspaceError.wrapping {
                try FileIO.writeAll(bytes, to: descriptor, path: temporary)
            }
        }

        func commit() throws {
            try flush()
            let closing = descriptor
            descriptor = -1
            guard close(closing) == 0 else {
                unlink(temporary)
                throw WorkspaceError.io(operation: "close", path: temporary, errno: errno)
            }
            do throws(SystemCallError) {
                try FileIO.commit(temporary, to: target)
            } catch {
                unlink(temporary)  // after a successful rename it is already gone
                throw WorkspaceError.io(operation: error.operation, path: error.path, errno: error.code)
            }
        }

        /// Closes and deletes the temporary file unless it was committed; idempotent.
        func abandon() {
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
            unlink(temporary)
        }
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
            let count = try WorkspaceError.wrapping {
                try buffer.withUnsafeMutableBytes { raw in
                    try FileIO.read(descriptor, into: raw, path: path)
                }
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
        ((try? listing(path)) ?? nil) ?? []
    }

    /// The names in a directory (without `.` and `..`), sorted; `nil` when it does not exist.
    ///
    /// - Parameter path: the directory.
    /// - Returns: the entry names, or `nil` for a missing directory.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)`` when it exists but cannot be listed.
    public static func listing(_ path: String) throws -> [String]? {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return nil }
            throw WorkspaceError.io(operation: "list", path: path, errno: errno)
        }
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
        try WorkspaceError.wrapping { try FileIO.syncDirectory(path) }
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (
            String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...])
        )
    }
}
