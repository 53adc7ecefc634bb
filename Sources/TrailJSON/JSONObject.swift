/// A JSON object: members in their original order, with keyed lookup.
///
/// Keys compare by Unicode scalars (byte-wise UTF-8), not by Swift's canonical equivalence, so `"é"` and
/// `"e\u{301}"` are different keys, as JSON requires. Equality ignores member order.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// The keys, in order.
    public private(set) var keys: [String]
    /// The values, in the order of ``keys``.
    public private(set) var values: [JSONValue]
    /// Key → position, built only for larger objects.
    private var index: [ScalarKey: Int]?

    /// Objects with at least this many members get a hash index; smaller ones are searched linearly.
    static let indexThreshold = 24

    /// Creates an empty object.
    public init() {
        keys = []
        values = []
        index = nil
    }

    /// Creates an object from members in order; a later duplicate key replaces the earlier value.
    ///
    /// - Parameter members: key-value pairs.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// Creates an object from a dictionary literal, keeping the literal's order.
    ///
    /// - Parameter elements: key-value pairs.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// Creates an object from keys and values known to be free of duplicates (the parser's path).
    init(uniqueKeys keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
        index = nil
        if keys.count >= Self.indexThreshold { rebuildIndex() }
    }

    private mutating func rebuildIndex() {
        var index: [ScalarKey: Int] = [:]
        index.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() { index[ScalarKey(key)] = position }
        self.index = index
    }

    /// The position of `key`, if present.
    ///
    /// - Parameter key: a member name.
    /// - Returns: its index in ``keys`` and ``values``.
    public func position(of key: String) -> Int? {
        if let index { return index[ScalarKey(key)] }
        for position in keys.indices where scalarEqual(keys[position], key) { return position }
        return nil
    }

    /// The value for `key`; setting `nil` removes the member, setting a value replaces or appends it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    values[position] = newValue
                } else {
                    keys.remove(at: position)
                    values.remove(at: position)
                    if index != nil { rebuildIndex() }
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
                if index != nil {
                    index?[ScalarKey(key)] = keys.count - 1
                } else if keys.count >= Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    /// Whether `key` is present.
    ///
    /// - Parameter key: a member name.
    /// - Returns: `true` when the object has that member.
    public func contains(key: String) -> Bool {
        position(of: key) != nil
    }

    // MARK: RandomAccessCollection of members

    /// The first position.
    public var startIndex: Int { 0 }
    /// One past the last position.
    public var endIndex: Int { keys.count }

    /// The member at `position`.
    public subscript(position: Int) -> (key: String, value: JSONValue) {
        (keys[position], values[position])
    }

    // MARK: Equality

    /// Equal when both have the same keys with equal values, in any order.
    ///
    /// - Parameters:
    ///   - lhs: an object.
    ///   - rhs: another object.
    /// - Returns: whether they are equal as JSON.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.keys.count == rhs.keys.count else { return false }
        for position in lhs.keys.indices {
            guard let other = rhs.position(of: lhs.keys[position]), lhs.values[position] == rhs.values[other] else {
                return false
            }
        }
        return true
    }

    /// Hashes the members independently of their order.
    ///
    /// - Parameter hasher: the hasher.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for position in keys.indices {
            var member = Hasher()
            ScalarKey(keys[position]).hash(into: &member)
            member.combine(values[position])
            combined ^= member.finalize()
        }
        hasher.combine(keys.count)
        hasher.combine(combined)
    }
}

/// A string compared and hashed by its UTF-8 bytes (Unicode scalars), not by canonical equivalence.
///
/// JSON's equality for member names and strings: `"\u212B"` (ANGSTROM SIGN) and `"A\u030A"` are different
/// names, although Swift's `String` compares them equal.
public struct ScalarKey: Hashable, Sendable {
    /// The string.
    public let string: String

    /// Wraps `string`.
    ///
    /// - Parameter string: a string.
    public init(_ string: String) {
        self.string = string
    }

    /// Whether both have the same Unicode scalars.
    ///
    /// - Parameters:
    ///   - lhs: a key.
    ///   - rhs: another key.
    /// - Returns: whether their UTF-8 bytes are equal.
    public static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool {
        scalarEqual(lhs.string, rhs.string)
    }

    /// Hashes the UTF-8 bytes.
    ///
    /// - Parameter hasher: the hasher.
    public func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Whether two strings have the same Unicode scalars (byte-wise UTF-8 equality).
@inline(__always)
func scalarEqual(_ lhs: String, _ rhs: String) -> Bool {
    let count = lhs.utf8.count
    guard count == rhs.utf8.count else { return false }
    if let result = lhs.utf8.withContiguousStorageIfAvailable({ left in
        rhs.utf8.withContiguousStorageIfAvailable { right in
            count == 0 || memcmpBytes(left.baseAddress!, right.baseAddress!, count)
        }
    }), let result {
        return result
    }
    return lhs.utf8.elementsEqual(rhs.utf8)
}

@inline(__always)
private func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for offset in 0..<count where a[offset] != b[offset] { return false }
    return true
}
