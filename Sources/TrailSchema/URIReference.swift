/// A URI reference split into its RFC 3986 components, with reference resolution (§5.2).
struct URIReference: Hashable, Sendable, CustomStringConvertible {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var fragment: String?

    init(parsing text: String) {
        // Delimiters are ASCII: found in the UTF-8 view, whose indices slice the string.
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        if let hash = utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = String(text[utf8.index(after: hash)...])
            end = hash
        }
        if let question = utf8[start..<end].firstIndex(of: UInt8(ascii: "?")) {
            query = String(text[utf8.index(after: question)..<end])
            end = question
        }
        if let colon = utf8[start..<end].firstIndex(of: UInt8(ascii: ":")), Self.isScheme(text[start..<colon]) {
            scheme = String(text[start..<colon])
            start = utf8.index(after: colon)
        }
        if utf8[start..<end].starts(with: "//".utf8) {
            let authorityStart = utf8.index(start, offsetBy: 2)
            let authorityEnd = utf8[authorityStart..<end].firstIndex(of: UInt8(ascii: "/")) ?? end
            authority = String(text[authorityStart..<authorityEnd])
            start = authorityEnd
        }
        path = String(text[start..<end])
    }

    /// Whether `text` is a scheme: a letter, then letters, digits, `+`, `-` and `.`.
    private static func isScheme(_ text: Substring) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
                && text.first?.isLetter == true
        }
        func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z") }
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy { byte in
            isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    var description: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }

    /// The URI without its fragment.
    var withoutFragment: URIReference {
        var copy = self
        copy.fragment = nil
        return copy
    }

    /// Resolves `reference` against this base URI (RFC 3986 §5.2.2).
    func resolving(_ reference: URIReference) -> URIReference {
        var target = URIReference(parsing: "")
        if reference.scheme != nil {
            target = reference
            target.path = Self.removeDotSegments(reference.path)
        } else {
            if reference.authority != nil {
                target.authority = reference.authority
                target.path = Self.removeDotSegments(reference.path)
                target.query = reference.query
            } else {
                if reference.path.isEmpty {
                    target.path = path
                    target.query = reference.query ?? query
                } else {
                    if reference.path.hasPrefix("/") {
                        target.path = Self.removeDotSegments(reference.path)
                    } else {
                        target.path = Self.removeDotSegments(merge(reference.path))
                    }
                    target.query = reference.query
                }
                target.authority = authority
            }
            target.scheme = scheme
        }
        target.fragment = reference.fragment
        return target
    }

    private func merge(_ relative: String) -> String {
        if authority != nil && path.isEmpty { return "/" + relative }
        guard let slash = path.lastIndex(of: "/") else { return relative }
        return String(path[...slash]) + relative
    }

    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        var result = ""
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                var end = input.index(after: input.startIndex)
                if input.first == "/" {
                    end = input[end...].firstIndex(of: "/") ?? input.endIndex
                } else {
                    end = input.firstIndex(of: "/") ?? input.endIndex
                }
                output.append(input[..<end])
                input = input[end...]
            }
        }
        for segment in output { result += segment }
        return result
    }

    /// Resolves `reference` (text) against `base` (text), returning text.
    static func resolve(_ reference: String, against base: String) -> String {
        URIReference(parsing: base).resolving(URIReference(parsing: reference)).description
    }

    /// Splits `uri` into the part before `#` and the (percent-decoded) fragment.
    static func split(_ uri: String) -> (base: String, fragment: String?) {
        guard let hash = uri.utf8.firstIndex(of: UInt8(ascii: "#")) else { return (uri, nil) }
        return (String(uri[..<hash]), percentDecode(String(uri[uri.utf8.index(after: hash)...])))
    }

    static func percentDecode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
