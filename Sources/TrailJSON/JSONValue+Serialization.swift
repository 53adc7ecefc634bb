extension JSONValue {
    /// Serializes the value as JSON text.
    ///
    /// Strings escape only what JSON requires (`"`, `\`, control characters); integers are written exactly;
    /// other numbers in ECMAScript's shortest round-trip form.
    ///
    /// - Parameters:
    ///   - pretty: indent nested values by two spaces, one member or element per line.
    ///   - sortedKeys: order object members by key (Unicode code point order) instead of member order.
    /// - Returns: UTF-8 bytes, without a trailing newline.
    public func serialized(pretty: Bool = false, sortedKeys: Bool = false) -> [UInt8] {
        var writer = JSONWriter(style: pretty ? .pretty : .compact, sortedKeys: sortedKeys)
        writer.write(self, indent: 0)
        return writer.output
    }

    /// Serializes the value as JSON text; see ``serialized(pretty:sortedKeys:)``.
    ///
    /// - Parameters:
    ///   - pretty: indent nested values.
    ///   - sortedKeys: order object members by key.
    /// - Returns: the text.
    public func serializedString(pretty: Bool = false, sortedKeys: Bool = false) -> String {
        String(decoding: serialized(pretty: pretty, sortedKeys: sortedKeys), as: UTF8.self)
    }

    /// The RFC 8785 (JSON Canonicalization Scheme) form: no whitespace, members sorted by the UTF-16 code
    /// units of their keys, numbers as ECMAScript prints them (integers beyond 2^53 go through `Double`, as
    /// the RFC requires), minimal string escapes.
    ///
    /// A number too large for a `Double` has no canonical form; its literal is written unchanged.
    ///
    /// - Returns: the canonical UTF-8 bytes.
    public func canonicalized() -> [UInt8] {
        var writer = JSONWriter(style: .canonical, sortedKeys: true)
        writer.write(self, indent: 0)
        return writer.output
    }
}

/// Writes JSON text into a byte buffer.
struct JSONWriter {
    enum Style {
        case compact
        case pretty
        case canonical
    }

    let style: Style
    let sortedKeys: Bool
    var output: [UInt8] = []

    init(style: Style, sortedKeys: Bool) {
        self.style = style
        self.sortedKeys = sortedKeys
        output.reserveCapacity(256)
    }

    mutating func newline(_ indent: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): writeNumber(number)
        case .string(let string): writeString(string)
        case .array(let elements):
            guard !elements.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if style == .pretty { newline(indent + 1) }
                write(element, indent: indent + 1)
            }
            if style == .pretty { newline(indent) }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                output.append(contentsOf: "{}".utf8)
                return
            }
            var order = Array(object.indices)
            if style == .canonical {
                order.sort { object.keys[$0].utf16.lexicographicallyPrecedes(object.keys[$1].utf16) }
            } else if sortedKeys {
                order.sort { object.keys[$0].utf8.lexicographicallyPrecedes(object.keys[$1].utf8) }
            }
            output.append(UInt8(ascii: "{"))
            for (position, member) in order.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if style == .pretty { newline(indent + 1) }
                writeString(object.keys[member])
                output.append(UInt8(ascii: ":"))
                if style == .pretty { output.append(UInt8(ascii: " ")) }
                write(object.values[member], indent: indent + 1)
            }
            if style == .pretty { newline(indent) }
            output.append(UInt8(ascii: "}"))
        }
    }

    mutating func writeNumber(_ number: JSONNumber) {
        if style != .canonical, let text = number.sourceText {
            output.append(contentsOf: text.utf8)
            return
        }
        switch number.storage {
        case .integer(let integer):
            if style == .canonical && integer.magnitude > 1 << 53 {
                output.append(contentsOf: ECMAScriptNumber.format(Double(integer)).utf8)
            } else {
                output.append(contentsOf: String(integer).utf8)
            }
        case .double(let double):
            output.append(contentsOf: (double.isFinite ? ECMAScriptNumber.format(double) : "null").utf8)
        case .literal(let literal):
            if style == .canonical, let double = Double(literal), double.isFinite {
                output.append(contentsOf: ECMAScriptNumber.format(double).utf8)
            } else {
                output.append(contentsOf: literal.utf8)
            }
        }
    }

    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeString($0) }
    }

    /// Writes a string given as its UTF-8 bytes.
    mutating func writeString(_ bytes: UnsafeBufferPointer<UInt8>) {
        output.append(UInt8(ascii: "\""))
        // Copy runs of bytes that need no escape in one go; only `"`, `\` and control characters break a run.
        var runStart = 0
        while true {
            let escaped = JSONEscaping.firstEscaped(in: bytes, from: runStart)
            if escaped > runStart {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<escaped]))
            }
            guard escaped < bytes.count else { break }
            appendEscape(bytes[escaped])
            runStart = escaped + 1
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the escape sequence of a byte that cannot appear raw in a JSON string.
    mutating func appendEscape(_ byte: UInt8) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x09: output.append(UInt8(ascii: "t"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        default:
            let hex: StaticString = "0123456789abcdef"
            output.append(UInt8(ascii: "u"))
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "0"))
            output.append(hex.utf8Start[Int(byte >> 4)])
            output.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }
}
