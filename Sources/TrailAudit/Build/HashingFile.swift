import Crypto
import TrailIO
import TrailJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being written in a staging directory, hashed (SHA-256) and counted as it is written.
///
/// Owns its file descriptor; not `Sendable`.
final class HashingFile {
    let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var size: Int64 = 0
    private(set) var lines = 0

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditError.fileSystem(operation: "create", path: path, message: String(cString: strerror(errno)))
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends `bytes` and a line feed.
    func appendLine(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Flushes, closes and returns the digest.
    func finish() throws -> String {
        try flush()
        close(descriptor)
        descriptor = -1
        return Hex.string(hasher.finalize())
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(data: buffer)
        size += Int64(buffer.count)
        do throws(SystemCallError) {
            try FileIO.writeAll(buffer, to: descriptor, path: path)
        } catch {
            throw AuditError.fileSystem(operation: error.operation, path: error.path, message: error.message)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
