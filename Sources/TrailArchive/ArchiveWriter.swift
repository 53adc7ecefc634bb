private import CArchive
private import TrailCompression
private import TrailIO

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// The container format of an archive.
public enum ArchiveFormat: Sendable, Equatable {
    /// POSIX tar (pax interchange format, restricted: pax headers only where ustar cannot express an entry).
    case tar
    /// ZIP (each entry deflated).
    case zip
}

/// The compression filter around a tar archive.
public enum ArchiveCompression: Sendable, Equatable {
    case none
    case gzip
    case zstd
    case xz
}

extension ArchiveCompression {
    /// The libarchive option string that makes this filter's output reproducible, with an optional level
    /// and worker count.
    ///
    /// - gzip: the header carries no timestamp (`gzip:!timestamp`) and libarchive writes no file name.
    /// - zstd: with `threads` of 1 or more, zstd runs in its multi-threaded mode, whose output is the same
    ///   for every worker count (zstd's documented guarantee); 0 keeps the single-threaded mode, whose
    ///   output differs. Callers that promise identical bytes across machines pass 1 or more.
    /// - xz: single-threaded; `threads` is ignored because xz's block splitting depends on it.
    ///
    /// - Parameters:
    ///   - level: the compression level, or `nil` for the filter's default.
    ///   - threads: zstd workers, or `nil` for libarchive's default.
    /// - Returns: an option string for ``ArchiveWriter/init(path:format:compression:options:)``, or `nil`.
    public func reproducibleOptions(level: Int? = nil, threads: Int? = nil) -> String? {
        var options: [String] = []
        switch self {
        case .none:
            break
        case .gzip:
            options.append("gzip:!timestamp")
            if let level { options.append("gzip:compression-level=\(level)") }
        case .zstd:
            if let level { options.append("zstd:compression-level=\(level)") }
            if let threads { options.append("zstd:threads=\(threads)") }
        case .xz:
            if let level { options.append("xz:compression-level=\(level)") }
        }
        return options.isEmpty ? nil : options.joined(separator: ",")
    }
}

/// gzip compression of a tar archive on several threads (``ArchiveWriter`` then compresses libarchive's tar
/// stream itself, in fixed blocks joined into one gzip member, instead of through libarchive's gzip filter).
///
/// The output is a standard gzip file with no name and no timestamp, and its bytes are the same for every
/// thread count.
public struct ParallelGzip: Sendable, Equatable {
    /// The zlib level, 0–9 (gzip's default is 6).
    public var level: Int
    /// Compression threads.
    public var threads: Int

    /// - Parameters:
    ///   - level: the zlib level, 0–9.
    ///   - threads: compression threads (1 compresses on the writing thread).
    public init(level: Int = 6, threads: Int) {
        self.level = level
        self.threads = threads
    }
}

/// zstd compression of a tar archive done in-process, in independent frames (``ArchiveWriter`` then
/// compresses libarchive's tar stream itself with ``ParallelZstdEncoder`` instead of through libarchive's
/// zstd filter), so that an entry's data compressed ahead of time (``FrameSpool``) can be joined in as
/// whole frames (``ArchiveWriter/writeSplicedEntry(_:frames:)``).
///
/// The bytes are the same for every thread count.
public struct SplicingZstd: Sendable, Equatable {
    /// The zstd level, 1–22.
    public var level: Int
    /// Compression threads (1 compresses on the writing thread).
    public var threads: Int

    /// - Parameters:
    ///   - level: the zstd level, 1–22.
    ///   - threads: compression threads.
    public init(level: Int = 3, threads: Int) {
        self.level = level
        self.threads = threads
    }
}

/// A byte range of a file that holds whole zstd frames: an entry's data, compressed ahead of time with the
/// same ``SplicingZstd`` settings, for ``ArchiveWriter/writeSplicedEntry(_:frames:)``.
public struct SplicedFrames: Sendable, Equatable {
    /// The file holding the frames.
    public var path: String
    /// Where the first frame starts.
    public var offset: Int64
    /// The frames' length in bytes (0 for an empty entry).
    public var length: Int64

    public init(path: String, offset: Int64, length: Int64) {
        self.path = path
        self.offset = offset
        self.length = length
    }
}

/// Writes an archive through libarchive, one entry at a time, with bounded memory.
///
/// Use ``write(to:format:compression:options:_:)`` so that only a complete archive appears on disk.
/// Not `Sendable`: a writer belongs to one task.
public final class ArchiveWriter {
    private var handle: OpaquePointer?
    private let entry: OpaquePointer
    /// The file being written.
    public let path: String
    private var remaining: Int64 = 0
    private var currentPath: String?
    private let sink: CompressingFileSink?

    /// Opens `path` for writing (creating or truncating it).
    ///
    /// - Parameters:
    ///   - path: the file to write.
    ///   - format: tar or zip.
    ///   - compression: the filter around a tar archive; ignored for zip.
    ///   - options: libarchive option string, e.g. `"zstd:compression-level=3"`.
    ///   - parallelGzip: for a tar archive with `.gzip` compression, compress on several threads; the gzip
    ///     options in `options` then do not apply.
    ///   - splicingZstd: for a tar archive with `.zstd` compression, compress in-process so that
    ///     ``writeSplicedEntry(_:frames:)`` can be used; the zstd options in `options` then do not apply.
    /// - Throws: ``ArchiveError`` when libarchive cannot set up the format, filter or file.
    public init(
        path: String,
        format: ArchiveFormat,
        compression: ArchiveCompression = .none,
        options: String? = nil,
        parallelGzip: ParallelGzip? = nil,
        splicingZstd: SplicingZstd? = nil
    ) throws {
        // The corresponding C function is `archive_write_new`.
        guard let handle = archive_write_new() else {
            throw ArchiveError.allocationFailed(operation: "create archive writer")
        }
        guard let entry = archive_entry_new() else {
            archive_write_free(handle)
            throw ArchiveError.allocationFailed(operation: "create archive entry")
        }
        self.handle = handle
        self.entry = entry
        self.path = path
        let gzipSettings = format == .tar && compression == .gzip ? parallelGzip : nil
        let zstdSettings = format == .tar && compression == .zstd ? splicingZstd : nil
        let settings = gzipSettings.map(CompressingFileSink.Settings.gzip) ?? zstdSettings.map { .zstd($0) }
        sink = settings.map { CompressingFileSink(path: path, settings: $0) }
        do {
            switch format {
            case .tar:
                try ArchiveStatus.check(archive_write_set_format_pax_restricted(handle), handle, "set tar format")
                switch compression {
                case .none: break
                case .gzip where gzipSettings != nil: break
                case .gzip: try ArchiveStatus.check(archive_write_add_filter_gzip(handle), handle, "add gzip filter")
                case .zstd where zstdSettings != nil:
                    // Unblocked: each header reaches the sink while `archive_write_header` runs, before the data.
                    try ArchiveStatus.check(archive_write_set_bytes_per_block(handle, 0), handle, "set block size")
                case .zstd: try ArchiveStatus.check(archive_write_add_filter_zstd(handle), handle, "add zstd filter")
                case .xz: try ArchiveStatus.check(archive_write_add_filter_xz(handle), handle, "add xz filter")
                }
            case .zip:
                try ArchiveStatus.check(archive_write_set_format_zip(handle), handle, "set zip format")
            }
            // With in-process compression there is no libarchive filter for its options to reach.
            let options = options.flatMap { options in
                settings == nil
                    ? options
                    : options.split(separator: ",").filter { !$0.hasPrefix("gzip:") && !$0.hasPrefix("zstd:") }
                        .joined(separator: ",")
            }
            if let options, !options.isEmpty {
                try ArchiveStatus.check(archive_write_set_options(handle, options), handle, "set options \(options)")
            }
            if let sink {
                try sink.openFile()
                // The corresponding C function is `archive_write_open`.
                let status = archive_write_open(
                    handle,
                    Unmanaged.passUnretained(sink).toOpaque(),
                    nil,
                    { _, context, buffer, length in
                        CompressingFileSink.from(context).consume(buffer, length)
                    },
                    { _, context in CompressingFileSink.from(context).finishFile() }
                )
                try sink.check()
                try ArchiveStatus.check(status, handle, "open for writing", path: path)
            } else {
                // The corresponding C function is `archive_write_open_filename`.
                try ArchiveStatus.check(
                    archive_write_open_filename(handle, path),
                    handle,
                    "open for writing",
                    path: path
                )
            }
        } catch {
            // Every stored property is set, so `deinit` runs and frees the entry.
            archive_write_free(handle)
            self.handle = nil
            throw error
        }
    }

    deinit {
        if let handle { archive_write_free(handle) }
        archive_entry_free(entry)
    }

    /// Writes an entry's header; follow it with exactly `entry.size` bytes through ``write(_:)``.
    ///
    /// - Parameter metadata: the entry; its `size` must be the exact data size.
    /// - Throws: ``ArchiveError`` when the header cannot be written, or the previous entry was left short.
    public func beginEntry(_ metadata: ArchiveEntry) throws {
        try UTF8Locale.run { () throws -> Void in
            let handle = try open("write entry \(metadata.path)")
            try checkPreviousEntryComplete()
            archive_entry_clear(entry)
            archive_entry_set_pathname_utf8(entry, metadata.path)
            archive_entry_set_size(entry, metadata.kind == .regular ? metadata.size : 0)
            archive_entry_set_filetype(entry, Self.fileType(metadata.kind))
            archive_entry_set_perm(entry, mode_t(metadata.permissions))
            archive_entry_set_mtime(entry, time_t(metadata.modificationTime), 0)
            archive_entry_set_uid(entry, metadata.userID)
            archive_entry_set_gid(entry, metadata.groupID)
            if let target = metadata.linkTarget {
                switch metadata.kind {
                case .symbolicLink: archive_entry_set_symlink_utf8(entry, target)
                case .hardLink: archive_entry_set_hardlink_utf8(entry, target)
                default: break
                }
            }
            // The corresponding C function is `archive_write_header`.
            try ArchiveStatus.check(
                archive_write_header(handle, entry),
                handle,
                "write entry header",
                path: metadata.path
            )
            remaining = metadata.kind == .regular ? metadata.size : 0
            currentPath = metadata.path
        }
    }

    /// Writes the next bytes of the current entry, looping on short writes.
    ///
    /// - Parameter bytes: data; the total over all calls must equal the entry's declared size.
    /// - Throws: ``ArchiveError`` on a write failure or when more bytes arrive than declared.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        let handle = try open("write entry data")
        guard Int64(bytes.count) <= remaining else {
            throw ArchiveError.libarchive(
                operation: "write entry data",
                path: currentPath,
                status: ARCHIVE_FATAL,
                errno: 0,
                message: "\(bytes.count) bytes exceed the \(remaining) bytes left of the declared size"
            )
        }
        var offset = 0
        while offset < bytes.count {
            // The corresponding C function is `archive_write_data`.
            let written = archive_write_data(handle, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 { try sink?.check() }
            let count = try ArchiveStatus.check(count: written, handle, "write entry data", path: currentPath)
            guard count > 0 else {
                throw ArchiveError.libarchive(
                    operation: "write entry data",
                    path: currentPath,
                    status: ARCHIVE_FATAL,
                    errno: 0,
                    message: "libarchive accepted no bytes"
                )
            }
            offset += count
        }
        remaining -= Int64(bytes.count)
    }

    /// Writes a whole regular file: header and contents.
    ///
    /// - Parameters:
    ///   - metadata: the entry; its size is set from `contents`.
    ///   - contents: the file's bytes.
    /// - Throws: ``ArchiveError`` on failure.
    public func writeFile(_ metadata: ArchiveEntry, contents: some Collection<UInt8>) throws {
        var metadata = metadata
        metadata.kind = .regular
        metadata.size = Int64(contents.count)
        try beginEntry(metadata)
        let bytes = Array(contents)
        try bytes.withUnsafeBytes { (buffer) throws in try write(buffer) }
    }

    /// Writes a regular file whose data was compressed ahead of time: its header goes through libarchive and
    /// the encoder, then the current zstd frame ends and `frames` are copied into the archive as they are.
    ///
    /// Only for a writer made with ``SplicingZstd``. The frames must decompress to exactly `metadata.size`
    /// bytes (the caller compressed them; nothing here decompresses them to check).
    ///
    /// - Parameters:
    ///   - metadata: the entry; its `size` is the frames' decompressed size.
    ///   - frames: where the compressed data is.
    /// - Throws: ``ArchiveError`` when the writer cannot splice, or on a read or write failure.
    public func writeSplicedEntry(_ metadata: ArchiveEntry, frames: SplicedFrames) throws {
        guard let sink, sink.splices else {
            throw ArchiveError.compression(
                path: metadata.path,
                message: "only a writer made with SplicingZstd can splice compressed data"
            )
        }
        var metadata = metadata
        metadata.kind = .regular
        try beginEntry(metadata)
        try sink.splice(frames)
        // libarchive counts the entry's bytes and pads it: it is handed zeros, which the sink drops.
        sink.discard(metadata.size)
        try Self.zeros.withUnsafeBytes { zeros in
            while remaining > 0 {
                try write(UnsafeRawBufferPointer(rebasing: zeros[0..<Int(min(remaining, Int64(zeros.count)))]))
            }
        }
        try sink.check()
    }

    private static let zeros = [UInt8](repeating: 0, count: 1 << 20)

    /// Finishes the archive: flushes compression, writes trailers and closes the file. Idempotent.
    ///
    /// - Throws: ``ArchiveError`` when the last entry is short or the data cannot be flushed.
    public func finish() throws {
        guard let handle else { return }
        defer { archive_write_free(handle) }
        self.handle = nil
        try checkPreviousEntryComplete()
        // The corresponding C function is `archive_write_close`.
        let status = archive_write_close(handle)
        try sink?.check()
        try ArchiveStatus.check(status, handle, "finish archive", path: path)
    }

    private func open(_ operation: String) throws -> OpaquePointer {
        guard let handle else { throw ArchiveError.closed(operation: operation) }
        return handle
    }

    private func checkPreviousEntryComplete() throws {
        guard remaining == 0 else {
            throw ArchiveError.libarchive(
                operation: "finish entry",
                path: currentPath,
                status: ARCHIVE_FATAL,
                errno: 0,
                message: "\(remaining) bytes of the declared size were never written"
            )
        }
    }

    private static func fileType(_ kind: ArchiveEntryKind) -> mode_t {
        switch kind {
        case .regular, .other: mode_t(CArchive_fileTypeRegular())
        case .directory: mode_t(CArchive_fileTypeDirectory())
        case .symbolicLink: mode_t(CArchive_fileTypeSymbolicLink())
        case .hardLink: mode_t(CArchive_fileTypeRegular())
        }
    }
}

extension ArchiveWriter {
    /// Writes an archive so that it appears at `path` only when complete.
    ///
    /// The archive is written to a temporary file in the same directory and renamed over `path` after
    /// libarchive has closed it; if `body` or any step throws, the temporary file is removed and `path`
    /// is left as it was.
    ///
    /// - Parameters:
    ///   - path: the final archive path.
    ///   - format: tar or zip.
    ///   - compression: the filter around a tar archive.
    ///   - options: libarchive option string.
    ///   - parallelGzip: for `.gzip`, compress on several threads (see ``ParallelGzip``).
    ///   - splicingZstd: for `.zstd`, compress in-process (see ``SplicingZstd``).
    ///   - body: writes the entries.
    /// - Returns: what `body` returns.
    /// - Throws: ``ArchiveError``, or whatever `body` throws.
    public static func write<Result>(
        to path: String,
        format: ArchiveFormat,
        compression: ArchiveCompression = .none,
        options: String? = nil,
        parallelGzip: ParallelGzip? = nil,
        splicingZstd: SplicingZstd? = nil,
        _ body: (ArchiveWriter) throws -> Result
    ) throws -> Result {
        let temporary = TemporaryPath.sibling(of: path)
        do {
            let writer = try ArchiveWriter(
                path: temporary,
                format: format,
                compression: compression,
                options: options,
                parallelGzip: parallelGzip,
                splicingZstd: splicingZstd
            )
            let result = try body(writer)
            try writer.finish()
            try TemporaryPath.commit(temporary, to: path)
            return result
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

/// The destination of a tar stream that PromptTrail compresses itself: libarchive hands it the tar bytes
/// through its write callback, and it compresses them with ``ParallelGzipEncoder`` or ``ParallelZstdEncoder``
/// into the file.
///
/// Errors cannot cross the C callbacks, so the first one is kept and rethrown by ``check()``.
private final class CompressingFileSink {
    enum Settings {
        case gzip(ParallelGzip)
        case zstd(SplicingZstd)
    }

    private enum Encoder {
        case gzip(ParallelGzipEncoder)
        case zstd(ParallelZstdEncoder)
    }

    let path: String
    let settings: Settings
    private var descriptor: Int32 = -1
    private var encoder: Encoder?
    private var failure: ArchiveError?
    /// Bytes libarchive will hand over that stand for spliced data, dropped as they come.
    private var discarding: Int64 = 0

    init(path: String, settings: Settings) {
        self.path = path
        self.settings = settings
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> CompressingFileSink {
        Unmanaged<CompressingFileSink>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Whether ``splice(_:)`` can be used.
    var splices: Bool {
        if case .zstd = settings { true } else { false }
    }

    func openFile() throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw ArchiveError.fileSystem(operation: "create", path: path, errno: errno) }
        switch settings {
        case .gzip(let settings):
            encoder = .gzip(
                ParallelGzipEncoder(level: settings.level, threads: settings.threads) { [unowned self] bytes in
                    try bytes.withUnsafeBytes { try writeAll($0) }
                }
            )
        case .zstd(let settings):
            encoder = .zstd(
                ParallelZstdEncoder(level: settings.level, threads: settings.threads) { [unowned self] bytes in
                    try bytes.withUnsafeBytes { try writeAll($0) }
                }
            )
        }
    }

    /// Rethrows the first failure of a callback.
    func check() throws {
        if let failure { throw failure }
    }

    func consume(_ buffer: UnsafeRawPointer?, _ length: Int) -> Int {
        guard failure == nil, let encoder else { return -1 }
        let dropped = Int(min(Int64(length), discarding))
        discarding -= Int64(dropped)
        guard dropped < length else { return length }
        let bytes = UnsafeRawBufferPointer(start: buffer.map { $0 + dropped }, count: length - dropped)
        do {
            switch encoder {
            case .gzip(let gzip): try gzip.write(bytes)
            case .zstd(let zstd): try zstd.write(bytes)
            }
            return length
        } catch {
            record(error)
            return -1
        }
    }

    /// Drops the next `count` bytes libarchive hands over.
    func discard(_ count: Int64) {
        discarding += count
    }

    /// Ends the current zstd frame and copies `frames` into the file.
    func splice(_ frames: SplicedFrames) throws {
        guard case .zstd(let zstd) = encoder else {
            throw ArchiveError.compression(path: frames.path, message: "only zstd frames can be spliced")
        }
        do { try zstd.flush() } catch {
            throw (error as? ArchiveError) ?? .compression(path: path, message: "\(error)")
        }
        guard frames.length > 0 else { return }
        let source = open(frames.path, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw ArchiveError.fileSystem(operation: "open", path: frames.path, errno: errno) }
        defer { close(source) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        while done < frames.length {
            let want = Int(min(Int64(buffer.count), frames.length - done))
            let count: Int
            do throws(SystemCallError) {
                count = try FileIO.read(
                    source,
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]),
                    at: Int(frames.offset + done),
                    path: frames.path
                )
            } catch {
                throw ArchiveError(error)
            }
            guard count > 0 else {
                throw ArchiveError.compression(path: frames.path, message: "the compressed data ends early")
            }
            try writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            done += Int64(count)
        }
    }

    func finishFile() -> Int32 {
        defer {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            encoder = nil
        }
        guard failure == nil, let encoder else { return ARCHIVE_FATAL }
        do {
            switch encoder {
            case .gzip(let gzip): try gzip.finish()
            case .zstd(let zstd): try zstd.finish()
            }
            return ARCHIVE_OK
        } catch {
            record(error)
            return ARCHIVE_FATAL
        }
    }

    private func record(_ error: any Error) {
        guard failure == nil else { return }
        failure = (error as? ArchiveError) ?? .compression(path: path, message: "\(error)")
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        do throws(SystemCallError) {
            try FileIO.writeAll(bytes, to: descriptor, path: path)
        } catch {
            throw ArchiveError(error)
        }
    }
}
