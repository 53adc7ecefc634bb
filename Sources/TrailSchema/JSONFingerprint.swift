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
                sum &+= member(bytes(object.keys[index]), of(object.values[index]))
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
        case .number:
            let value = UnsafeRawPointer(tape.bytes + Int(node.offset) + Int(node.count))
            switch node.numberForm {
            case .integer: return integer(value.loadUnaligned(as: Int64.self))
            case .double: return double(value.loadUnaligned(as: Double.self))
            case .text: return number(tape.number(index))
            }
        case .string: return bytes(tape.string(index))
        case .array:
            var state: UInt64 = 0x6172_7261 &+ UInt64(node.count)
            var child = index + 1
            let end = Int(node.end)
            while child < end {
                state = mix(state, of(tape, child))
                child = tape.end(child)
            }
            return state
        case .object:
            var sum: UInt64 = 0
            var key = index + 1
            let end = Int(node.end)
            while key < end {
                sum &+= member(bytes(tape.string(key)), of(tape, key + 1))
                key = tape.end(key + 1)
            }
            return mix(0x6F62_6A00 &+ UInt64(node.count), sum)
        }
    }

    /// Equal numbers have the same Int64 or, failing that, the same nearest Double (see JSONNumber).
    private static func number(_ number: JSONNumber) -> UInt64 {
        if let integer = number.int64Value { return self.integer(integer) }
        return double(number.doubleValue)
    }

    @inline(__always)
    private static func integer(_ integer: Int64) -> UInt64 {
        mix(0x6E75_6D00, UInt64(bitPattern: integer))
    }

    /// A double that is an Int64 fingerprints as that integer, as ``JSONNumber/int64Value`` reads it.
    @inline(__always)
    private static func double(_ double: Double) -> UInt64 {
        // Int64(exactly:) without a call to `trunc`: the range it accepts, then a round trip.
        if double >= -0x1p63 && double < 0x1p63 {
            let integer = Int64(double)
            if Double(integer) == double { return self.integer(integer) }
        }
        return mix(0x6E75_6D01, double.isNaN ? 0 : double.bitPattern)
    }

    /// A fingerprint of a string's UTF-8 bytes, eight at a time.
    static func bytes(_ string: String) -> UInt64 {
        var string = string
        return string.withUTF8 { bytes($0) }
    }

    /// A fingerprint of UTF-8 bytes, eight at a time.
    ///
    /// The length goes into the first state, so the words need only determine the bytes for that length:
    /// the last word of a longer run overlaps the one before it, four to eight bytes are two overlapping
    /// 32-bit loads, and one to three bytes are the first, middle and last byte. No byte is read one at a
    /// time in a loop, and nothing is read outside the buffer.
    static func bytes(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = buffer.count
        // The length spread over all 64 bits: a short run's word is XORed into it, and a small length would
        // let runs of neighbouring lengths cancel it ("k1" and "k10").
        let state = (UInt64(count) &+ 0x7374_7200) &* 0xA076_1D64_78BD_642F
        guard let base = buffer.baseAddress, count > 0 else { return state }
        let raw = UnsafeRawPointer(base)
        if count <= 8 {
            let word: UInt64
            if count >= 4 {
                word =
                    UInt64(raw.loadUnaligned(as: UInt32.self)) << 32
                    | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            } else {
                word = UInt64(base[0]) << 16 | UInt64(base[count >> 1]) << 8 | UInt64(base[count - 1])
            }
            return mix(state, word)
        }
        var running = state
        var offset = 0
        while offset + 8 < count {
            running = mix(running, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        return mix(running, raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }

    /// An object member's fingerprint from its key's and value's. The value's is multiplied first: ``mix(_:_:)``
    /// depends on its words' XOR, and a key equal to its string value (`{"a": "a"}`) has the same fingerprint,
    /// which would make every such member 0 and every array of such objects one long chain of comparisons.
    @inline(__always)
    static func member(_ key: UInt64, _ value: UInt64) -> UInt64 {
        mix(key, value &* 0xD6E8_FEB8_6659_FD93)
    }

    /// Combines two words: a folded multiply (the high and low halves of a 128-bit product XORed, as
    /// wyhash does), one `mul` with a short dependency chain.
    @inline(__always)
    static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let product = (state ^ word).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return product.high ^ product.low
    }
}
