import TrailJSON

/// The rules an entry path must follow before a safe reader hands the entry out, applied to the bytes of
/// the name as the archive states them (never to a decoded `String`, whose comparisons work on grapheme
/// clusters: `..` followed by a combining mark is not `..` to `String` but is to the file system).
public enum ArchivePath {
    /// Checks an entry path and returns its normal form (a leading `./` removed, a trailing `/` removed).
    ///
    /// Refused: empty names, invalid UTF-8, NUL and every other C0 control byte and DEL, C1 control
    /// characters, backslashes, absolute paths (`/…`, `C:…`), empty segments (`a//b`), and any segment that
    /// is exactly the bytes `.` or `..`. Segments are split on the byte `/` only.
    ///
    /// - Parameter bytes: the path as the archive states it.
    /// - Returns: the normalized relative path.
    /// - Throws: ``ArchiveError/unsafeEntry(path:reason:)`` naming the rule that was broken, with the name
    ///   shown escaped (``display(_:)``).
    public static func normalize(_ bytes: [UInt8]) throws -> String {
        func refuse(_ reason: String) -> ArchiveError { .unsafeEntry(path: display(bytes), reason: reason) }
        let slash = UInt8(ascii: "/")
        var start = 0
        var end = bytes.count
        while end - start >= 2, bytes[start] == UInt8(ascii: "."), bytes[start + 1] == slash { start += 2 }
        if end > start, bytes[end - 1] == slash { end -= 1 }
        let name = bytes[start..<end]
        guard !name.isEmpty else { throw refuse("empty path") }
        if let byte = name.first(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw refuse(byte == 0 ? "NUL byte in path" : "control character in path")
        }
        guard let text = String(validating: name, as: UTF8.self) else { throw refuse("path is not valid UTF-8") }
        guard !text.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else {
            throw refuse("control character in path")
        }
        guard !name.contains(UInt8(ascii: "\\")) else { throw refuse("backslash in path") }
        guard name.first != slash else { throw refuse("absolute path") }
        let segments = name.split(separator: slash, omittingEmptySubsequences: false)
        if let first = segments.first, first.count == 2, first.last == UInt8(ascii: ":") {
            throw refuse("absolute path (drive letter)")
        }
        for segment in segments {
            if segment.isEmpty { throw refuse("empty path segment") }
            if segment.elementsEqual([UInt8(ascii: ".")]) { throw refuse("\".\" segment") }
            if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) { throw refuse("\"..\" segment") }
        }
        return text
    }

    /// Checks the UTF-8 of `path` (see ``normalize(_:)-([UInt8])``).
    ///
    /// - Parameter path: the path.
    /// - Returns: the normalized relative path.
    /// - Throws: ``ArchiveError/unsafeEntry(path:reason:)``.
    public static func normalize(_ path: String) throws -> String {
        try normalize(Array(path.utf8))
    }

    /// A name's bytes as one line of printable text (``TerminalText/escapedControls(bytes:)``).
    ///
    /// - Parameter bytes: the name as stored.
    /// - Returns: the printable form.
    public static func display(_ bytes: some Collection<UInt8>) -> String {
        TerminalText.escapedControls(bytes: bytes)
    }
}
