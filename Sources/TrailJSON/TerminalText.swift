/// Text from an archive or a payload made safe to print on one line of a terminal or a log.
///
/// A file name or a JSON value can hold a newline, an ANSI escape sequence or a bidirectional override;
/// printed as they are, they could forge a line of output ("…: intact") or recolour it. Every tool prints
/// such text through this one function.
public enum TerminalText {
    /// `text` with every character that could break or disguise a line shown escaped.
    ///
    /// `\n`, `\r` and `\t` become those two-character escapes; other C0 controls and DEL become `\xHH`
    /// (two lowercase hex digits); C1 controls, U+2028, U+2029 and the bidirectional controls
    /// (U+202A–U+202E, U+2066–U+2069) become `\u{HHHH}`. Everything else is kept, so ordinary names and
    /// non-ASCII text read as they are; a backslash is kept too, so escaping twice changes nothing.
    ///
    /// - Parameter text: the text to print.
    /// - Returns: the printable form.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            append(scalar, to: &result)
        }
        return result
    }

    /// `bytes` read as UTF-8 and escaped like ``escaped(_:)``; a byte that is not part of valid UTF-8 is
    /// shown as `\xHH`.
    ///
    /// - Parameter bytes: the bytes, e.g. an archive entry's name as stored.
    /// - Returns: the printable form.
    public static func escaped(bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        if let text = String(validating: bytes, as: UTF8.self) { return escaped(text) }
        var result = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length =
                lead < 0x80
                ? 1
                : (0xC2...0xDF).contains(lead)
                    ? 2
                    : (0xE0...0xEF).contains(lead)
                        ? 3
                        : (0xF0...0xF4).contains(lead) ? 4 : 0
            if length > 0, index + length <= bytes.count,
                let scalar = String(validating: bytes[index..<(index + length)], as: UTF8.self)?.unicodeScalars.first
            {
                append(scalar, to: &result)
                index += length
            } else {
                result += "\\x" + hex(UInt32(lead), digits: 2)
                index += 1
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
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
            result +=
                scalar.value < 0x80 ? "\\x" + hex(scalar.value, digits: 2) : "\\u{" + hex(scalar.value, digits: 2) + "}"
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
