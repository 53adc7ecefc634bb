private import CArchive

/// The one place where libarchive status codes become Swift errors.
enum ArchiveStatus {
    /// The outcome of a libarchive call that did not fail outright.
    enum Outcome {
        case ok
        /// `ARCHIVE_WARN`: the call succeeded with a warning (libarchive's message).
        case warning(String)
        /// `ARCHIVE_EOF`: no more entries.
        case endOfArchive
    }

    /// Maps a libarchive status to an ``Outcome`` or throws ``ArchiveError/libarchive(operation:path:status:errno:message:)``.
    ///
    /// - Parameters:
    ///   - status: the return code (`ARCHIVE_OK`, `ARCHIVE_EOF`, `ARCHIVE_WARN`, `ARCHIVE_RETRY`, `ARCHIVE_FAILED`, `ARCHIVE_FATAL`).
    ///   - archive: the handle, for `archive_error_string` and `archive_errno`.
    ///   - operation: what was being done, for the message.
    ///   - path: the archive or entry path, if any.
    /// - Returns: `.ok`, `.warning` or `.endOfArchive`.
    /// - Throws: ``ArchiveError/libarchive(operation:path:status:errno:message:)`` for
    ///   `ARCHIVE_RETRY`, `ARCHIVE_FAILED` and `ARCHIVE_FATAL`.
    @discardableResult
    static func check(
        _ status: CInt,
        _ archive: OpaquePointer?,
        _ operation: @autoclosure () -> String,
        path: String? = nil
    ) throws -> Outcome {
        switch status {
        case ARCHIVE_OK:
            return .ok
        case ARCHIVE_EOF:
            return .endOfArchive
        case ARCHIVE_WARN:
            return .warning(message(archive))
        default:
            throw ArchiveError.libarchive(
                operation: operation(),
                path: path,
                status: status,
                errno: archive.map { archive_errno($0) } ?? 0,
                message: message(archive)
            )
        }
    }

    /// Checks a byte count returned by `archive_write_data` / `archive_read_data`; negative values are statuses.
    static func check(
        count: Int,
        _ archive: OpaquePointer?,
        _ operation: @autoclosure () -> String,
        path: String? = nil
    ) throws -> Int {
        if count >= 0 { return count }
        try check(CInt(truncatingIfNeeded: count), archive, operation(), path: path)
        return 0
    }

    private static func message(_ archive: OpaquePointer?) -> String {
        guard let archive, let text = archive_error_string(archive) else { return "unknown libarchive error" }
        return String(cString: text)
    }
}
