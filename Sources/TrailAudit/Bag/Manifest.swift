/// A BagIt checksum manifest (`manifest-sha256.txt`, `tagmanifest-sha256.txt`): `<hex>  <path>` lines.
public struct Manifest: Sendable, Equatable {
    /// One line: a file's lowercase hex SHA-256 and its bag-relative path.
    public struct Entry: Sendable, Hashable {
        /// Lowercase hex SHA-256.
        public var digest: String
        /// The bag-relative path, decoded.
        public var path: String

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - digest: lowercase hex SHA-256.
        ///   - path: the bag-relative path.
        public init(digest: String, path: String) {
            self.digest = digest
            self.path = path
        }
    }

    /// The entries in file order.
    public var entries: [Entry]

    /// Creates a manifest.
    ///
    /// - Parameter entries: the lines in order.
    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    /// The file's text: entries sorted by path bytes, two spaces between digest and path, LF endings.
    /// `%`, CR and LF in paths are percent-encoded (RFC 8493 §2.1.3).
    public var text: String {
        entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
            .map { "\($0.digest)  \(Self.encode($0.path))\n" }
            .joined()
    }

    /// Parses a manifest.
    ///
    /// - Parameter text: the file's text.
    /// - Returns: the manifest, or the 1-based number of the first malformed line.
    public static func parse(_ text: String) -> Result<Manifest, MalformedLine> {
        var entries: [Entry] = []
        // LF, CRLF and CR all end a line (RFC 8493 §2.1.3); in Swift `\r\n` is one Character, so split on
        // any newline rather than on "\n".
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.isEmpty { continue }
            guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                return .failure(MalformedLine(line: index + 1))
            }
            let digest = line[..<space]
            let path = line[space...].drop { $0 == " " || $0 == "\t" }
            guard digest.count == 64, digest.allSatisfy(\.isHexDigit), !path.isEmpty else {
                return .failure(MalformedLine(line: index + 1))
            }
            entries.append(Entry(digest: digest.lowercased(), path: decode(String(path))))
        }
        return .success(Manifest(entries))
    }

    /// The 1-based number of a manifest line that is not `<hex>  <path>`.
    public struct MalformedLine: Error, Sendable, Equatable {
        /// The line number.
        public var line: Int
    }

    static func encode(_ path: String) -> String {
        path.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
    }

    static func decode(_ path: String) -> String {
        path.replacingAll("%0D", with: "\r").replacingAll("%0d", with: "\r")
            .replacingAll("%0A", with: "\n").replacingAll("%0a", with: "\n")
            .replacingAll("%25", with: "%")
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
