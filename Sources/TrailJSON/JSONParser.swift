#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A strict JSON parser (RFC 8259) over raw UTF-8 bytes.
///
/// It validates UTF-8, keeps integers beyond 2^53 exact (see ``JSONNumber``), reports duplicate keys,
/// limits nesting depth without recursion (so deep input can never overflow the stack), and reports
/// errors with byte offset, line and column. A leading UTF-8 byte-order mark is skipped. Unpaired UTF-16
/// surrogate escapes (`"\uD800"`) are rejected: they do not denote Unicode text.
public struct JSONParser: Sendable {
    /// What to do when an object names the same key twice.
    public enum DuplicateKeyPolicy: Sendable, Hashable {
        /// Fail with ``JSONParseError/Code/duplicateKey`` (the default: such payloads are ambiguous).
        case reject
        /// Keep the last value, as most JSON libraries silently do.
        case keepLast
    }

    /// Parser settings.
    public struct Options: Sendable, Hashable {
        /// The deepest nesting of arrays and objects accepted; deeper input fails cleanly.
        public var maxDepth: Int
        /// What to do with duplicate keys.
        public var duplicateKeys: DuplicateKeyPolicy

        /// Creates settings.
        ///
        /// - Parameters:
        ///   - maxDepth: the deepest nesting accepted (512 by default).
        ///   - duplicateKeys: the duplicate-key policy (``DuplicateKeyPolicy/reject`` by default).
        public init(maxDepth: Int = 512, duplicateKeys: DuplicateKeyPolicy = .reject) {
            self.maxDepth = maxDepth
            self.duplicateKeys = duplicateKeys
        }
    }

    /// The settings.
    public var options: Options

    /// Creates a parser.
    ///
    /// - Parameter options: the settings.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Parses one JSON document.
    ///
    /// - Parameter buffer: the document's UTF-8 bytes.
    /// - Returns: the value.
    /// - Throws: ``JSONParseError`` when the bytes are not one well-formed JSON document.
    public func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            throw JSONParseError(code: .unexpectedEnd, message: "the input is empty; expected a JSON value")
        }
        var parser = ByteParser(base: base, count: buffer.count, options: options)
        return try parser.parseDocument()
    }

    /// Parses one JSON document, building only the parts `projection` keeps (see ``JSONProjection``).
    ///
    /// Accepts and rejects exactly the documents ``parse(_:)-(UnsafeBufferPointer<UInt8>)`` does, with the
    /// same errors: the parts left out are still checked, and a document that fails is parsed again in full
    /// so that the error is the one plain parsing reports.
    ///
    /// - Parameters:
    ///   - buffer: the document's UTF-8 bytes.
    ///   - projection: the parts to build.
    /// - Returns: the value, with the parts left out replaced by empty values of the same type (parts that are
    ///   costly to check apart, such as objects of many members, may come back whole).
    /// - Throws: ``JSONParseError`` when the bytes are not one well-formed JSON document.
    public func parse(_ buffer: UnsafeBufferPointer<UInt8>, projection: JSONProjection) throws -> JSONValue {
        guard !projection.isWhole, let base = buffer.baseAddress, !buffer.isEmpty else { return try parse(buffer) }
        var parser = ByteParser(base: base, count: buffer.count, options: options, projection: projection)
        do {
            return try parser.parseDocument()
        } catch {
            return try parse(buffer)
        }
    }

    /// Parses one JSON document, building only the parts `projection` keeps (see ``JSONProjection``).
    ///
    /// - Parameters:
    ///   - bytes: the document's UTF-8 bytes.
    ///   - projection: the parts to build.
    /// - Returns: the value, with the parts left out replaced by empty values of the same type.
    /// - Throws: ``JSONParseError`` when the bytes are not one well-formed JSON document.
    public func parse(_ bytes: some Collection<UInt8>, projection: JSONProjection) throws -> JSONValue {
        if let result = try bytes.withContiguousStorageIfAvailable({ try parse($0, projection: projection) }) {
            return result
        }
        return try Array(bytes).withUnsafeBufferPointer { try parse($0, projection: projection) }
    }

    /// Parses one JSON document.
    ///
    /// - Parameter bytes: the document's UTF-8 bytes.
    /// - Returns: the value.
    /// - Throws: ``JSONParseError`` when the bytes are not one well-formed JSON document.
    public func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        if let result = try bytes.withContiguousStorageIfAvailable({ try parse($0) }) {
            return result
        }
        return try Array(bytes).withUnsafeBufferPointer { try parse($0) }
    }

    /// Parses one JSON document from text.
    ///
    /// - Parameter text: the document.
    /// - Returns: the value.
    /// - Throws: ``JSONParseError`` when the text is not one well-formed JSON document.
    public func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse($0) }
    }
}

extension JSONValue {
    /// Parses one JSON document from UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - bytes: the document's bytes (`[UInt8]`, `ArraySlice<UInt8>`, `Data`, …).
    ///   - options: parser settings.
    /// - Throws: ``JSONParseError`` when the bytes are not one well-formed JSON document.
    public init(parsing bytes: some Collection<UInt8>, options: JSONParser.Options = JSONParser.Options()) throws {
        self = try JSONParser(options: options).parse(bytes)
    }

    /// Parses one JSON document from text.
    ///
    /// - Parameters:
    ///   - text: the document.
    ///   - options: parser settings.
    /// - Throws: ``JSONParseError`` when the text is not one well-formed JSON document.
    public init(parsing text: String, options: JSONParser.Options = JSONParser.Options()) throws {
        self = try JSONParser(options: options).parse(text)
    }
}

// MARK: - The byte-level parser

let quote = UInt8(ascii: "\"")
let backslash = UInt8(ascii: "\\")

/// The parsing state over one contiguous buffer. Containers are handled with explicit stacks, not recursion.
struct ByteParser {
    let base: UnsafePointer<UInt8>
    let count: Int
    let options: JSONParser.Options
    /// What to build; `nil` when everything is (plain parsing pays nothing for projections).
    let projection: JSONProjection?
    var position = 0
    var scratch: [UInt8] = []

    /// The parser's buffers, which a caller that parses many documents hands from one parser to the next, so that
    /// they do not grow again (an allocation each time) for every document.
    struct Buffers {
        var scratch: [UInt8] = []
    }

    /// Exchanges the parser's buffers with `buffers`: once to take them in (they are emptied before each use),
    /// once more to hand them back for the next parser.
    mutating func swapBuffers(with buffers: inout Buffers) {
        swap(&scratch, &buffers.scratch)
    }

    init(base: UnsafePointer<UInt8>, count: Int, options: JSONParser.Options, projection: JSONProjection? = nil) {
        self.base = base
        self.count = count
        self.options = options
        self.projection = projection
    }

    struct Frame {
        var isObject: Bool
        var valueStart: Int
        var keyStart: Int
        var hasDuplicates = false
        var keySet: Set<ScalarKey>?
    }

    // MARK: Errors

    func error(_ code: JSONParseError.Code, _ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? position, count)
        var line = 1
        var column = 1
        var index = 0
        while index < offset {
            let byte = base[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return JSONParseError(code: code, message: message, offset: offset, line: line, column: column)
    }

    func describeCurrent() -> String {
        guard position < count else { return "the end of the input" }
        let byte = base[position]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    func unexpected(_ expected: String) -> JSONParseError {
        if position >= count {
            return error(.unexpectedEnd, "unexpected end of input; expected \(expected)")
        }
        return error(.syntax, "expected \(expected), found \(describeCurrent())")
    }

    // MARK: Document

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            let byte = base[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    mutating func parseDocument() throws -> JSONValue {
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { position = 3 }
        skipWhitespace()
        if position >= count {
            throw error(.unexpectedEnd, "the input is empty; expected a JSON value")
        }
        var frames: [Frame] = []
        var values: [JSONValue] = []
        var keys: [String] = []
        // With a projection: the projection of the value about to be parsed, and those of the open objects
        // (kept apart from the frames, so that plain parsing does not carry them).
        var current = projection ?? .whole
        var projections: [JSONProjection] = []

        parsing: while true {
            skipWhitespace()
            guard position < count else { throw unexpected("a value") }
            if projection != nil, case .typeOnly = current, let placeholder = try skipValue(depth: frames.count) {
                values.append(placeholder)
            } else {
                switch base[position] {
                case UInt8(ascii: "{"):
                    guard frames.count < options.maxDepth else { throw depthError() }
                    position += 1
                    skipWhitespace()
                    if position < count && base[position] == UInt8(ascii: "}") {
                        position += 1
                        values.append(.object(JSONObject()))
                    } else {
                        frames.append(Frame(isObject: true, valueStart: values.count, keyStart: keys.count))
                        let key = try parseKey(&keys, &frames[frames.count - 1])
                        if projection != nil {
                            projections.append(current)
                            current = current.member(key)
                        }
                        continue parsing
                    }
                case UInt8(ascii: "["):
                    guard frames.count < options.maxDepth else { throw depthError() }
                    position += 1
                    skipWhitespace()
                    if position < count && base[position] == UInt8(ascii: "]") {
                        position += 1
                        values.append(.array([]))
                    } else {
                        frames.append(Frame(isObject: false, valueStart: values.count, keyStart: keys.count))
                        // Only whole arrays are built (a projection of members keeps a non-object whole).
                        current = .whole
                        continue parsing
                    }
                default:
                    try parseScalar(into: &values)
                }
            }

            // A value is complete: continue or close the enclosing containers.
            while let frame = frames.last {
                skipWhitespace()
                guard position < count else {
                    throw unexpected(frame.isObject ? "',' or '}'" : "',' or ']'")
                }
                let byte = base[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    if frame.isObject {
                        skipWhitespace()
                        let key = try parseKey(&keys, &frames[frames.count - 1])
                        if projection != nil { current = projections[projections.count - 1].member(key) }
                    }
                    continue parsing
                }
                if frame.isObject {
                    guard byte == UInt8(ascii: "}") else { throw unexpected("',' or '}' after an object member") }
                    position += 1
                    let objectKeys = Array(keys[frame.keyStart...])
                    let objectValues = Array(values[frame.valueStart...])
                    keys.removeSubrange(frame.keyStart...)
                    values.removeSubrange(frame.valueStart...)
                    if projection != nil { projections.removeLast() }
                    if frame.hasDuplicates {
                        values.append(.object(JSONObject(zip(objectKeys, objectValues))))
                    } else {
                        values.append(.object(JSONObject(uniqueKeys: objectKeys, values: objectValues)))
                    }
                } else {
                    guard byte == UInt8(ascii: "]") else { throw unexpected("',' or ']' after an array element") }
                    position += 1
                    let elements = Array(values[frame.valueStart...])
                    values.removeSubrange(frame.valueStart...)
                    values.append(.array(elements))
                }
                frames.removeLast()
            }
            break parsing
        }
        skipWhitespace()
        if position < count {
            throw error(.syntax, "unexpected \(describeCurrent()) after the end of the JSON value")
        }
        return values[0]
    }

    /// Parses a string, literal or number at `position` and appends it.
    @inline(__always)
    mutating func parseScalar(into values: inout [JSONValue]) throws {
        switch base[position] {
        case quote:
            position += 1
            values.append(.string(try parseString()))
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            values.append(.bool(true))
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            values.append(.bool(false))
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            values.append(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            values.append(.number(try parseNumber()))
        default:
            throw unexpected("a value")
        }
    }

    func depthError() -> JSONParseError {
        error(
            .depthLimitExceeded,
            "arrays and objects are nested more than \(options.maxDepth) levels deep"
        )
    }

    /// Reads `"key"` and the following `:`, recording the key in the current object frame.
    @discardableResult
    mutating func parseKey(_ keys: inout [String], _ frame: inout Frame) throws -> String {
        guard position < count, base[position] == quote else {
            throw unexpected("a string key")
        }
        let keyOffset = position
        position += 1
        let key = try parseString()
        let existing = keys.count - frame.keyStart
        var duplicate = false
        if existing < 32 && frame.keySet == nil {
            var index = frame.keyStart
            while index < keys.count {
                if scalarEqual(keys[index], key) {
                    duplicate = true
                    break
                }
                index += 1
            }
        } else {
            if frame.keySet == nil {
                frame.keySet = Set(keys[frame.keyStart...].map(ScalarKey.init))
            }
            duplicate = !frame.keySet!.insert(ScalarKey(key)).inserted
        }
        if duplicate {
            if options.duplicateKeys == .reject {
                throw error(.duplicateKey, "duplicate key \(quoted(key)) in object", at: keyOffset)
            }
            frame.hasDuplicates = true
        }
        keys.append(key)
        skipWhitespace()
        guard position < count, base[position] == UInt8(ascii: ":") else {
            throw unexpected("':' after the key \(quoted(key))")
        }
        position += 1
        return key
    }

    func quoted(_ key: String) -> String {
        let shown = key.count > 40 ? String(key.prefix(40)) + "…" : key
        return "\"" + shown + "\""
    }

    mutating func expectLiteral(_ literal: StaticString) throws {
        let length = literal.utf8CodeUnitCount
        let start = position
        var index = 0
        while index < length {
            guard position + index < count, base[position + index] == literal.utf8Start[index] else {
                position = start
                throw error(.syntax, "invalid literal; expected '\(literal)'")
            }
            index += 1
        }
        position += length
    }

    // MARK: Skipping (projections)

    /// Checks the string, array or object at `position` as parsing would, without building it, and returns an
    /// empty value of its type; returns `nil` (consuming nothing) for a number, Boolean or `null`.
    ///
    /// `depth` is the number of containers already open. Errors here need not match plain parsing's: the public
    /// entry point parses the document again in full when anything fails. Out of line, so that the parsing loops
    /// that call it are compiled as they would be without it.
    @inline(never)
    mutating func skipValue(depth: Int) throws -> JSONValue? {
        let placeholder: JSONValue
        switch base[position] {
        case quote: placeholder = .string("")
        case UInt8(ascii: "["): placeholder = .array([])
        case UInt8(ascii: "{"): placeholder = .object(JSONObject())
        default: return nil
        }
        // The containers and keys in scratch memory on the stack: no array to check, grow or shrink per step.
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.skippedDepthLimit) { open in
            try withUnsafeTemporaryAllocation(of: SkippedKey.self, capacity: Self.skippedKeyLimit) { keys in
                try skipContainers(depth: depth, open: open.baseAddress!, keys: keys.baseAddress!)
            }
        }
        return placeholder
    }

    /// Where a key of a skipped object lies, for the duplicate-key check.
    typealias SkippedKey = (start: Int, count: Int)

    /// The most containers open at once, and the most keys of open objects, in a skipped value; a value with more
    /// is left to plain parsing (which the entry points fall back to whenever skipping fails). Small enough for
    /// the scratch memory to be on the stack without asking the runtime (1 KiB each at most).
    static let skippedDepthLimit = 64
    static let skippedKeyLimit = 64

    /// The loop of ``skipValue(depth:)``: `open` holds, for each open container, where its keys start in `keys`
    /// (-1 for an array).
    private mutating func skipContainers(
        depth: Int,
        open: UnsafeMutablePointer<Int>,
        keys: UnsafeMutablePointer<SkippedKey>
    ) throws {
        var openCount = 0
        var keyCount = 0
        skipping: while true {
            skipWhitespace()
            guard position < count else { throw unexpected("a value") }
            switch base[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = base[position] == UInt8(ascii: "{")
                guard depth + openCount < options.maxDepth else { throw depthError() }
                position += 1
                skipWhitespace()
                if position < count && base[position] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                } else {
                    guard openCount < Self.skippedDepthLimit else {
                        throw error(.syntax, "deeply nested skipped value")
                    }
                    open[openCount] = isObject ? keyCount : -1
                    openCount += 1
                    if isObject { try skipKey(keys, first: keyCount, used: &keyCount) }
                    continue skipping
                }
            case quote:
                position += 1
                try skipString()
            case UInt8(ascii: "t"): try expectLiteral("true")
            case UInt8(ascii: "f"): try expectLiteral("false")
            case UInt8(ascii: "n"): try expectLiteral("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
            default: throw unexpected("a value")
            }
            while openCount > 0 {
                let keyStart = open[openCount - 1]
                let isObject = keyStart >= 0
                skipWhitespace()
                guard position < count else { throw unexpected("',' or a closing bracket") }
                let byte = base[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    if isObject {
                        skipWhitespace()
                        try skipKey(keys, first: keyStart, used: &keyCount)
                    }
                    continue skipping
                }
                guard byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw unexpected("',' or a closing bracket")
                }
                position += 1
                if isObject { keyCount = keyStart }
                openCount -= 1
            }
            return
        }
    }

    /// Reads `"key"` and the following `:` of a skipped object, checking for a duplicate among the object's keys
    /// (`keys[first..<used]`), and adds it there. Keys are compared as they are written; a key with an escape
    /// sequence is left to plain parsing, which decodes it.
    mutating func skipKey(_ keys: UnsafeMutablePointer<SkippedKey>, first: Int, used: inout Int) throws {
        guard position < count, base[position] == quote else { throw unexpected("a string key") }
        position += 1
        let start = position
        guard try !skipString() else { throw error(.syntax, "escaped key in a skipped value") }
        let length = position - 1 - start
        // Large objects are rare in skipped parts; plain parsing handles them with a hash set.
        guard used < Self.skippedKeyLimit else {
            throw error(.syntax, "large object in a skipped value")
        }
        if options.duplicateKeys == .reject {
            var index = first
            while index < used {
                let other = keys[index]
                // The first bytes compared in place (a key's closing quote when it is empty) before memcmp.
                if other.count == length && base[other.start] == base[start]
                    && memcmp(base + other.start, base + start, length) == 0
                {
                    throw error(.duplicateKey, "duplicate key")
                }
                index += 1
            }
        }
        keys[used] = (start, length)
        used += 1
        skipWhitespace()
        guard position < count, base[position] == UInt8(ascii: ":") else { throw unexpected("':'") }
        position += 1
    }

    /// Checks a string whose opening quote has been consumed, exactly as ``parseString()`` would, without
    /// building it: one pass that moves eight bytes at a time to the next quote, backslash, control character
    /// or non-ASCII byte, and validates UTF-8 as it goes.
    ///
    /// - Returns: whether the string holds an escape sequence.
    @discardableResult
    mutating func skipString() throws -> Bool {
        let base = base
        let count = count
        var escaped = false
        while true {
            // In locals, so that the loop keeps them in registers rather than storing `position` every step.
            var index = position
            var found: UInt64 = 0
            // Two words a step while there are (the second read only when the first has no stop), then one.
            while index &+ 16 <= count {
                found = Self.stopBytes(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                if found != 0 { break }
                found = Self.stopBytes(UnsafeRawPointer(base + index + 8).loadUnaligned(as: UInt64.self))
                if found != 0 {
                    index &+= 8
                    break
                }
                index &+= 16
            }
            if found == 0 {
                while index &+ 8 <= count {
                    found = Self.stopBytes(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                    if found != 0 { break }
                    index &+= 8
                }
            }
            // The lowest flagged byte is a true match: borrows only carry upwards.
            if found != 0 { index &+= found.trailingZeroBitCount &>> 3 }
            position = index
            guard position < count else { throw error(.unexpectedEnd, "unterminated string") }
            let byte = base[position]
            if byte >= 0x80 {
                try validateUTF8Sequence()
            } else if byte == quote {
                position += 1
                return escaped
            } else if byte == backslash {
                escaped = true
                try skipEscape()
            } else if byte < 0x20 {
                throw controlCharacterError(byte)
            } else {
                position += 1
            }
        }
    }

    /// Checks the escape sequence at `position` (a backslash), as ``parseEscapedString(from:)`` does.
    mutating func skipEscape() throws {
        let escapeStart = position
        position += 1
        guard position < count else { throw error(.unexpectedEnd, "unterminated string") }
        let escaped = base[position]
        position += 1
        switch escaped {
        case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
            UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let scalar = try readHex4(escapeStart)
            if scalar >= 0xD800 && scalar < 0xDC00 {
                guard position + 1 < count, base[position] == backslash, base[position + 1] == UInt8(ascii: "u") else {
                    throw error(.invalidString, "unpaired UTF-16 surrogate escape in a string", at: escapeStart)
                }
                position += 2
                let low = try readHex4(escapeStart)
                guard low >= 0xDC00 && low < 0xE000 else {
                    throw error(.invalidString, "unpaired UTF-16 surrogate escape in a string", at: escapeStart)
                }
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                throw error(.invalidString, "unpaired UTF-16 surrogate escape in a string", at: escapeStart)
            }
        default:
            position = escapeStart
            throw error(.invalidString, "invalid escape sequence")
        }
    }

    /// Checks a number's syntax, as ``parseNumber()`` does, without converting it.
    mutating func skipNumber() throws {
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw error(.invalidNumber, "invalid number") }
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) { throw error(.invalidNumber, "invalid number") }
        } else {
            while isDigit(position) { position += 1 }
        }
        if position < count && base[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit(position) else { throw error(.invalidNumber, "invalid number") }
            while isDigit(position) { position += 1 }
        }
        if position < count && base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < count && (base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")) {
                position += 1
            }
            guard isDigit(position) else { throw error(.invalidNumber, "invalid number") }
            while isDigit(position) { position += 1 }
        }
    }

    // MARK: Strings

    /// Parses a string whose opening quote has been consumed.
    mutating func parseString() throws -> String {
        let start = position
        while position < count {
            // Eight bytes at a time while none is a quote, a backslash or a control character. UTF-8 is
            // validated once, when the string is made (and located precisely only when that fails).
            while position + 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                if Self.needsAttention(word) { break }
                position += 8
            }
            guard position < count else { break }
            let byte = base[position]
            if byte == quote {
                let bytes = UnsafeBufferPointer(start: base + start, count: position - start)
                // Decoding repairs bad UTF-8; a repaired string differs from its input, and memcmp finds out
                // much faster than a second validation pass would.
                let string = String(decoding: bytes, as: UTF8.self)
                let unchanged =
                    string.utf8.withContiguousStorageIfAvailable { decoded in
                        decoded.count == bytes.count
                            && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
                    } ?? string.utf8.elementsEqual(bytes)
                guard unchanged else {
                    let end = position
                    position = start
                    while position < end {
                        if base[position] < 0x80 { position += 1 } else { try validateUTF8Sequence() }
                    }
                    throw error(.invalidUTF8, "invalid UTF-8 in a string")
                }
                position += 1
                return string
            }
            if byte == backslash { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw controlCharacterError(byte) }
            position += 1
        }
        // Report bad UTF-8 before the missing quote, as it comes first.
        let end = position
        position = start
        while position < end {
            if base[position] < 0x80 { position += 1 } else { try validateUTF8Sequence() }
        }
        throw error(.unexpectedEnd, "unterminated string", at: start - 1)
    }

    /// Whether a word holds a byte that is `"`, `\\` or below 0x20 (a SWAR test; bytes above 0x7F never match).
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        specialBytes(word) != 0
    }

    /// The high bit of the bytes of `word` that are `"`, `\\` or below 0x20 (bytes above 0x7F never match).
    /// Bytes above the first match may be flagged falsely (borrows carry upwards); the lowest flag is exact.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        specialFlags(word) & ~word & 0x8080_8080_8080_8080
    }

    /// The high bit of the bytes of `word` where a string's fast scan stops: ``specialBytes(_:)`` and every
    /// byte above 0x7F (the start or continuation of a UTF-8 sequence, validated one by one); the lowest flag
    /// is exact.
    @inline(__always)
    static func stopBytes(_ word: UInt64) -> UInt64 {
        (specialFlags(word) | word) & 0x8080_8080_8080_8080
    }

    /// The high bits of a quote, a backslash or a control byte of `word`, before bytes above 0x7F (which may
    /// be flagged too) are told apart.
    @inline(__always)
    private static func specialFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = (word &- ones &* 0x20) & ~word
        return hasQuote | hasBackslash | hasControl
    }

    func controlCharacterError(_ byte: UInt8) -> JSONParseError {
        let hex = String(byte, radix: 16, uppercase: true)
        return error(
            .invalidString,
            "control character U+\(String(repeating: "0", count: 4 - hex.count) + hex) must be escaped in a string"
        )
    }

    /// The slow path: a string with escapes, decoded into the scratch buffer.
    mutating func parseEscapedString(from start: Int) throws -> String {
        try decodeEscapedString(from: start)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Decodes the string that starts at `start` (after its opening quote) into the scratch buffer, from
    /// `position`, where its first escape is, to past its closing quote.
    mutating func decodeEscapedString(from start: Int) throws {
        // The bytes before the first escape were only scanned for quotes, backslashes and control characters.
        let firstEscape = position
        position = start
        while position < firstEscape {
            if base[position] < 0x80 { position += 1 } else { try validateUTF8Sequence() }
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: position - start))
        while position < count {
            let byte = base[position]
            if byte == quote {
                position += 1
                return
            }
            if byte == backslash {
                let escapeStart = position
                position += 1
                guard position < count else { break }
                let escaped = base[position]
                position += 1
                switch escaped {
                case quote: scratch.append(quote)
                case backslash: scratch.append(backslash)
                case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4(escapeStart)
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard position + 1 < count, base[position] == backslash, base[position + 1] == UInt8(ascii: "u")
                        else {
                            throw error(.invalidString, "unpaired UTF-16 surrogate escape in a string", at: escapeStart)
                        }
                        position += 2
                        let low = try readHex4(escapeStart)
                        guard low >= 0xDC00 && low < 0xE000 else {
                            throw error(.invalidString, "unpaired UTF-16 surrogate escape in a string", at: escapeStart)
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw error(.invalidString, "unpaired UTF-16 surrogate escape in a string", at: escapeStart)
                    }
                    appendUTF8(scalar)
                default:
                    position = escapeStart
                    throw error(.invalidString, "invalid escape sequence '\\\(Character(Unicode.Scalar(escaped)))'")
                }
                continue
            }
            if byte < 0x20 { throw controlCharacterError(byte) }
            if byte < 0x80 {
                scratch.append(byte)
                position += 1
            } else {
                let sequenceStart = position
                try validateUTF8Sequence()
                scratch.append(
                    contentsOf: UnsafeBufferPointer(start: base + sequenceStart, count: position - sequenceStart)
                )
            }
        }
        throw error(.unexpectedEnd, "unterminated string", at: start - 1)
    }

    mutating func readHex4(_ escapeStart: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < count else {
                throw error(.unexpectedEnd, "unexpected end of input in a \\u escape")
            }
            let byte = base[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw error(.invalidString, "invalid \\u escape: expected four hexadecimal digits", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        if scalar < 0x80 {
            scratch.append(UInt8(scalar))
        } else if scalar < 0x800 {
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        } else if scalar < 0x10000 {
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `position` (Unicode Table 3-7) and moves past it.
    @inline(__always)
    mutating func validateUTF8Sequence() throws {
        let lead = base[position]
        var length = 0
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default:
            throw error(
                .invalidUTF8,
                "invalid UTF-8: byte 0x\(String(lead, radix: 16, uppercase: true)) cannot start a character"
            )
        }
        guard position + length <= count else {
            throw error(.invalidUTF8, "invalid UTF-8: a character is cut off by the end of the input")
        }
        let second = base[position + 1]
        guard second >= low && second <= high else {
            throw error(
                .invalidUTF8,
                "invalid UTF-8: bad continuation byte 0x\(String(second, radix: 16, uppercase: true))"
            )
        }
        var index = 2
        while index < length {
            let byte = base[position + index]
            guard byte & 0xC0 == 0x80 else {
                throw error(
                    .invalidUTF8,
                    "invalid UTF-8: bad continuation byte 0x\(String(byte, radix: 16, uppercase: true))"
                )
            }
            index += 1
        }
        position += length
    }

    // MARK: Numbers

    @inline(__always)
    func isDigit(_ index: Int) -> Bool {
        index < count && base[index] &- UInt8(ascii: "0") < 10
    }

    /// The digits at the start of the eight bytes at `bytes`, up to the first byte that is not one: how many
    /// (0 to 8) and their value (the first the most significant), found and converted a word at a time.
    @inline(__always)
    static func digitRun(_ bytes: UnsafePointer<UInt8>) -> (count: Int, value: UInt64) {
        let word = UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
        let values = word &- 0x3030_3030_3030_3030
        // A byte below '0' wraps to a high bit; one above '9' reaches 0x80 when 0x46 is added. Borrows and
        // carries start only at such a byte, so the lowest one is always flagged.
        let stops = (values | (word &+ 0x4646_4646_4646_4646)) & 0x8080_8080_8080_8080
        let count = stops == 0 ? 8 : stops.trailingZeroBitCount &>> 3
        // The digits moved to the top bytes, zeros (leading zeros) below them, the rest shifted out (all of
        // it when there is no digit: a smart shift by 64 gives 0).
        let digits = values << ((8 &- count) &* 8)
        let pairs = (digits &* 10 &+ (digits >> 8)) & 0x00FF_00FF_00FF_00FF
        let quads = (pairs &* 100 &+ (pairs >> 16)) & 0x0000_FFFF_0000_FFFF
        return (count, (quads &* 10_000 &+ (quads >> 32)) & 0xFFFF_FFFF)
    }

    /// 10^0 through 10^8.
    static let integerPowersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
    ]

    /// A number's parts, as `scanNumber` reads them.
    struct NumberScan {
        var start: Int
        var negative = false
        /// The first 19 significant digits.
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var integerDigits = 0
        var fractionDigits = 0
        var isInteger = true
        var hasExponent = false
        var exponent = 0

        /// The value by Clinger's fast path (an exact mantissa times an exact power of ten rounds
        /// correctly), when it applies: a decimal of at most 15 significant digits within 10^±22.
        @inline(__always)
        var exactDouble: Double? {
            let scale = exponent - fractionDigits
            guard significantDigits <= 15 && scale >= -22 && scale <= 22 else { return nil }
            var value = Double(mantissa)
            if scale < 0 {
                value /= powersOfTen[-scale]
            } else {
                value *= powersOfTen[scale]
            }
            return negative ? -value : value
        }

        /// The value by an extended-precision fast path, when it applies: a decimal of at most 19 significant
        /// digits within 10^±27, as most generated floating-point data is (`0.06267958820718056`).
        ///
        /// The mantissa and the power of ten are exact in `Float80`'s 64-bit significand, so their product or
        /// quotient is rounded once, to within half a unit of its last place. Rounding that to `Double`
        /// drops 11 bits, and gives the correctly rounded value unless those bits are exactly `0x400`: only
        /// then might the exact value lie on the other side of the halfway point between two doubles, and
        /// the caller computes it another way (`nil`). Where `Float80` does not exist, always `nil`.
        var extendedDouble: Double? {
            #if arch(x86_64) || arch(i386)
                let scale = exponent - fractionDigits
                guard significantDigits <= 19 && scale >= -27 && scale <= 27 else { return nil }
                var value = Float80(mantissa)
                if scale < 0 {
                    value /= extendedPowersOfTen[-scale]
                } else {
                    value *= extendedPowersOfTen[scale]
                }
                guard value.significandBitPattern & 0x7FF != 0x400 else { return nil }
                let rounded = Double(value)
                return negative ? -rounded : rounded
            #else
                return nil
            #endif
        }
    }

    /// Reads a number's syntax and parts (RFC 8259), moving past it.
    @inline(__always)
    mutating func scanNumber() throws -> NumberScan {
        var scan = NumberScan(start: position)
        if base[position] == UInt8(ascii: "-") {
            scan.negative = true
            position += 1
        }
        guard isDigit(position) else {
            throw error(.invalidNumber, "invalid number: expected a digit after '-'")
        }
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) {
                throw error(.invalidNumber, "invalid number: leading zeros are not allowed", at: scan.start)
            }
        } else {
            // The digit loops work on locals, which stay in registers; `position` is stored once after each.
            let base = base
            let count = count
            var index = position
            var mantissa: UInt64 = 0
            var digits = 0
            // Up to eight digits a step while the mantissa has room for them, then one at a time; a one-digit
            // number goes straight to the latter.
            while digits <= 11 && index &+ 8 <= count && base[index &+ 1] &- UInt8(ascii: "0") < 10 {
                let run = Self.digitRun(base + index)
                mantissa = mantissa &* Self.integerPowersOfTen[run.count] &+ run.value
                digits &+= run.count
                index &+= run.count
                if run.count < 8 { break }
            }
            while index < count {
                let digit = base[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                digits &+= 1
                index &+= 1
            }
            scan.mantissa = mantissa
            scan.significantDigits = digits
            position = index
        }
        scan.integerDigits = scan.significantDigits
        if position < count && base[position] == UInt8(ascii: ".") {
            scan.isInteger = false
            position += 1
            guard isDigit(position) else {
                throw error(.invalidNumber, "invalid number: expected a digit after '.'")
            }
            let base = base
            let count = count
            var index = position
            var mantissa = scan.mantissa
            var significant = scan.significantDigits
            var fraction = 0
            // Zeros before the first significant digit, and that digit, one at a time.
            while mantissa == 0 && index < count {
                let digit = base[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                fraction &+= 1
                if digit != 0 {
                    mantissa = UInt64(digit)
                    significant = 1
                }
                index &+= 1
            }
            // Then up to eight a step while the mantissa has room for them, then one at a time.
            while mantissa != 0 && significant <= 11 && index &+ 8 <= count {
                let run = Self.digitRun(base + index)
                mantissa = mantissa &* Self.integerPowersOfTen[run.count] &+ run.value
                significant &+= run.count
                fraction &+= run.count
                index &+= run.count
                if run.count < 8 { break }
            }
            while index < count {
                let digit = base[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                fraction &+= 1
                if mantissa != 0 || digit != 0 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                    significant &+= 1
                }
                index &+= 1
            }
            scan.mantissa = mantissa
            scan.significantDigits = significant
            scan.fractionDigits = fraction
            position = index
        }
        if position < count && base[position] | 0x20 == UInt8(ascii: "e") {
            scan.isInteger = false
            scan.hasExponent = true
            position += 1
            var negativeExponent = false
            if position < count && (base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")) {
                negativeExponent = base[position] == UInt8(ascii: "-")
                position += 1
            }
            guard isDigit(position) else {
                throw error(.invalidNumber, "invalid number: expected a digit in the exponent")
            }
            while isDigit(position) {
                if scan.exponent < 100_000 {
                    scan.exponent = scan.exponent * 10 + Int(base[position] &- UInt8(ascii: "0"))
                }
                position += 1
            }
            if negativeExponent { scan.exponent = -scan.exponent }
        }
        return scan
    }

    mutating func parseNumber() throws -> JSONNumber {
        let scan = try scanNumber()
        let start = scan.start
        if scan.isInteger {
            if scan.significantDigits <= 18 {
                let magnitude = Int64(scan.mantissa)
                let number = JSONNumber(scan.negative ? -magnitude : magnitude)
                // "-0" is an integer zero written with a sign: keep the sign for verbatim writing.
                return scan.negative && magnitude == 0 ? number.writtenAs(literal(from: start)) : number
            }
            return JSONNumber(validatedLiteral: literal(from: start))
        }
        if let value = scan.exactDouble {
            let number = JSONNumber(value)
            // A plain decimal of at most 15 significant digits, not ending in 0 and not below 10^-6, is
            // already how ECMAScript writes its double (15 digits always round-trip, so no shorter form
            // exists). Any other spelling (1429.0, 1E5, -0.0, 0.0000001) is kept, so that a verbatim copy
            // does not change a payload's text.
            if !scan.hasExponent && scan.fractionDigits > 0 && scan.mantissa != 0
                && base[position - 1] != UInt8(ascii: "0")
                && (scan.integerDigits > 0 || scan.fractionDigits - scan.significantDigits <= 5)
            {
                return number
            }
            return number.writtenAs(literal(from: start))
        }
        return JSONNumber(validatedLiteral: literal(from: start))
    }

    func literal(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
    }
}

let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22,
]

#if arch(x86_64) || arch(i386)
    /// 10^0 … 10^27, each exact in `Float80` (5^27 < 2^64).
    let extendedPowersOfTen: [Float80] = {
        var powers: [Float80] = [1]
        for _ in 1...27 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()
#endif
