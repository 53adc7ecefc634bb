import TrailJSON

/// A 64-bit fingerprint of a JSON value that agrees with JSON equality (equal values have equal
/// fingerprints): strings by their UTF-8 bytes, numbers by value, objects regardless of member order.
///
/// What `uniqueItems` compares first, so that only items with equal fingerprints are compared in full. It is
/// cheaper than `Hasher`, which the standard hashing of ``JSONValue`` creates afresh for every object
/// member; it is not a defence against chosen collisions, which only cost a full comparison.
enum JSONFingerprint {
    /// The fingerprint of `value`.
    ///
    /// - Parameter value: a JSON value.
    /// - Returns: its fingerprint.
    static func of(_ value: JSONValue) -> UInt64 {
        switch value {
        case .null:
            return 0x6E75_6C6C
        case .bool(let flag):
            return flag ? 0x7472_7565 : 0x6661_6C73
        case .number(let value):
            return number(value)
        case .string(let string):
            return bytes(string)
        case .array(let elements):
            var state: UInt64 = 0x6172_7261 &+ UInt64(elements.count)
            for element in elements { state = mix(state, of(element)) }
            return state
        case .object(let object):
            // A sum of per-member fingerprints: the same in any member order.
            var sum: UInt64 = 0
            for index in object.indices {
                sum &+= mix(bytes(object.keys[index]), of(object.values[index]))
            }
            return mix(0x6F62_6A00 &+ UInt64(object.count), sum)
        }
    }

    /// The fingerprint of the value at `index` of a parsed document; the same as ``of(_:)`` gives the value.
    ///
    /// - Parameters:
    ///   - tape: the document.
    ///   - index: a node.
    /// - Returns: its fingerprint.
    static func of(_ tape: TapeView, _ index: Int) -> UInt64 {
        let node = tape.nodes[index]
        switch node.kind {
        case .null: return 0x6E75_6C6C
        case .true: return 0x7472_7565
        case .false: return 0x6661_6C73
        case .number: return number(tape.number(index))
        case .string: return bytes(tape.string(index))
        case .array:
            var state: UInt64 = 0x6172_7261 &+ UInt64(node.count)
            for (child, _) in tape.elements(of: index) { state = mix(state, of(tape, child)) }
            return state
        case .object:
            var sum: UInt64 = 0
            for (key, _) in tape.members(of: index) { sum &+= mix(bytes(tape.string(key)), of(tape, key + 1)) }
            return mix(0x6F62_6A00 &+ UInt64(node.count), sum)
        }
    }

    /// Equal numbers have the same Int64 or, failing that, the same nearest Double (see JSONNumber).
    private static func number(_ number: JSONNumber) -> UInt64 {
        if let integer = number.int64Value { return mix(0x6E75_6D00, UInt64(bitPattern: integer)) }
        let double = number.doubleValue
        return mix(0x6E75_6D01, double.isNaN ? 0 : double.bitPattern)
    }

    /// A fingerprint of a string's UTF-8 bytes, eight at a time.
    static func bytes(_ string: String) -> UInt64 {
        var string = string
        return string.withUTF8 { bytes($0) }
    }

    /// A fingerprint of UTF-8 bytes, eight at a time.
    static func bytes(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var state: UInt64 = 0x7374_7200 &+ UInt64(buffer.count)
        guard let base = buffer.baseAddress else { return state }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= buffer.count {
            state = mix(state, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count {
            tail |= UInt64(buffer[offset]) << shift
            shift += 8
            offset += 1
        }
        return mix(state, tail)
    }

    /// Combines two words (a multiply-xorshift step, as in SplitMix64's finalizer).
    @inline(__always)
    static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        var value = (state ^ word) &* 0xBF58_476D_1CE4_E5B9
        value ^= value >> 27
        value = value &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
