#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// A failed system call: which, on what path, and the `errno` it set. Each module turns it into its own
/// error type, keeping the three.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operation, as a user reads it (`write`, `fsync`, `rename to`).
    public var operation: String
    /// The file or directory concerned.
    public var path: String
    /// The `errno` value.
    public var code: Int32

    /// Creates the error.
    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The system's text for ``code``.
    public var message: String { String(cString: strerror(code)) }

    public var description: String { "\(operation) \(path): \(message)" }
}
