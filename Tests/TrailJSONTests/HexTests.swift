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

    @Test("matches: the same answer as comparing with the string, without making it")
    func matches() {
        let digest: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let text = Hex.string(digest)
        #expect(Hex.matches(digest, text))
        #expect(Hex.matches(AnySequence(digest), text))
        #expect(Hex.matches([UInt8](), ""))
        #expect(!Hex.matches(digest, text.uppercased()))
        #expect(!Hex.matches(digest, String(text.dropLast())))
        #expect(!Hex.matches(digest, text + "0"))
        #expect(!Hex.matches(digest, ""))
        #expect(!Hex.matches([UInt8](), "00"))
        for index in text.indices {
            var changed = text
            changed.replaceSubrange(index...index, with: text[index] == "0" ? "1" : "0")
            #expect(!Hex.matches(digest, changed), "\(changed)")
        }
    }
}
