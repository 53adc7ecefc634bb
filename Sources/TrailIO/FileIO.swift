#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// The file operations every PromptTrail module shares, each written once: whole writes and reads that
/// retry on `EINTR`, and the durable commit of a temporary file under its final name.
public enum FileIO {
    /// Writes all of `bytes` to `descriptor`, continuing after short writes and `EINTR`.
    ///
    /// - Parameters:
    ///   - bytes: what to write.
    ///   - descriptor: an open file descriptor.
    ///   - path: the file's path, for the error.
    /// - Throws: ``SystemCallError`` for the first failing `write`.
    public static func writeAll(
        _ bytes: UnsafeRawBufferPointer,
        to descriptor: Int32,
        path: String
    ) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(operation: "write", path: path, code: errno)
            }
            offset += written
        }
    }

    /// Writes all of `bytes` to `descriptor` (see ``writeAll(_:to:path:)-(UnsafeRawBufferPointer,_,_)``).
    ///
    /// - Throws: ``SystemCallError`` for the first failing `write`.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(SystemCallError) {
        let result: Result<Void, SystemCallError> = bytes.withUnsafeBytes { raw in
            do throws(SystemCallError) {
                try writeAll(raw, to: descriptor, path: path)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Reads up to `buffer.count` bytes, retrying on `EINTR`; 0 means the end of the file.
    ///
    /// - Parameters:
    ///   - descriptor: an open file descriptor.
    ///   - buffer: where the bytes go.
    ///   - path: the file's path, for the error.
    /// - Returns: how many bytes were read.
    /// - Throws: ``SystemCallError`` when `read` fails.
    public static func read(
        _ descriptor: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        path: String
    ) throws(SystemCallError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress!, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw SystemCallError(operation: "read", path: path, code: errno) }
        }
    }

    /// Writes all of `bytes` at `offset` of `descriptor` (`pwrite`), continuing after short writes and
    /// `EINTR`.
    ///
    /// - Parameters:
    ///   - bytes: what to write.
    ///   - descriptor: an open file descriptor.
    ///   - offset: where in the file the first byte goes.
    ///   - path: the file's path, for the error.
    /// - Throws: ``SystemCallError`` for the first failing `pwrite`.
    public static func writeAll(
        _ bytes: UnsafeRawBufferPointer,
        to descriptor: Int32,
        at offset: Int,
        path: String
    ) throws(SystemCallError) {
        var done = 0
        while done < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(operation: "write", path: path, code: errno)
            }
            done += written
        }
    }

    /// Reads up to `buffer.count` bytes at `offset` (`pread`), retrying on `EINTR`; 0 means the end.
    ///
    /// - Parameters:
    ///   - descriptor: an open file descriptor.
    ///   - buffer: where the bytes go.
    ///   - offset: where in the file to start.
    ///   - path: the file's path, for the error.
    /// - Returns: how many bytes were read.
    /// - Throws: ``SystemCallError`` when `pread` fails.
    public static func read(
        _ descriptor: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        at offset: Int,
        path: String
    ) throws(SystemCallError) -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw SystemCallError(operation: "read", path: path, code: errno) }
        }
    }

    /// Makes `temporary` the file at `path`, durably: flushes it, renames it over `path`, then flushes the
    /// directory so the new name survives a crash. The temporary must be in the same directory.
    ///
    /// - Parameters:
    ///   - temporary: the complete temporary file.
    ///   - path: the final path.
    /// - Throws: ``SystemCallError`` naming the step that failed; the temporary is left for the caller.
    public static func commit(_ temporary: String, to path: String) throws(SystemCallError) {
        let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(operation: "open", path: temporary, code: errno) }
        let synced = fsync(descriptor)
        let syncError = errno
        close(descriptor)
        guard synced == 0 else { throw SystemCallError(operation: "fsync", path: temporary, code: syncError) }
        guard rename(temporary, path) == 0 else {
            throw SystemCallError(operation: "rename to", path: path, code: errno)
        }
        try syncDirectory(containing: path)
    }

    /// Flushes the directory that holds `path`, so a rename or unlink in it is durable.
    ///
    /// - Parameter path: a path in the directory.
    /// - Throws: ``SystemCallError`` when the directory cannot be opened or flushed.
    public static func syncDirectory(containing path: String) throws(SystemCallError) {
        let slash = path.lastIndex(of: "/")
        try syncDirectory(slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? ".")
    }

    /// Flushes `directory`, so a rename or unlink in it is durable.
    ///
    /// - Parameter directory: the directory.
    /// - Throws: ``SystemCallError`` when the directory cannot be opened or flushed.
    public static func syncDirectory(_ directory: String) throws(SystemCallError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(operation: "open", path: directory, code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SystemCallError(operation: "fsync", path: directory, code: errno) }
    }
}

/// The C `read`, reachable from inside ``FileIO`` whose own `read` shadows it.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
