private import TrailIO
import TrailJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which local files a schema may load through `file:` references, and how they are read.
///
/// A schema given by a user can reference any `file:` URI, so reading one must never hang, exhaust memory or
/// reveal a file's content:
///
/// - only regular files are read: a device (`/dev/zero`), FIFO, socket or directory is refused before it is
///   opened, and the file is opened non-blocking and checked again on the open descriptor;
/// - a file larger than ``maxBytes`` (16 MiB by default) is refused, and at most `maxBytes + 1` bytes are ever
///   read, so a file that grows while it is read stays bounded;
/// - the file's real path (symbolic links and `..` resolved) must be inside one of ``directories``;
/// - a file that is not JSON is reported by line and column only, never with its content.
///
/// Every refusal is a ``SchemaError/unloadableReference(reference:location:reason:)`` naming the reference.
/// URIs other than `file:` are left to other loaders, so nothing is ever fetched over the network.
public struct LocalSchemaFiles: Sendable {
    /// The default size limit for a schema file: 16 MiB, far above any real schema.
    public static let defaultMaxBytes = 16 << 20

    /// The folders, as real paths, that referenced files must be in; `nil` allows any local regular file.
    public let directories: [String]?
    /// The largest file read, in bytes.
    public let maxBytes: Int
    /// Added to the reason when a file is outside ``directories`` (for example how to allow more).
    public let outsideHint: String
    /// Whether a pipe or FIFO is read too (still at most ``maxBytes``), for a schema named on the command line
    /// such as `--schema <(generate-schema)`; never for references, where a FIFO could block forever.
    public let acceptsPipes: Bool

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - directories: the folders referenced files must be in (resolved to real paths here; a folder that
    ///     does not exist allows nothing), or `nil` for any local regular file.
    ///   - maxBytes: the size limit (16 MiB by default).
    ///   - outsideHint: text added to the reason when a file is outside `directories`.
    ///   - acceptsPipes: whether a pipe or FIFO is read too (`false` by default).
    public init(
        directories: [String]?,
        maxBytes: Int = defaultMaxBytes,
        outsideHint: String = "",
        acceptsPipes: Bool = false
    ) {
        self.directories = directories.map { folders in folders.compactMap(Self.realPath) }
        self.maxBytes = min(max(0, maxBytes), Int.max - 1)
        self.outsideHint = outsideHint
        self.acceptsPipes = acceptsPipes
    }

    /// A registry loader for `file:` URIs under this policy; it returns `nil` for any other URI.
    public var loader: SchemaRegistry.Loader {
        let policy = self
        return { uri in
            guard uri.lowercased().hasPrefix("file:") else { return nil }
            do throws(Refusal) {
                guard let path = Self.path(fromFileURI: uri) else {
                    throw Refusal("is not a local file URI (only file:///path is read)")
                }
                return try policy.document(atPath: path)
            } catch {
                throw SchemaError.unloadableReference(reference: uri, location: "", reason: error.reason)
            }
        }
    }

    /// Reads a schema file's bytes: a regular file inside ``directories``, at most ``maxBytes`` long.
    ///
    /// - Parameter path: the file's path.
    /// - Returns: the file's bytes.
    /// - Throws: ``SchemaError/unloadableReference(reference:location:reason:)`` naming `path` when the file is
    ///   missing, not a regular file, outside the allowed folders, too large or unreadable.
    public func bytes(atPath path: String) throws -> [UInt8] {
        do throws(Refusal) {
            return try contents(ofPath: path)
        } catch {
            throw SchemaError.unloadableReference(reference: path, location: "", reason: error.reason)
        }
    }

    // MARK: Reading

    /// Why a file is refused, as a phrase that follows its name ("is not a regular file").
    struct Refusal: Error {
        var reason: String

        init(_ reason: String) {
            self.reason = reason
        }
    }

    func document(atPath path: String) throws(Refusal) -> JSONValue {
        let bytes = try contents(ofPath: path)
        do {
            return try JSONValue(parsing: bytes)
        } catch let error as JSONParseError {
            // Line, column and kind only: the message of a parse error can quote the input.
            throw Refusal("is not JSON (line \(error.line), column \(error.column): \(Self.describe(error.code)))")
        } catch {
            throw Refusal("is not JSON")
        }
    }

    func contents(ofPath path: String) throws(Refusal) -> [UInt8] {
        guard !path.isEmpty, !path.utf8.contains(0) else { throw Refusal("is not a valid path") }
        var target = path
        var flags = O_RDONLY | O_CLOEXEC | O_NOCTTY
        if let directories {
            guard let resolved = Self.realPath(path) else {
                let code = errno
                throw Refusal(code == ENOENT ? "does not exist" : "cannot be resolved: \(Self.message(code))")
            }
            guard directories.contains(where: { Self.isInside(resolved, $0) }) else {
                let allowed = directories.isEmpty ? "none" : directories.joined(separator: ", ")
                throw Refusal("is outside the folders schema files may be read from (\(allowed))\(outsideHint)")
            }
            // The real path has no symbolic link left; one put in its place later is not followed.
            target = resolved
            flags |= O_NOFOLLOW
        }
        // Checked before opening, so that no device is ever opened, and again on the descriptor, in case the
        // path was replaced in between. A regular file is opened non-blocking, so that a FIFO put in its place
        // cannot block the open.
        var status = stat()
        guard stat(target, &status) == 0 else {
            let code = errno
            throw Refusal(code == ENOENT ? "does not exist" : "cannot be read: \(Self.message(code))")
        }
        try check(status)
        if status.st_mode & S_IFMT != S_IFIFO { flags |= O_NONBLOCK }
        let descriptor = open(target, flags)
        guard descriptor >= 0 else { throw Refusal("cannot be read: \(Self.message(errno))") }
        defer { _ = close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { throw Refusal("cannot be read: \(Self.message(errno))") }
        try check(status)
        let limit = maxBytes + 1
        var bytes = [UInt8](repeating: 0, count: min(limit, Int(status.st_size) + 1))
        var count = 0
        while count < limit {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: min(limit - count, max(4096, count))) }
            let got: Int
            do {
                got = try bytes.withUnsafeMutableBytes { buffer in
                    try FileIO.read(
                        descriptor,
                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]),
                        path: ""
                    )
                }
            } catch {
                throw Refusal("cannot be read: \((error as? SystemCallError)?.message ?? "\(error)")")
            }
            if got == 0 { break }
            count += got
        }
        guard count <= maxBytes else { throw tooLarge }
        bytes.removeSubrange(count...)
        return bytes
    }

    private var tooLarge: Refusal {
        Refusal("is larger than the limit of \(Self.size(maxBytes)) for a schema file")
    }

    private func check(_ status: stat) throws(Refusal) {
        let kind = status.st_mode & S_IFMT
        if kind == S_IFIFO && acceptsPipes { return }
        guard kind == S_IFREG else {
            let name: String
            switch kind {
            case S_IFCHR: name = "a character device"
            case S_IFBLK: name = "a block device"
            case S_IFIFO: name = "a FIFO"
            case S_IFSOCK: name = "a socket"
            case S_IFDIR: name = "a directory"
            default: name = "not a file"
            }
            throw Refusal("is not a regular file (it is \(name))")
        }
        guard Int(status.st_size) <= maxBytes else { throw tooLarge }
    }

    // MARK: Paths

    /// The path a `file:` URI names: `file:///p`, `file://localhost/p` or `file:/p`, percent-decoded; `nil` for
    /// any other host.
    static func path(fromFileURI uri: String) -> String? {
        var rest = Substring(uri.dropFirst("file:".count))
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            if rest.lowercased().hasPrefix("localhost/") { rest = rest.dropFirst("localhost".count) }
            guard rest.hasPrefix("/") else { return nil }
        }
        guard rest.hasPrefix("/") else { return nil }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        return URIReference.percentDecode(String(rest))
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isInside(_ path: String, _ directory: String) -> Bool {
        if directory == "/" { return true }
        return path == directory || path.hasPrefix(directory + "/")
    }

    static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func size(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    static func describe(_ code: JSONParseError.Code) -> String {
        switch code {
        case .syntax: "unexpected character"
        case .unexpectedEnd: "unexpected end of input"
        case .invalidUTF8: "invalid UTF-8"
        case .invalidNumber: "invalid number"
        case .invalidString: "invalid string"
        case .duplicateKey: "duplicate key"
        case .depthLimitExceeded: "nested too deeply"
        case .lineTooLong: "line too long"
        case .io: "read error"
        }
    }
}
