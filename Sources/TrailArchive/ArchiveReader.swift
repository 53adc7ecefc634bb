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
/// Accepts tar (any of libarchive's tar dialects) and zip, compressed with any filter libarchive knows
/// (gzip, zstd, xz, bzip2, …). Not `Sendable`: a reader belongs to one task.
public final class ArchiveReader {
    private var handle: OpaquePointer?
    /// The archive being read.
    public let path: String
    private var currentPath: String?

    /// Opens `path` for reading.
    ///
    /// - Parameters:
    ///   - path: the archive file.
    ///   - blockSize: the read size in bytes.
    /// - Throws: ``ArchiveError`` when the file cannot be opened or is not an archive.
    public init(path: String, blockSize: Int = 1 << 16) throws {
        // The corresponding C function is `archive_read_new`.
        guard let handle = archive_read_new() else {
            throw ArchiveError.allocationFailed(operation: "create archive reader")
        }
        self.handle = handle
        self.path = path
        do {
            try ArchiveStatus.check(archive_read_support_filter_all(handle), handle, "enable decompression filters")
            try ArchiveStatus.check(archive_read_support_format_tar(handle), handle, "enable tar format")
            try ArchiveStatus.check(archive_read_support_format_zip(handle), handle, "enable zip format")
            // The corresponding C function is `archive_read_open_filename`.
            try ArchiveStatus.check(
                archive_read_open_filename(handle, path, blockSize),
                handle,
                "open archive",
                path: path
            )
        } catch {
            archive_read_free(handle)
            self.handle = nil
            throw error
        }
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
            let outcome = try ArchiveStatus.check(
                archive_read_next_header(handle, &entry),
                handle,
                "read entry header after \(currentPath ?? "the start")",
                path: path
            )
            if case .endOfArchive = outcome { return nil }
            guard let entry else { return nil }
            let metadata = Self.metadata(of: entry)
            currentPath = metadata.path
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
        return try ArchiveStatus.check(count: count, handle, "read data of \(currentPath ?? "entry")", path: path)
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
    }

    private static func metadata(of entry: OpaquePointer) -> ArchiveEntry {
        let path =
            archive_entry_pathname_utf8(entry).map { String(cString: $0) }
            ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
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
            linkTarget: linkTarget
        )
    }
}
