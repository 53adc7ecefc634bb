/// Which bytes of a string JSON writes as escape sequences: `"`, `\` and the control characters below 0x20.
package enum JSONEscaping {
    /// The index of the first byte at or after `start` that is written as an escape sequence, or `bytes.count`.
    ///
    /// Looks at eight bytes at a time.
    @inline(__always)
    package static func firstEscaped(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var index = start
        while index &+ 8 <= count {
            let found = ByteParser.specialBytes(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            // The lowest flagged byte is a true match.
            if found != 0 { return index &+ found.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index &+= 1
        }
        return count
    }
}
