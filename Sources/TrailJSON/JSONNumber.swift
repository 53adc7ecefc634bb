/// A JSON number, kept exactly as far as the format allows.
///
/// Integers that fit in `Int64` are stored as integers, so values beyond 2^53 stay exact. Integers beyond
/// `Int64` and numbers too large for `Double` keep their decimal literal. Every other number is a `Double`.
///
/// Equality is numeric: `1`, `1.0` and `10e-1` are equal, as JSON Schema requires for `const`, `enum` and
/// `uniqueItems`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    /// The numeric value.
    @usableFromInline
    enum Storage: Sendable {
        case integer(Int64)
        case double(Double)
        case literal(String)
    }

    /// What a number holds: its value, or its value and the text it was written as.
    ///
    /// The written text lives in a box of its own, so that a number, and with it a ``JSONValue``, stays small
    /// enough to be passed in registers rather than copied through memory.
    @usableFromInline
    enum Representation: Sendable {
        case integer(Int64)
        case double(Double)
        case literal(String)
        case written(WrittenNumber)
    }

    /// A number together with the text it was written as.
    @usableFromInline
    final class WrittenNumber: Sendable {
        let storage: Storage
        let text: String

        init(storage: Storage, text: String) {
            self.storage = storage
            self.text = text
        }
    }

    @usableFromInline
    let representation: Representation

    /// The numeric value.
    @usableFromInline
    var storage: Storage {
        switch representation {
        case .integer(let value): .integer(value)
        case .double(let value): .double(value)
        case .literal(let text): .literal(text)
        case .written(let written): written.storage
        }
    }

    /// The number's text as it appeared in the parsed document, when that differs from ``description``
    /// (`1429.0`, `-0.0`, `1E5`): writing it back keeps a document's numbers verbatim. Equality, hashing and
    /// the RFC 8785 canonical form ignore it.
    @usableFromInline
    var sourceText: String? {
        if case .written(let written) = representation { return written.text }
        return nil
    }

    init(storage: Storage) {
        representation =
            switch storage {
            case .integer(let value): .integer(value)
            case .double(let value): .double(value)
            case .literal(let text): .literal(text)
            }
    }

    /// The same number, remembering `text` as its written form.
    func writtenAs(_ text: String) -> JSONNumber {
        JSONNumber(representation: .written(WrittenNumber(storage: storage, text: text)))
    }

    private init(representation: Representation) {
        self.representation = representation
    }

    /// Creates an integer.
    ///
    /// - Parameter value: the integer.
    @inlinable
    public init(_ value: Int64) {
        representation = .integer(value)
    }

    /// Creates an integer.
    ///
    /// - Parameter value: the integer.
    @inlinable
    public init(_ value: Int) {
        representation = .integer(Int64(value))
    }

    /// Creates a number from a `Double`; integral values within `Int64` are stored as integers.
    ///
    /// - Parameter value: the number. Infinities and NaN are accepted here but written as `null`.
    public init(_ value: Double) {
        if value.rounded(.towardZero) == value, let integer = Int64(exactly: value) {
            representation = .integer(integer)
        } else {
            representation = .double(value)
        }
    }

    /// Creates a number from its JSON text, keeping the literal when no `Int64` or finite `Double` holds it.
    ///
    /// Fails (returns `nil`) when `literal` is not a JSON number.
    ///
    /// - Parameter literal: a JSON number, e.g. `-12`, `3.5e10`, `123456789012345678901234567890`.
    public init?(literal: String) {
        guard JSONNumber.isValidLiteral(Array(literal.utf8)) else { return nil }
        self.init(validatedLiteral: literal)
    }

    init(validatedLiteral literal: String) {
        let isIntegerSyntax = !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }
        if isIntegerSyntax, let integer = Int64(literal) {
            self = integer == 0 && literal.hasPrefix("-") ? JSONNumber(integer).writtenAs(literal) : JSONNumber(integer)
        } else if !isIntegerSyntax, let double = Double(literal), double.isFinite {
            self = JSONNumber(double).writtenAs(literal)
        } else {
            self.init(storage: .literal(literal))
        }
    }

    /// Creates an integer literal.
    ///
    /// - Parameter value: the literal.
    public init(integerLiteral value: Int64) {
        representation = .integer(value)
    }

    /// Creates a floating-point literal.
    ///
    /// - Parameter value: the literal.
    public init(floatLiteral value: Double) {
        self.init(value)
    }

    /// The value as `Int64`, when it is an integer in range (`2.0` gives 2; `2.5` gives `nil`).
    public var int64Value: Int64? {
        switch storage {
        case .integer(let value): value
        case .double(let value): value.rounded(.towardZero) == value ? Int64(exactly: value) : nil
        case .literal: nil
        }
    }

    /// The value as the nearest `Double` (integers beyond 2^53 round; huge literals become infinite).
    public var doubleValue: Double {
        switch storage {
        case .integer(let value): Double(value)
        case .double(let value): value
        case .literal(let text): Double(text) ?? .nan
        }
    }

    /// The exact decimal literal, for numbers that neither `Int64` nor a finite `Double` holds.
    public var exactLiteral: String? {
        if case .literal(let text) = storage { return text }
        return nil
    }

    /// Whether the number is mathematically an integer (`1.0` is).
    public var isInteger: Bool {
        switch storage {
        case .integer: return true
        case .double(let value): return value.isFinite && value.rounded(.towardZero) == value
        case .literal: return decimal.exponent >= 0
        }
    }

    /// Whether this is stored as an `Int64` (true for integral values in range).
    public var isInt64: Bool {
        if case .integer = storage { return true }
        return false
    }

    /// The JSON text: integers in decimal, other numbers in ECMAScript's shortest round-trip form, literals
    /// as given; a non-finite `Double` is `null`.
    public var description: String {
        if let sourceText { return sourceText }
        return switch storage {
        case .integer(let value): String(value)
        case .double(let value): value.isFinite ? ECMAScriptNumber.format(value) : "null"
        case .literal(let text): text
        }
    }

    // MARK: Equality and hashing

    /// A normalized decimal: `negative`, significant `digits` without leading or trailing zeros, and the
    /// power of ten of the last digit.
    struct Decimal: Hashable {
        var negative: Bool
        var digits: [UInt8]
        var exponent: Int
    }

    var decimal: Decimal {
        switch storage {
        case .integer(let value): Self.normalize(String(value))
        case .double(let value): Self.normalize(value.isFinite ? ECMAScriptNumber.format(value) : "0")
        case .literal(let text): Self.normalize(text)
        }
    }

    static func normalize(_ text: String) -> Decimal {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var afterPoint = 0
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var inFraction = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else {
                digits.append(byte)
                if inFraction { afterPoint += 1 }
            }
        }
        if !bytes.isEmpty {
            exponent = Int(String(decoding: bytes.dropFirst(), as: UTF8.self).replacingPlus()) ?? 0
        }
        exponent -= afterPoint
        while digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { return Decimal(negative: false, digits: [], exponent: 0) }
        return Decimal(negative: negative, digits: digits, exponent: exponent)
    }

    /// Numeric equality.
    ///
    /// - Parameters:
    ///   - lhs: a number.
    ///   - rhs: another number.
    /// - Returns: whether they denote the same value.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)):
            return Int64(exactly: b) == a
        default: return lhs.decimal == rhs.decimal
        }
    }

    /// Hashes the numeric value, consistently with `==`.
    ///
    /// - Parameter hasher: the hasher.
    public func hash(into hasher: inout Hasher) {
        // Equal numbers have the same nearest Double (a literal equal to a double's shortest digits parses
        // back to that double), so hashing the Double agrees with `==` without formatting any digits.
        if let integer = int64Value {
            hasher.combine(integer)
        } else {
            hasher.combine(doubleValue)
        }
    }

    static func isValidLiteral(_ bytes: [UInt8]) -> Bool {
        var index = 0
        let count = bytes.count
        func digit(_ i: Int) -> Bool { i < count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digit(index) else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while digit(index) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(index) else { return false }
            while digit(index) { index += 1 }
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digit(index) else { return false }
            while digit(index) { index += 1 }
        }
        return index == count
    }
}

extension String {
    fileprivate func replacingPlus() -> String {
        hasPrefix("+") ? String(dropFirst()) : self
    }
}

extension JSONNumber: Comparable {
    /// Exact numeric order: integers compare as integers, and values that a `Double` cannot tell apart
    /// (integers beyond 2^53, huge literals) compare by their decimal digits.
    ///
    /// - Parameters:
    ///   - lhs: a number.
    ///   - rhs: another number.
    /// - Returns: whether `lhs` is smaller.
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.integer(let a), .integer(let b)): return a < b
        case (.double(let a), .double(let b)): return a < b
        case (.integer(let a), .double(let b)) where Double(a) != b: return Double(a) < b
        case (.double(let a), .integer(let b)) where a != Double(b): return a < Double(b)
        default: return Self.compareDecimals(lhs.decimal, rhs.decimal) < 0
        }
    }

    static func compareDecimals(_ a: Decimal, _ b: Decimal) -> Int {
        let aZero = a.digits.isEmpty
        let bZero = b.digits.isEmpty
        if aZero && bZero { return 0 }
        let aSign = aZero ? 0 : (a.negative ? -1 : 1)
        let bSign = bZero ? 0 : (b.negative ? -1 : 1)
        if aSign != bSign { return aSign < bSign ? -1 : 1 }
        // Same sign, both non-zero: compare magnitudes.
        let aMagnitude = a.digits.count + a.exponent
        let bMagnitude = b.digits.count + b.exponent
        var order = 0
        if aMagnitude != bMagnitude {
            order = aMagnitude < bMagnitude ? -1 : 1
        } else {
            let length = max(a.digits.count, b.digits.count)
            for index in 0..<length {
                let x = index < a.digits.count ? a.digits[index] : UInt8(ascii: "0")
                let y = index < b.digits.count ? b.digits[index] : UInt8(ascii: "0")
                if x != y {
                    order = x < y ? -1 : 1
                    break
                }
            }
        }
        return aSign < 0 ? -order : order
    }
}
