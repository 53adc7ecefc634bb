/// The rules an entry path must follow before a safe reader hands the entry out.
public enum ArchivePath {
    /// Checks an entry path and returns its normal form (a leading `./` removed, a trailing `/` removed).
    ///
    /// Refused: empty paths, absolute paths (`/…`, `C:…`, `\\…`), any `..` segment, backslashes,
    /// NUL and other control characters, and empty segments (`a//b`).
    ///
    /// - Parameter path: the path as the archive states it.
    /// - Returns: the normalized relative path.
    /// - Throws: ``ArchiveError/unsafeEntry(path:reason:)`` naming the rule that was broken.
    public static func normalize(_ path: String) throws -> String {
        var text = Substring(path)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        if text.hasSuffix("/") { text = text.dropLast() }
        guard !text.isEmpty else { throw ArchiveError.unsafeEntry(path: path, reason: "empty path") }
        guard !text.hasPrefix("/") else { throw ArchiveError.unsafeEntry(path: path, reason: "absolute path") }
        guard !text.unicodeScalars.contains(where: { $0 == "\\" }) else {
            throw ArchiveError.unsafeEntry(path: path, reason: "backslash in path")
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ArchiveError.unsafeEntry(path: path, reason: "control character in path")
        }
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        if let first = segments.first, first.count == 2, first.last == ":" {
            throw ArchiveError.unsafeEntry(path: path, reason: "absolute path (drive letter)")
        }
        for segment in segments {
            if segment.isEmpty { throw ArchiveError.unsafeEntry(path: path, reason: "empty path segment") }
            if segment == ".." { throw ArchiveError.unsafeEntry(path: path, reason: "\"..\" segment") }
            if segment == "." { throw ArchiveError.unsafeEntry(path: path, reason: "\".\" segment") }
        }
        return String(text)
    }
}
