/// An error raised while compressing or decompressing a gzip stream or a zstd frame.
public enum CompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// zlib refused to set up a stream (usually out of memory).
    case initializationFailed(operation: String, code: Int32)
    /// The input is not gzip data, or is corrupt; `message` is zlib's own explanation.
    case corruptData(message: String)
    /// The input ended before the end of the gzip stream.
    case truncated
    /// The decompressed data would exceed the caller's limit.
    case limitExceeded(limit: Int)
    /// Any other zlib failure.
    case zlib(operation: String, code: Int32, message: String)
    /// A libzstd failure, with libzstd's explanation.
    case zstd(operation: String, message: String)

    public var description: String {
        switch self {
        case .initializationFailed(let operation, let code):
            "could not start \(operation) (zlib status \(code)); the process may be out of memory"
        case .corruptData(let message):
            "the gzip data is corrupt: \(message)"
        case .truncated:
            "the gzip data ends early: the file is truncated"
        case .limitExceeded(let limit):
            "the decompressed data exceeds the limit of \(limit) bytes"
        case .zlib(let operation, let code, let message):
            "\(operation) failed: \(message) (zlib status \(code))"
        case .zstd(let operation, let message):
            "zstd \(operation) failed: \(message)"
        }
    }
}
