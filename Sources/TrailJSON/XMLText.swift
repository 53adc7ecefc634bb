/// Escapes text for XML 1.0. Characters XML 1.0 does not allow (C0 controls other than tab, line feed and
/// carriage return, U+FFFE, U+FFFF) cannot be written even as `&#N;`, so they, and the other characters
/// ``TerminalText`` escapes (DEL, C1 and bidirectional controls), are shown as visible escapes (`\x1b`). In an
/// attribute, tab, line feed and carriage return are character references, which parsers keep.
public enum XMLText {
    /// `text` escaped for an XML 1.0 text node or, with `attribute`, a double-quoted attribute value.
    ///
    /// - Parameters:
    ///   - text: any text.
    ///   - attribute: whether it goes in an attribute value.
    /// - Returns: the escaped text.
    public static func escaped(_ text: String, attribute: Bool = false) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\r": result += "&#13;"
            case "\n", "\t":
                if attribute { result += "&#\(scalar.value);" } else { result.unicodeScalars.append(scalar) }
            case "\u{FFFE}", "\u{FFFF}": result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                if TerminalText.needsEscape(scalar) {
                    result += TerminalText.escaped(String(scalar))
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
