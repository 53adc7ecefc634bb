/// A JSON Pointer (RFC 6901): a path of reference tokens into a JSON document, written `/a/0/b~1c`.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The unescaped reference tokens, outermost first.
    public var tokens: [String]

    /// The empty pointer, denoting the whole document.
    public static let root = JSONPointer(tokens: [])

    /// Creates a pointer from unescaped tokens.
    ///
    /// - Parameter tokens: the reference tokens.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses a pointer's string form (`""` or `/`-separated tokens with `~0` and `~1` escapes).
    ///
    /// - Parameter text: the pointer, e.g. `/messages/0/content`.
    /// - Throws: ``JSONParseError`` (code ``JSONParseError/Code/syntax``) when `text` is not a JSON Pointer.
    public init(parsing text: String) throws {
        guard !text.isEmpty else {
            self.init(tokens: [])
            return
        }
        guard text.hasPrefix("/") else {
            throw JSONParseError(code: .syntax, message: "a JSON Pointer must be empty or start with '/': \(text)")
        }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = Self.unescape(raw) else {
                throw JSONParseError(
                    code: .syntax,
                    message: "'~' must be followed by 0 or 1 in a JSON Pointer: \(text)"
                )
            }
            tokens.append(token)
        }
        self.init(tokens: tokens)
    }

    /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
    ///
    /// - Parameter token: an unescaped token.
    /// - Returns: the escaped token.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingAll("~", with: "~0").replacingAll("/", with: "~1")
    }

    /// Unescapes one reference token (`~1` → `/`, `~0` → `~`).
    ///
    /// - Parameter token: an escaped token.
    /// - Returns: the token, or `nil` when a `~` is not followed by `0` or `1`.
    public static func unescape(_ token: some StringProtocol) -> String? {
        guard token.contains("~") else { return String(token) }
        var result = ""
        var iterator = token.makeIterator()
        while let character = iterator.next() {
            if character == "~" {
                switch iterator.next() {
                case "0": result.append("~")
                case "1": result.append("/")
                default: return nil
                }
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The pointer with one more token.
    ///
    /// - Parameter token: an unescaped member name.
    /// - Returns: the longer pointer.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// The pointer with one more array index.
    ///
    /// - Parameter index: an array index.
    /// - Returns: the longer pointer.
    public func appending(index: Int) -> JSONPointer {
        JSONPointer(tokens: tokens + [String(index)])
    }

    /// The pointer with more tokens.
    ///
    /// - Parameter other: the pointer to append.
    /// - Returns: the concatenation.
    public func appending(_ other: JSONPointer) -> JSONPointer {
        JSONPointer(tokens: tokens + other.tokens)
    }

    /// The pointer without its last token (the root stays the root).
    public var parent: JSONPointer {
        JSONPointer(tokens: Array(tokens.dropLast()))
    }

    /// Whether this is the whole-document pointer.
    public var isRoot: Bool { tokens.isEmpty }

    /// Looks the pointer up in a document.
    ///
    /// Array indices must be decimal without leading zeros (`-`, "past the end", resolves to nothing).
    ///
    /// - Parameter document: the document.
    /// - Returns: the value the pointer denotes, or `nil` when it denotes nothing.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let index = Self.arrayIndex(token), index < array.count else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The array index a token denotes, if it is a canonical non-negative decimal.
    ///
    /// - Parameter token: a reference token.
    /// - Returns: the index, or `nil`.
    public static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        guard first != UInt8(ascii: "0") || utf8.count == 1 else { return nil }
        guard utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(token)
    }

    /// The string form: `""` for the root, otherwise `/token/token` with escapes.
    public var description: String {
        tokens.reduce(into: "") { result, token in
            result += "/"
            result += Self.escape(token)
        }
    }

    /// The string form percent-encoded for use as a URI fragment (RFC 6901 §6), e.g. `#/a%20b`.
    public var uriFragment: String {
        var result = ""
        for byte in description.utf8 {
            if Self.fragmentSafe(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    private static func fragmentSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*+,;=:@/?".utf8.contains(byte)
        }
    }

    /// Orders pointers token by token (a prefix sorts first; indices compare numerically).
    ///
    /// - Parameters:
    ///   - lhs: a pointer.
    ///   - rhs: another pointer.
    /// - Returns: whether `lhs` sorts first.
    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        for (left, right) in zip(lhs.tokens, rhs.tokens) where left != right {
            if let a = arrayIndex(left), let b = arrayIndex(right) { return a < b }
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return lhs.tokens.count < rhs.tokens.count
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
