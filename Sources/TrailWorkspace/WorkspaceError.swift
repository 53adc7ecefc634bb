internal import TrailIO

/// Everything that can go wrong while reading or writing a workspace. Messages name the operation and
/// the path.
public enum WorkspaceError: Error, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The directory has no `workspace.json`.
    case notAWorkspace(path: String)
    /// A file could not be read (the reader's message says why).
    case unreadable(path: String, message: String)
    /// A file of the workspace is not what the format says.
    case corrupt(path: String, message: String)
    /// The workspace cannot be used for this pull (another platform, a bad project id).
    case incompatible(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .io(let operation, let path, let errno):
            "\(operation) \(path) failed: \(String(cString: strerrorText(errno)))"
        case .notAWorkspace(let path):
            "\(path) is not a PromptTrail workspace: it has no workspace.json"
        case .unreadable(let path, let message):
            "cannot read \(path): \(message)"
        case .corrupt(let path, let message):
            "\(path) is not a valid workspace file: \(message)"
        case .incompatible(let message):
            message
        }
    }
}

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Darwin)
    private import Darwin
#endif

private func strerrorText(_ code: Int32) -> UnsafeMutablePointer<CChar> {
    strerror(code)
}

extension WorkspaceError {
    /// Runs `body`, turning a failed system call (``FileIO``'s ``SystemCallError``) into
    /// ``io(operation:path:errno:)``; other errors pass through.
    static func wrapping<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as SystemCallError {
            throw WorkspaceError.io(operation: error.operation, path: error.path, errno: error.code)
        }
    }
}
