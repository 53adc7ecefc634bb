import Crypto
import TrailArchive
import TrailIO
import TrailJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lines hashed (SHA-256) and counted entry by entry, and spooled to a file in a staging directory as they
/// are, compressed into zstd frames ready to be spliced into a `.tar.zst` archive (``FrameSpool``), or not
/// at all.
///
/// Compressed output is also hashed on a thread of its own (``SerialDigest``), so an entry's digest and
/// frames are known once the file is finished: ``endEntry()`` numbers the entry and ``entry(_:)``
/// answers after ``finish()``. Owns its file descriptor; not `Sendable`.
final class HashingFile {
    /// Where the lines go besides the hash.
    enum Output {
        /// Nowhere: only the sizes and digests are wanted.
        case none
        /// A plain file.
        case plain(String)
        /// A file of zstd frames, each entry's in frames of its own.
        case frames(String, SplicingZstd)
    }

    /// An entry's size and digest, and its frames when the output is compressed.
    struct Entry {
        var size: Int64
        var digest: String
        var frames: (spool: FrameSpool, entry: FrameSpool.Entry)?
    }

    /// The spool file, or `nil` with ``Output/none``.
    let path: String?
    private var descriptor: Int32 = -1
    private var spool: FrameSpool?
    private var serial: SerialDigest?
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    /// The bytes of the current entry so far.
    private(set) var size: Int64 = 0
    /// The lines of the current entry so far.
    private(set) var lines = 0
    /// The ended entries' sizes, digests (computed here; ``SerialDigest`` keeps its own) and frames.
    private var sizes: [Int64] = []
    private var digests: [String] = []
    private var frames: [FrameSpool.Entry] = []
    private var finished = false

    /// A plain spool file at `path`.
    convenience init(path: String) throws {
        try self.init(.plain(path))
    }

    init(_ output: Output) throws {
        switch output {
        case .none:
            path = nil
        case .plain(let path):
            self.path = path
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw AuditError.fileSystem(operation: "create", path: path, message: String(cString: strerror(errno)))
            }
        case .frames(let path, let settings):
            self.path = path
            spool = try Self.spooling { try FrameSpool(path: path, settings: settings) }
            serial = SerialDigest()
        }
        if path != nil { buffer.reserveCapacity(Self.chunk + (64 << 10)) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The bytes gathered before they are hashed and written (compressed output: the frame size).
    private static let chunk = 1 << 20

    /// Appends `bytes` and a line feed.
    func appendLine(_ bytes: [UInt8]) throws {
        try appendLine(bytes[...])
    }

    /// Appends `bytes` and a line feed.
    func appendLine(_ bytes: ArraySlice<UInt8>) throws {
        lines += 1
        guard path != nil else {
            bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            withUnsafeBytes(of: UInt8(0x0A)) { hasher.update(bufferPointer: $0) }
            size += Int64(bytes.count + 1)
            return
        }
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Ends the current entry; the next line starts another.
    ///
    /// - Returns: the entry's number, for ``entry(_:)``.
    func endEntry() throws -> Int {
        try flush()
        if let spool {
            frames.append(try Self.spooling { try spool.endEntry() })
        }
        if let serial {
            serial.endEntry()
        } else {
            digests.append(Hex.string(hasher.finalize()))
            hasher = SHA256()
        }
        sizes.append(size)
        size = 0
        lines = 0
        return sizes.count - 1
    }

    /// Ends the last entry and closes the file (for compressed output, once every frame is written and
    /// hashed).
    ///
    /// - Returns: the last entry.
    @discardableResult
    func finish() throws -> Entry {
        let last = try endEntry()
        if let spool {
            try Self.spooling { try spool.finish() }
        }
        if let serial {
            serial.finish()
            digests = serial.digests
            self.serial = nil
        }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        finished = true
        return entry(last)
    }

    /// An ended entry; only after ``finish()``.
    func entry(_ number: Int) -> Entry {
        precondition(finished, "HashingFile.entry(_:) before finish()")
        return Entry(
            size: sizes[number],
            digest: digests[number],
            frames: spool.map { ($0, frames[number]) }
        )
    }

    /// Runs a ``FrameSpool`` call; its errors (which name the file) become ``AuditError/archive(_:)``.
    private static func spooling<Result>(_ body: () throws -> Result) throws -> Result {
        do { return try body() } catch let error as ArchiveError { throw AuditError.archive(error) }
    }

    private func flush() throws {
        guard !buffer.isEmpty, let path else { return }
        size += Int64(buffer.count)
        if let spool, let serial {
            // The chunk is handed to the hashing thread and the compressor as it is, and a new one begun.
            let chunk = buffer
            buffer = []
            buffer.reserveCapacity(Self.chunk + (64 << 10))
            serial.update(chunk)
            try Self.spooling { try spool.writeFrame(chunk) }
            return
        }
        hasher.update(data: buffer)
        do throws(SystemCallError) {
            try FileIO.writeAll(buffer, to: descriptor, path: path)
        } catch {
            throw AuditError.fileSystem(operation: error.operation, path: error.path, message: error.message)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
