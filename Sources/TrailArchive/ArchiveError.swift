internal import TrailIO

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// An error raised while writing or reading an archive through libarchive.
public enum ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libarchive could not allocate a handle.
    case allocationFailed(operation: String)
    /// A libarchive call failed; `message` is libarchive's own explanation and `errno` its system error, if any.
    case libarchive(operation: String, path: String?, status: Int32, errno: Int32, message: String)
    /// A file-system step around the archive (temporary file, rename) failed.
    case fileSystem(operation: String, path: String, errno: Int32)
    /// The writer or reader was used after it was finished.
    case closed(operation: String)
    /// Compressing the archive failed; `message` is zlib's explanation.
    case compression(path: String, message: String)
    /// An entry that a safe reader refuses: an absolute path, a `..` segment, a link, a device or a duplicate.
    case unsafeEntry(path: String, reason: String)
    /// The archive goes over a limit of ``ArchiveLimits`` (decompressed bytes, entry count).
    case limitExceeded(path: String, reason: String)

    public var description: String {
        switch self {
        case .allocationFailed(let operation):
            return "\(operation): libarchive could not allocate memory"
        case .libarchive(let operation, let path, _, let errno, let message):
            var text = operation
            if let path { text += " (\(path))" }
            text += ": \(message)"
            if errno != 0 { text += " [errno \(errno)]" }
            return text
        case .fileSystem(let operation, let path, let errno):
            return "\(operation) \(path): \(String(cString: strerror(errno))) [errno \(errno)]"
        case .closed(let operation):
            return "\(operation): the archive is already closed"
        case .compression(let path, let message):
            return "compress \(path): \(message)"
        case .unsafeEntry(let path, let reason):
            return "unsafe archive entry \(path): \(reason)"
        case .limitExceeded(let path, let reason):
            return "archive \(path) refused: \(reason)"
        }
    }
}

extension ArchiveError {
    /// The archive module's form of a failed system call.
    init(_ error: SystemCallError) {
        self = .fileSystem(operation: error.operation, path: error.path, errno: error.code)
    }
}
