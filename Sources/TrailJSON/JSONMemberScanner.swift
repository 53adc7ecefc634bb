/// Finds the values of chosen top-level members of a JSON object without building a tree.
///
/// A workspace trace line holds its upstream payload twice (normalized members and `source_payload`); a
/// reader that needs a few scalars and the raw text of some members locates their values by byte range
/// and decodes only those. The scan checks the object's structure (strings terminated, brackets
/// balanced, separators in place, no duplicate wanted member) but not the values it skips: decode a
/// located value with ``JSONParser`` to check it.
public struct JSONMemberScanner: Sendable {
    private let names: [[UInt8]]

    /// Creates a scanner for the members `names`.
    ///
    /// - Parameter names: the member names to locate.
    public init(names: [String]) {
        self.names = names.map { Array($0.utf8) }
    }

    /// Locates the wanted members' values.
    ///
    /// - Parameter bytes: one JSON object.
    /// - Returns: for each wanted name, the byte range of its value, or `nil` when the member is absent.
    /// - Throws: ``JSONParseError`` (with the byte offset) when the text is not a JSON object.
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> [Range<Int>?] {
        var found = [Range<Int>?](repeating: nil, count: names.count)
        var cursor = Cursor(bytes: bytes)
        cursor.skipWhitespace()
        try cursor.expect(0x7B)
        cursor.skipWhitespace()
        if cursor.peek == 0x7D { return found }
        while true {
            cursor.skipWhitespace()
            guard cursor.peek == 0x22 else { throw failure(.syntax, "expected a member name", at: cursor.index) }
            let keyStart = cursor.index
            try cursor.skipString()
            let key = UnsafeBufferPointer(rebasing: bytes[(keyStart + 1)..<(cursor.index - 1)])
            cursor.skipWhitespace()
            try cursor.expect(0x3A)
            cursor.skipWhitespace()
            let valueStart = cursor.index
            try cursor.skipValue()
            if let position = try position(of: key) {
                guard found[position] == nil else {
                    throw JSONParseError(
                        code: .duplicateKey,
                        message: "duplicate member \"\(String(decoding: names[position], as: UTF8.self))\"",
                        offset: keyStart
                    )
                }
                found[position] = valueStart..<cursor.index
            }
            cursor.skipWhitespace()
            switch cursor.peek {
            case 0x2C: cursor.index += 1
            case 0x7D:
                cursor.index += 1
                cursor.skipWhitespace()
                guard cursor.index == bytes.count else {
                    throw failure(.syntax, "text after the object", at: cursor.index)
                }
                return found
            default: throw failure(.syntax, "expected , or }", at: cursor.index)
            }
        }
    }

    private func position(of key: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> Int? {
        if !key.contains(0x5C) {
            return names.firstIndex { $0.elementsEqual(key) }
        }
        // A name written with escapes: decode it before comparing.
        var quoted: [UInt8] = [0x22]
        quoted.append(contentsOf: key)
        quoted.append(0x22)
        guard let decoded = try? JSONParser().parse(quoted).stringValue else {
            throw failure(.invalidString, "invalid member name", at: 0)
        }
        let utf8 = Array(decoded.utf8)
        return names.firstIndex(of: utf8)
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

        mutating func skipWhitespace() {
            while index < bytes.count,
                bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A
                    || bytes[index] == 0x0D
            {
                index += 1
            }
        }

        mutating func expect(_ byte: UInt8) throws(JSONParseError) {
            guard peek == byte else {
                throw failure(.syntax, "expected \(Character(Unicode.Scalar(byte)))", at: index)
            }
            index += 1
        }

        /// Moves past a string that starts at `index`.
        mutating func skipString() throws(JSONParseError) {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case 0x5C: index += 2
                case 0x22:
                    index += 1
                    return
                default: index += 1
                }
            }
            throw failure(.unexpectedEnd, "unterminated string", at: index)
        }

        /// Moves past the value that starts at `index`.
        mutating func skipValue() throws(JSONParseError) {
            switch peek {
            case 0x22:
                try skipString()
            case 0x7B, 0x5B:
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case 0x22:
                        try skipString()
                        continue
                    case 0x7B, 0x5B: depth += 1
                    case 0x7D, 0x5D:
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return
                        }
                    default: break
                    }
                    index += 1
                }
                throw failure(.unexpectedEnd, "unterminated object or array", at: index)
            default:
                let start = index
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == 0x2C || byte == 0x7D || byte == 0x5D || byte == 0x20 || byte == 0x09 || byte == 0x0A
                        || byte == 0x0D
                    {
                        break
                    }
                    index += 1
                }
                guard index > start else { throw failure(.syntax, "expected a value", at: start) }
            }
        }
    }
}

/// An error at a byte offset of the scanned text; the message names the offset, since a line's
/// column is not counted here.
private func failure(_ code: JSONParseError.Code, _ message: String, at offset: Int) -> JSONParseError {
    JSONParseError(code: code, message: "\(message) at byte \(offset)", offset: offset)
}
