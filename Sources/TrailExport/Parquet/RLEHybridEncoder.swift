/// Parquet's RLE / bit-packing hybrid encoding, used for definition and repetition levels and for
/// dictionary indices.
///
/// Runs of eight or more equal values become RLE runs (`varint(count << 1)`, then the value in
/// `ceil(bitWidth / 8)` little-endian bytes); everything else is bit-packed in groups of eight
/// (`varint(groups << 1 | 1)`, then the values packed least significant bit first).
enum RLEHybridEncoder {
    /// The number of bits needed for values up to `maximum` (at least 1).
    static func bitWidth(forMaximum maximum: Int) -> Int {
        maximum <= 0 ? 1 : (Int.bitWidth - maximum.leadingZeroBitCount)
    }

    /// Encodes `values`, each below `1 << bitWidth`.
    ///
    /// - Parameters:
    ///   - values: the values.
    ///   - bitWidth: bits per value, 1 to 32.
    ///   - output: where the encoded runs are appended.
    static func encode<Values: RandomAccessCollection>(
        _ values: Values,
        bitWidth: Int,
        into output: inout [UInt8]
    ) where Values.Element: BinaryInteger, Values.Index == Int {
        var literals: [UInt32] = []
        var index = values.startIndex
        let end = values.endIndex
        while index < end {
            let value = values[index]
            var runEnd = index + 1
            while runEnd < end && values[runEnd] == value { runEnd += 1 }
            var start = index
            if runEnd - start >= 8 {
                // A bit-packed run must hold a multiple of eight values: top it up from this run first.
                let missing = (8 - literals.count % 8) % 8
                for _ in 0..<missing { literals.append(UInt32(value)) }
                start += missing
                if runEnd - start >= 8 {
                    flushLiterals(&literals, bitWidth: bitWidth, into: &output)
                    writeRLERun(value: UInt32(value), count: runEnd - start, bitWidth: bitWidth, into: &output)
                    index = runEnd
                    continue
                }
            }
            for position in start..<runEnd { literals.append(UInt32(values[position])) }
            index = runEnd
        }
        flushLiterals(&literals, bitWidth: bitWidth, into: &output)
    }

    private static func writeVarint(_ value: Int, into output: inout [UInt8]) {
        var value = UInt64(value)
        while value >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    private static func writeRLERun(value: UInt32, count: Int, bitWidth: Int, into output: inout [UInt8]) {
        writeVarint(count << 1, into: &output)
        for byte in 0..<((bitWidth + 7) / 8) {
            output.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(byte))))
        }
    }

    private static func flushLiterals(_ literals: inout [UInt32], bitWidth: Int, into output: inout [UInt8]) {
        guard !literals.isEmpty else { return }
        while literals.count % 8 != 0 { literals.append(0) }
        writeVarint((literals.count / 8) << 1 | 1, into: &output)
        var accumulator: UInt64 = 0
        var bits = 0
        for value in literals {
            accumulator |= UInt64(value) << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        if bits > 0 { output.append(UInt8(truncatingIfNeeded: accumulator)) }
        literals.removeAll(keepingCapacity: true)
    }
}
