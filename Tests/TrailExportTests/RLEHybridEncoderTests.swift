import Testing

@testable import TrailExport

@Suite("RLEHybridEncoder and ThriftCompactWriter")
struct RLEHybridEncoderTests {
    @Test("runs of eight or more are RLE; the rest is bit-packed in groups of eight")
    func encode() {
        var output: [UInt8] = []
        RLEHybridEncoder.encode([UInt8](repeating: 1, count: 10), bitWidth: 1, into: &output)
        #expect(output == [20, 1])
        output = []
        RLEHybridEncoder.encode([0, 1, 2, 3, 4, 5, 6, 7] as [UInt8], bitWidth: 3, into: &output)
        // The Parquet specification's example: values 0…7 at bit width 3.
        #expect(output == [3, 0b1000_1000, 0b1100_0110, 0b1111_1010])
        output = []
        RLEHybridEncoder.encode(
            [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] as [UInt8],
            bitWidth: 1,
            into: &output
        )
        // One literal topped up to eight from the run, then an RLE run of the nine zeros left.
        #expect(output == [3, 1, 18, 0])
    }

    @Test("bit widths")
    func widths() {
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 0) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 1) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 2) == 2)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 255) == 8)
    }

    @Test("compact protocol: short and long field deltas, zigzag varints, nested structs")
    func thrift() {
        var writer = ThriftCompactWriter()
        writer.field(1, i32: -1)
        writer.field(17, i64: 150)
        writer.beginStruct(18)
        writer.field(1, bool: true)
        writer.endStruct()
        writer.endMessage()
        #expect(writer.bytes == [0x15, 0x01, 0x06, 0x22, 0xAC, 0x02, 0x1C, 0x11, 0x00, 0x00])
    }
}
