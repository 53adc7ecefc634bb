import Testing
import TrailJSON

@Suite("Hex")
struct HexTests {
    @Test("lowercase, two digits a byte, from any sequence of bytes")
    func digits() {
        #expect(Hex.string([UInt8]()) == "")
        #expect(Hex.string([0x00, 0x0A, 0x7F, 0x80, 0xFF]) == "000a7f80ff")
        #expect(Hex.string((0...255).map(UInt8.init)).count == 512)
        #expect(Hex.string((0...255).map(UInt8.init)).hasPrefix("000102030405060708090a0b0c0d0e0f10"))
        #expect(Hex.string((0...255).map(UInt8.init)).hasSuffix("f8f9fafbfcfdfeff"))
        // A sequence without contiguous storage.
        #expect(Hex.string(stride(from: UInt8(0xF0), through: 0xF3, by: 1)) == "f0f1f2f3")
        #expect(Hex.string(AnySequence([0xDE, 0xAD, 0xBE, 0xEF])) == "deadbeef")
    }
}
