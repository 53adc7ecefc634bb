/// Reads an archive like ``ArchiveReader``, refusing anything that could escape or exhaust an extraction
/// target: names that break ``ArchivePath``'s byte rules, symbolic and hard links, devices, FIFOs,
/// duplicate paths, and archives over the ``ArchiveLimits``. In a tar archive every entry's name is also
/// read from the tar headers themselves (``TarHeaderCheck``), so a NUL that libarchive would cut the name
/// at is refused rather than hidden.
///
/// Directory entries are checked and then skipped: a bag needs none, and ``ArchiveExtraction`` creates
/// directories itself. Every byte of data is counted, including the data of entries the caller does not
/// read (they are drained before the next header), so a decompression bomb stops at the limit whatever
/// its headers claim. Not `Sendable`: a reader belongs to one task.
public final class SafeArchiveReader {
    private let reader: ArchiveReader
    private let file: ArchiveFile
    private var headers: TarHeaderCheck?
    private let checksTarHeaders: Bool
    /// For a compressed archive, the bytes libarchive's tar reader was handed, for the header check (internal,
    /// so that tests can see what it holds).
    let tee: ByteTee?
    /// The limits being enforced.
    public let limits: ArchiveLimits
    /// The archive being read.
    public var path: String { reader.path }
    /// Decompressed data bytes read so far, over all entries.
    public private(set) var totalBytes: Int64 = 0
    /// Entries seen so far, directories included.
    public private(set) var entryCount = 0
    private var seen: Set<String> = []
    private var current: ArchiveEntry?
    /// The entry whose data is being read, if any.
    public var currentEntry: ArchiveEntry? { current }
    private var currentBytes: Int64 = 0
    private var drainBuffer: [UInt8] = []

    /// Opens `path` for safe reading.
    ///
    /// - Parameters:
    ///   - path: the archive file.
    ///   - limits: the bounds to enforce.
    /// - Throws: ``ArchiveError`` when the file cannot be opened or is not an archive.
    public convenience init(path: String, limits: ArchiveLimits = .default) throws {
        try self.init(file: ArchiveFile(path: path), limits: limits)
    }

    /// Starts a safe read of `file` from its first byte; other readers of the same file are unaffected.
    ///
    /// - Parameters:
    ///   - file: the opened archive.
    ///   - limits: the bounds to enforce.
    /// - Throws: ``ArchiveError`` when the file is not an archive.
    public convenience init(file: ArchiveFile, limits: ArchiveLimits = .default) throws {
        try self.init(file: file, limits: limits, checksTarHeaders: true)
    }

    /// Starts a safe read of `file`; without `checksTarHeaders` the tar headers are not read beside
    /// libarchive (``TarHeaderCheck``), which saves a copy of the decompressed bytes.
    ///
    /// Only for a read whose every entry another read of the same file checks before anything is decided:
    /// the verifier's tag pass and lineage reader, whose names its main pass checks.
    ///
    /// - Parameters:
    ///   - file: the opened archive.
    ///   - limits: the bounds to enforce.
    ///   - checksTarHeaders: whether to read the tar headers beside libarchive.
    /// - Throws: ``ArchiveError`` when the file is not an archive.
    public init(file: ArchiveFile, limits: ArchiveLimits = .default, checksTarHeaders: Bool) throws {
        // A file the raw reader cannot open gets the tar reader's own error below.
        let raw = checksTarHeaders ? try? ArchiveReader(file: file, raw: true) : nil
        if let raw, raw.isCompressed {
            // Decompressed once: the tar reader and the header check read the same bytes.
            let tee = ByteTee()
            reader = try ArchiveReader(decompressing: raw, tee: tee)
            self.tee = tee
        } else {
            raw?.close()
            reader = try ArchiveReader(file: file)
            tee = nil
        }
        self.file = file
        self.limits = limits
        self.checksTarHeaders = checksTarHeaders
    }

    /// Moves to the next regular file and returns its metadata with a normalized path, or `nil` at the end.
    ///
    /// - Returns: the next regular file's metadata.
    /// - Throws: ``ArchiveError/unsafeEntry(path:reason:)`` or ``ArchiveError/limitExceeded(path:reason:)``
    ///   for a refused entry, ``ArchiveError`` for a corrupt archive.
    public func nextEntry() throws -> ArchiveEntry? {
        try drainCurrent()
        while let entry = try reader.nextEntry() {
            entryCount += 1
            guard entryCount <= limits.maxEntries else {
                throw ArchiveError.limitExceeded(
                    path: reader.path,
                    reason: "more than \(limits.maxEntries) entries"
                )
            }
            var normalized = entry
            normalized.path = try ArchivePath.normalize(entry.pathBytes)
            if entryCount == 1, checksTarHeaders {
                if !reader.isTar {
                    tee?.stopRecording()
                } else if let tee {
                    headers = TarHeaderCheck(tee: tee, path: file.path)
                } else {
                    headers = try TarHeaderCheck(file: file)
                }
            }
            if let headers {
                let stated = try headers.nextName()
                guard stated == entry.pathBytes else {
                    throw ArchiveError.unsafeEntry(
                        path: ArchivePath.display(stated ?? []),
                        reason: "the tar header names it differently from what libarchive reports "
                            + "(\(ArchivePath.display(entry.pathBytes)))"
                    )
                }
            }
            switch entry.kind {
            case .regular:
                break
            case .directory:
                continue
            case .symbolicLink:
                throw ArchiveError.unsafeEntry(
                    path: entry.path,
                    reason: "symbolic link to \(entry.linkTarget ?? "?") (links are never extracted)"
                )
            case .hardLink:
                throw ArchiveError.unsafeEntry(
                    path: entry.path,
                    reason: "hard link to \(entry.linkTarget ?? "?") (links are never extracted)"
                )
            case .other:
                throw ArchiveError.unsafeEntry(path: normalized.path, reason: "device, FIFO or socket")
            }
            guard seen.insert(normalized.path).inserted else {
                throw ArchiveError.unsafeEntry(path: normalized.path, reason: "duplicate entry")
            }
            guard entry.size >= 0, entry.size <= limits.maxTotalBytes - totalBytes else {
                throw ArchiveError.limitExceeded(
                    path: reader.path,
                    reason:
                        "entry \(normalized.path) would take the decompressed size over \(limits.maxTotalBytes) bytes"
                )
            }
            current = normalized
            currentBytes = 0
            return normalized
        }
        current = nil
        return nil
    }

    /// Reads the next chunk of the current entry's data, counting it against the limits.
    ///
    /// - Parameter buffer: where to put the bytes.
    /// - Returns: the number of bytes read; 0 at the end of the entry.
    /// - Throws: ``ArchiveError/limitExceeded(path:reason:)`` past the limit, ``ArchiveError`` on corrupt data.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let current else { return 0 }
        let count = try reader.read(into: buffer)
        totalBytes += Int64(count)
        currentBytes += Int64(count)
        guard totalBytes <= limits.maxTotalBytes else {
            throw ArchiveError.limitExceeded(
                path: reader.path,
                reason: "decompressed size over \(limits.maxTotalBytes) bytes (at \(current.path))"
            )
        }
        if current.size > 0, currentBytes > current.size {
            throw ArchiveError.unsafeEntry(
                path: current.path,
                reason: "more data than the declared \(current.size) bytes"
            )
        }
        return count
    }

    /// Reads the rest of the current entry's data.
    ///
    /// - Parameter limit: the most bytes to accept for this entry.
    /// - Returns: the data.
    /// - Throws: ``ArchiveError/limitExceeded(path:reason:)`` when the entry is larger than `limit`.
    public func readData(limit: Int = .max) throws -> [UInt8] {
        try Self.readData(limit: limit, archive: reader.path, entry: current?.path ?? "?", read: read(into:))
    }

    /// Reads what `read` hands over until it hands over nothing, as ``readData(limit:)`` reads an entry: for
    /// readers that take an entry's data from a ``SafeArchiveReader`` elsewhere (on another thread, say).
    ///
    /// - Parameters:
    ///   - limit: the most bytes to accept.
    ///   - archive: the archive's path, and `entry` the entry's, for the error.
    ///   - entry: the entry's path.
    ///   - read: fills a buffer with the next bytes and returns how many; 0 at the end.
    /// - Returns: the data.
    /// - Throws: ``ArchiveError/limitExceeded(path:reason:)`` over `limit`, or what `read` throws.
    public static func readData(
        limit: Int,
        archive: String,
        entry: String,
        read: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { (buffer) throws in try read(buffer) }
            if count == 0 { return result }
            guard result.count + count <= limit else {
                throw ArchiveError.limitExceeded(
                    path: archive,
                    reason: "entry \(entry) is larger than \(limit) bytes"
                )
            }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Closes the archive. Idempotent.
    public func close() {
        reader.close()
    }

    private func drainCurrent() throws {
        guard current != nil else { return }
        if drainBuffer.isEmpty { drainBuffer = [UInt8](repeating: 0, count: 1 << 16) }
        while try drainBuffer.withUnsafeMutableBytes({ (buffer) throws in try read(into: buffer) }) > 0 {}
        current = nil
    }
}
