/// An error raised while reading JSON: a syntax error, invalid UTF-8, a duplicate key, nesting past the
/// limit, an over-long NDJSON line, or a failure to read the input.
///
/// This is TrailJSON's one error type. Positions are 1-based for `line` and `column` (the column counts
/// Unicode scalars) and 0-based for `offset` (bytes from the start of the document, or of the NDJSON line).
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers that branch on it.
    public enum Code: String, Sendable, Hashable {
        /// The text is not JSON (unexpected character, missing separator, bad literal).
        case syntax
        /// The input ended inside a value.
        case unexpectedEnd
        /// The bytes are not well-formed UTF-8.
        case invalidUTF8
        /// A number that is not a JSON number.
        case invalidNumber
        /// A bad escape sequence or an unescaped control character in a string.
        case invalidString
        /// An object names the same key twice.
        case duplicateKey
        /// Arrays and objects are nested deeper than the configured limit.
        case depthLimitExceeded
        /// An NDJSON line is longer than the configured limit.
        case lineTooLong
        /// The input could not be read (file system or decompression failure).
        case io
    }

    /// What went wrong.
    public var code: Code
    /// A plain-language explanation, without the position.
    public var message: String
    /// Byte offset of the problem, from the start of the document (0-based).
    public var offset: Int
    /// Line of the problem (1-based).
    public var line: Int
    /// Column of the problem, in Unicode scalars (1-based).
    public var column: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - message: a plain explanation.
    ///   - offset: the byte offset.
    ///   - line: the 1-based line.
    ///   - column: the 1-based column.
    public init(code: Code, message: String, offset: Int = 0, line: Int = 1, column: Int = 1) {
        self.code = code
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `line L, column C: message`.
    public var description: String {
        "line \(line), column \(column): \(message)"
    }
}
