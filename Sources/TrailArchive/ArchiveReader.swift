private import CArchive

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// Reads an archive's entries in order, streaming their data, without extracting anything to disk.
///
/// Accepts tar (any of libarchive's tar dialects) and zip, uncompressed or compressed with the filters
/// PromptTrail writes: gzip, zstd and xz, all decoded in-process. Other filters are not enabled: for some
/// of them libarchive would start an external decompressor program on untrusted input. Not `Sendable`: a
/// reader belongs to one task.
public final class ArchiveReader {
    private var handle: OpaquePointer?
    /// What libarchive's callbacks read from (kept alive for them).
    private let source: AnyObject
    private let decompressed: DecompressedSource?
    /// The archive being read.
    public let path: String
    private var currentPath: String?
    /// Where the next block of the current entry's data starts (``readBlock()``).
    private var blockOffset: Int64 = 0

    /// Opens `path` for reading.
    ///
    /// - Parameters:
    ///   - path: the archive file.
    ///   - blockSize: the read size in bytes.
    /// - Throws: ``ArchiveError`` when the file cannot be opened or is not an archive.
    public convenience init(path: String, blockSize: Int = 1 << 16) throws {
        try self.init(file: ArchiveFile(path: path), blockSize: blockSize)
    }

    /// Starts reading `file` from its first byte, independently of any other reader of the same file.
    ///
    /// - Parameters:
    ///   - file: the opened archive.
    ///   - blockSize: the read size in bytes.
    /// - Throws: ``ArchiveError`` when the file is not an archive.
    public convenience init(file: ArchiveFile, blockSize: Int = 1 << 16) throws {
        try self.init(file: file, blockSize: blockSize, raw: false)
    }

    /// Starts reading `file`; with `raw`, the archive's decompressed bytes are one entry (for checks of the
    /// container's own headers, which libarchive does not expose).
    init(file: ArchiveFile, blockSize: Int = 1 << 16, raw: Bool) throws {
        // The corresponding C function is `archive_read_new`.
        guard let handle = archive_read_new() else {
            throw ArchiveError.allocationFailed(operation: "create archive reader")
        }
        self.handle = handle
        let source = ReadSource(file: file, blockSize: blockSize)
        self.source = source
        decompressed = nil
        path = file.path
        do {
            for (enable, name) in [
                (archive_read_support_filter_gzip, "gzip"), (archive_read_support_filter_zstd, "zstd"),
                (archive_read_support_filter_xz, "xz"),
            ] {
                // A warning here means libarchive would run an external program: refused.
                guard case .ok = try ArchiveStatus.check(enable(handle), handle, "enable \(name) decompression")
                else {
                    throw ArchiveError.libarchive(
                        operation: "enable \(name) decompression",
                        path: file.path,
                        status: ARCHIVE_WARN,
                        errno: 0,
                        message: "this libarchive decodes \(name) only through an external program"
                    )
                }
            }
            if raw {
                try ArchiveStatus.check(archive_read_support_format_raw(handle), handle, "enable raw format")
            } else {
                try Self.enableFormats(handle)
            }
            let data = Unmanaged.passUnretained(source).toOpaque()
            try ArchiveStatus.check(archive_read_set_callback_data(handle, data), handle, "set read source")
            try ArchiveStatus.check(archive_read_set_read_callback(handle, ReadSource.read), handle, "set read")
            try ArchiveStatus.check(archive_read_set_skip_callback(handle, ReadSource.skip), handle, "set skip")
            try ArchiveStatus.check(archive_read_set_seek_callback(handle, ReadSource.seek), handle, "set seek")
            // The corresponding C function is `archive_read_open1`.
            try ArchiveStatus.check(archive_read_open1(handle), handle, "open archive", path: file.path)
        } catch {
            archive_read_free(handle)
            self.handle = nil
            throw error
        }
    }

    /// Reads the archive inside the decompressed bytes of `raw` (a reader opened with `raw: true`), handing
    /// every byte to `tee` as well: the tar headers are then checked without decompressing the file twice.
    ///
    /// No skip or seek callback is set, so every byte libarchive passes over goes through `tee`.
    init(decompressing raw: ArchiveReader, tee: ByteTee) throws {
        guard let handle = archive_read_new() else {
            throw ArchiveError.allocationFailed(operation: "create archive reader")
        }
        self.handle = handle
        let source = DecompressedSource(raw: raw, tee: tee)
        self.source = source
        decompressed = source
        path = raw.path
        do {
            try Self.enableFormats(handle)
            let data = Unmanaged.passUnretained(source).toOpaque()
            try ArchiveStatus.check(archive_read_set_callback_data(handle, data), handle, "set read source")
            try ArchiveStatus.check(
                archive_read_set_read_callback(handle, DecompressedSource.read),
                handle,
                "set read"
            )
            let path = raw.path
            _ = try decompressedCall {
                try ArchiveStatus.check(archive_read_open1(handle), handle, "open archive", path: path)
            }
        } catch {
            archive_read_free(handle)
            self.handle = nil
            throw error
        }
    }

    /// Enables the archive formats read: tar (any of libarchive's dialects) and zip.
    private static func enableFormats(_ handle: OpaquePointer) throws {
        try ArchiveStatus.check(archive_read_support_format_tar(handle), handle, "enable tar format")
        try ArchiveStatus.check(archive_read_support_format_zip(handle), handle, "enable zip format")
    }

    /// Whether the file is compressed (known once the reader is open).
    var isCompressed: Bool {
        guard let handle else { return false }
        return archive_filter_count(handle) > 1
    }

    /// Runs a call into libarchive, throwing the decompressing reader's own error when that is what failed.
    private func decompressedCall<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            if let failure = decompressed?.failure { throw failure }
            throw error
        }
    }

    /// Whether the archive is a tar archive (known once the first header was read).
    var isTar: Bool {
        guard let handle else { return false }
        return archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_TAR
    }

    deinit {
        if let handle { archive_read_free(handle) }
    }

    /// Moves to the next entry and returns its metadata, or `nil` at the end of the archive.
    ///
    /// - Returns: the next entry's metadata.
    /// - Throws: ``ArchiveError`` when the archive is corrupt.
    public func nextEntry() throws -> ArchiveEntry? {
        return try UTF8Locale.run { () throws -> ArchiveEntry? in
            guard let handle else { throw ArchiveError.closed(operation: "read next entry") }
            var entry: OpaquePointer?
            // The corresponding C function is `archive_read_next_header`.
            let outcome = try decompressedCall {
                try ArchiveStatus.check(
                    archive_read_next_header(handle, &entry),
                    handle,
                    "read entry header after \(currentPath ?? "the start")",
                    path: path
                )
            }
            if case .endOfArchive = outcome { return nil }
            guard let entry else { return nil }
            let metadata = Self.metadata(of: entry)
            currentPath = metadata.path
            blockOffset = 0
            return metadata
        }
    }

    /// Reads the next chunk of the current entry's data into `buffer`.
    ///
    /// - Parameter buffer: where to put the bytes.
    /// - Returns: the number of bytes read; 0 at the end of the entry.
    /// - Throws: ``ArchiveError`` when the data is corrupt or truncated.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let handle else { throw ArchiveError.closed(operation: "read entry data") }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // The corresponding C function is `archive_read_data`.
        let count = archive_read_data(handle, base, buffer.count)
        return try decompressedCall {
            try ArchiveStatus.check(count: count, handle, "read data of \(currentPath ?? "entry")", path: path)
        }
    }

    /// The next block of the current entry's data, lent from libarchive's own buffer rather than copied: valid
    /// until the next call on this reader; `nil` at the end of the entry.
    ///
    /// For data without holes (the raw format's one entry): a block that does not start where the last one
    /// ended is refused.
    ///
    /// - Throws: ``ArchiveError`` when the data is corrupt or truncated, or has a hole.
    func readBlock() throws -> UnsafeRawBufferPointer? {
        guard let handle else { throw ArchiveError.closed(operation: "read entry data") }
        var bytes: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        let operation = "read data of \(currentPath ?? "entry")"
        repeat {
            // The corresponding C function is `archive_read_data_block`.
            let status = archive_read_data_block(handle, &bytes, &size, &offset)
            if case .endOfArchive = try decompressedCall({
                try ArchiveStatus.check(status, handle, operation, path: path)
            }) {
                return nil
            }
        } while size == 0
        guard offset == blockOffset else {
            throw ArchiveError.libarchive(
                operation: operation,
                path: path,
                status: ARCHIVE_FATAL,
                errno: 0,
                message: "data at offset \(offset) where \(blockOffset) was due"
            )
        }
        blockOffset += Int64(size)
        return UnsafeRawBufferPointer(start: bytes, count: size)
    }

    /// Reads the rest of the current entry's data.
    ///
    /// - Parameter limit: the most bytes to accept.
    /// - Returns: the data.
    /// - Throws: ``ArchiveError`` on corrupt data or when the entry is larger than `limit`.
    public func readData(limit: Int = .max) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { (buffer) throws in try read(into: buffer) }
            if count == 0 { return result }
            guard result.count + count <= limit else {
                throw ArchiveError.libarchive(
                    operation: "read data of \(currentPath ?? "entry")",
                    path: path,
                    status: ARCHIVE_FATAL,
                    errno: 0,
                    message: "the entry is larger than the limit of \(limit) bytes"
                )
            }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Closes the archive. Idempotent.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        archive_read_free(handle)
        decompressed?.raw.close()
    }

    private static func metadata(of entry: OpaquePointer) -> ArchiveEntry {
        // The name's bytes as the archive states them (up to a NUL, which libarchive stops at; the tar
        // header check in ``SafeArchiveReader`` sees past it).
        let bytes = archive_entry_pathname(entry).map { Array(UnsafeBufferPointer(start: $0, count: strlen($0))) }
        let pathBytes = bytes.map { $0.map { UInt8(bitPattern: $0) } } ?? []
        let path = String(decoding: pathBytes, as: UTF8.self)
        let kind: ArchiveEntryKind
        var linkTarget: String?
        if let hardlink = archive_entry_hardlink_utf8(entry) ?? archive_entry_hardlink(entry) {
            kind = .hardLink
            linkTarget = String(cString: hardlink)
        } else {
            switch archive_entry_filetype(entry) {
            case mode_t(CArchive_fileTypeRegular()): kind = .regular
            case mode_t(CArchive_fileTypeDirectory()): kind = .directory
            case mode_t(CArchive_fileTypeSymbolicLink()):
                kind = .symbolicLink
                linkTarget = (archive_entry_symlink_utf8(entry) ?? archive_entry_symlink(entry)).map {
                    String(cString: $0)
                }
            default: kind = .other
            }
        }
        return ArchiveEntry(
            path: path,
            kind: kind,
            size: archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0,
            permissions: UInt16(truncatingIfNeeded: archive_entry_perm(entry)),
            modificationTime: Int64(archive_entry_mtime(entry)),
            userID: archive_entry_uid(entry),
            groupID: archive_entry_gid(entry),
            linkTarget: linkTarget,
            pathBytes: pathBytes
        )
    }
}

/// The state behind libarchive's read, skip and seek callbacks: one file and this reader's own offset.
private final class ReadSource {
    let file: ArchiveFile
    let blockSize: Int
    let buffer: UnsafeMutableRawPointer
    var offset: Int64 = 0

    init(file: ArchiveFile, blockSize: Int) {
        self.file = file
        self.blockSize = max(512, blockSize)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: self.blockSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    private static func from(_ data: UnsafeMutableRawPointer?) -> ReadSource {
        Unmanaged<ReadSource>.fromOpaque(data!).takeUnretainedValue()
    }

    static let read:
        @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?)
            -> Int = { archive, data, output in
                let source = from(data)
                let count = source.file.read(into: source.buffer, count: source.blockSize, at: source.offset)
                guard count >= 0 else {
                    CArchive_setError(archive, errno, "read failed")
                    return Int(ARCHIVE_FATAL)
                }
                source.offset += Int64(count)
                output?.pointee = UnsafeRawPointer(source.buffer)
                return count
            }

    static let skip: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int64) -> Int64 = { _, data, request in
        let source = from(data)
        let skipped = max(0, min(request, source.file.size - source.offset))
        source.offset += skipped
        return skipped
    }

    static let seek: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = {
        archive,
        data,
        offset,
        whence in
        let source = from(data)
        let base: Int64
        switch whence {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = source.offset
        case SEEK_END: base = source.file.size
        default: return Int64(ARCHIVE_FATAL)
        }
        guard base + offset >= 0 else {
            CArchive_setError(archive, EINVAL, "seek before the start of the file")
            return Int64(ARCHIVE_FATAL)
        }
        source.offset = base + offset
        return source.offset
    }
}

/// The state behind the read callback of a reader over another reader's decompressed bytes.
private final class DecompressedSource {
    let raw: ArchiveReader
    let tee: ByteTee
    var started = false
    /// What the decompressing reader threw, reported in place of libarchive's summary of it.
    var failure: (any Error)?

    init(raw: ArchiveReader, tee: ByteTee) {
        self.raw = raw
        self.tee = tee
    }

    static let read:
        @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?)
            -> Int = { archive, data, output in
                let source = Unmanaged<DecompressedSource>.fromOpaque(data!).takeUnretainedValue()
                do {
                    if !source.started {
                        source.started = true
                        guard try source.raw.nextEntry() != nil else {
                            source.tee.end()
                            return 0
                        }
                    }
                    // libarchive's own buffer, handed on without a copy: it stays valid until this callback
                    // is called again, as libarchive requires of what a read callback returns.
                    guard let block = try source.raw.readBlock() else {
                        source.tee.end()
                        return 0
                    }
                    source.tee.append(block)
                    output?.pointee = block.baseAddress
                    return block.count
                } catch {
                    source.failure = error
                    CArchive_setError(archive, 0, String(describing: error))
                    return Int(ARCHIVE_FATAL)
                }
            }
}
