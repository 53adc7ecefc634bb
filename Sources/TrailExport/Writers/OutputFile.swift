private import Crypto
private import TrailIO
private import TrailJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being written: bytes go to a hidden temporary file beside the final path (`.<name>.tmp`), are
/// hashed with SHA-256 on the way, and become visible only through ``commit()``.
///
/// Owns the file descriptor; not `Sendable`. Dropping an uncommitted file deletes the temporary.
final class OutputFile {
    /// Where the file will appear.
    let path: String
    /// The temporary file written until the commit.
    let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    /// Bytes written so far (the offset of the next byte).
    private(set) var position: Int64 = 0
    /// Set by ``finish()``: the SHA-256 of the content as lowercase hex.
    private(set) var sha256: String?

    private static let bufferSize = 1 << 20

    /// Creates the temporary file (and the directories above it).
    ///
    /// - Parameter path: the final path.
    /// - Throws: ``ExportError/io(operation:path:message:)`` when it cannot be created.
    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = directory + "/." + name + ".tmp"
        try FileSystem.createDirectories(directory)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ExportError.io(operation: "create", path: temporaryPath, message: FileSystem.errnoMessage())
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes.
    ///
    /// - Parameter bytes: the next bytes of the file.
    /// - Throws: ``ExportError/io(operation:path:message:)`` on a write failure.
    func write(_ bytes: [UInt8]) throws {
        position += Int64(bytes.count)
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize {
            try writeOut(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Flushes, syncs and closes the temporary file, and computes its SHA-256.
    ///
    /// - Throws: ``ExportError/io(operation:path:message:)`` on a write or sync failure.
    func finish() throws {
        try flush()
        guard fsync(descriptor) == 0 else {
            throw ExportError.io(operation: "sync", path: temporaryPath, message: FileSystem.errnoMessage())
        }
        close(descriptor)
        descriptor = -1
        sha256 = Hex.string(hasher.finalize())
    }

    /// Renames the finished temporary file over the final path, durably (``FileIO/commit(_:to:)``).
    ///
    /// - Throws: ``ExportError/io(operation:path:message:)`` when a step fails.
    func commit() throws {
        do throws(SystemCallError) {
            try FileIO.commit(temporaryPath, to: path)
        } catch {
            throw ExportError.io(operation: error.operation, path: error.path, message: error.message)
        }
    }

    /// Deletes the temporary file (after ``finish()``, when the final file already has this content).
    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try writeOut(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeOut(_ bytes: [UInt8]) throws {
        hasher.update(data: bytes)
        do throws(SystemCallError) {
            try FileIO.writeAll(bytes, to: descriptor, path: temporaryPath)
        } catch {
            throw ExportError.io(operation: error.operation, path: error.path, message: error.message)
        }
    }
}
