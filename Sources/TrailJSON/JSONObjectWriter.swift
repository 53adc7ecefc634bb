/// Writes one compact JSON object member by member, without building a ``JSONValue``: the same bytes as
/// ``JSONValue/serialized(pretty:sortedKeys:)`` gives for an object of those members in that order.
///
/// For records written by the million whose members are strings, integers and nulls.
public struct JSONObjectWriter: Sendable {
    private var writer = JSONWriter(style: .compact, sortedKeys: false)
    private var members = 0

    /// Starts an object.
    public init() {
        writer.output.append(UInt8(ascii: "{"))
    }

    /// Adds a member whose value is a string, or `null` when it is `nil`.
    ///
    /// - Parameters:
    ///   - key: the member's name.
    ///   - value: the string.
    public mutating func add(_ key: String, _ value: String?) {
        name(key)
        if let value { writer.writeString(value) } else { writer.output.append(contentsOf: "null".utf8) }
    }

    /// Adds a member whose value is an integer, or `null` when it is `nil`.
    ///
    /// - Parameters:
    ///   - key: the member's name.
    ///   - value: the integer.
    public mutating func add(_ key: String, _ value: Int64?) {
        name(key)
        if let value { writer.writeNumber(JSONNumber(value)) } else { writer.output.append(contentsOf: "null".utf8) }
    }

    /// The object's bytes, closed (a copy; the writer can go on adding members).
    public var bytes: [UInt8] {
        var output = writer.output
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// Closes the object and hands over its bytes without copying them.
    ///
    /// - Returns: the object's bytes, the same as ``bytes``.
    public consuming func finish() -> [UInt8] {
        writer.output.append(UInt8(ascii: "}"))
        return writer.output
    }

    private mutating func name(_ key: String) {
        if members > 0 { writer.output.append(UInt8(ascii: ",")) }
        members += 1
        writer.writeString(key)
        writer.output.append(UInt8(ascii: ":"))
    }
}
