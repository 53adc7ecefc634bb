/// Makes names and values from archives, payloads and file systems safe to print on a terminal line.
///
/// A file name, a JSON key or a string value can hold a newline (which forges a second line of output),
/// an ANSI escape sequence (which recolours, moves the cursor or rewrites the screen) or a bidirectional
/// control (which reorders what the line shows). Every tool passes such text through ``escaped(_:)``
/// before writing it in a human-readable format, so each character it prints is either the character
/// itself or a visible escape:
///
/// | Input | Shown as |
/// |---|---|
/// | U+000A, U+000D, U+0009 | `\n`, `\r`, `\t` |
/// | other C0 controls (U+0000–U+001F) and U+007F | `\xHH` (two lowercase hex digits: `\x1b`, `\x00`, `\x7f`) |
/// | C1 controls (U+0080–U+009F) | `\u{HH}` (`\u{85}`, `\u{9B}`) |
/// | U+2028, U+2029, U+202A–U+202E, U+2066–U+2069 | `\u{HHHH}` (`\u{202E}`) |
/// | `\` | `\\` |
///
/// Everything else is kept, so ordinary text (including non-ASCII letters) reads as it is.
public enum TerminalText {
    /// The text with every control character, line or paragraph separator, bidirectional control and
    /// backslash replaced by a visible escape (see the table on ``TerminalText``).
    ///
    /// The result is one line, and distinct inputs give distinct results.
    ///
    /// - Parameter text: a name or value from untrusted input.
    /// - Returns: the escaped text.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\\" || needsEscape($0) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                result += "\\\\"
            } else {
                append(scalar, to: &result)
            }
        }
        return result
    }

    /// The text with the characters ``escaped(_:)`` escapes, except the backslash, replaced by the same
    /// visible escapes.
    ///
    /// For text that is already partly escaped, such as a validation message quoting values as JSON
    /// strings (`"a\nb"`), where doubling every backslash would make the quoted values harder to read. Names
    /// printed on their own should use ``escaped(_:)``, which is unambiguous.
    ///
    /// - Parameter text: a message that may contain untrusted text.
    /// - Returns: the text with no control character left in it.
    public static func escapedControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { append(scalar, to: &result) }
        return result
    }

    /// Bytes read as UTF-8 and escaped like ``escapedControls(_:)``; a byte that is not part of valid UTF-8
    /// is shown as `\xHH`. For names as an archive stores them, which need not be UTF-8.
    ///
    /// - Parameter bytes: the bytes, e.g. an archive entry's name.
    /// - Returns: the text with no control character and no invalid byte left in it.
    public static func escapedControls(bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        if let text = String(validating: bytes, as: UTF8.self) { return escapedControls(text) }
        var result = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length =
                switch lead {
                case 0x00...0x7F: 1
                case 0xC2...0xDF: 2
                case 0xE0...0xEF: 3
                case 0xF0...0xF4: 4
                default: 0
                }
            if length > 0, index + length <= bytes.count,
                let scalar = String(validating: bytes[index..<(index + length)], as: UTF8.self)?.unicodeScalars.first
            {
                append(scalar, to: &result)
                index += length
            } else {
                let hex = String(lead, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" : "") + hex
                index += 1
            }
        }
        return result
    }

    /// Whether a character is shown as an escape (the backslash aside).
    ///
    /// - Parameter scalar: a Unicode scalar.
    /// - Returns: `true` for C0 and C1 controls, U+007F, line and paragraph separators and bidirectional
    ///   controls.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String) {
        guard needsEscape(scalar) else {
            result.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x80 {
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" : "") + hex
            } else {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
    }
}
