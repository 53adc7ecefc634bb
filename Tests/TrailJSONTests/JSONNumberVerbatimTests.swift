import Testing
import TrailJSON
import TrailTestSupport

@Suite("Numbers are written back as they were read")
struct JSONNumberVerbatimTests {
    static let document = #"{"a":1429.0,"b":-0.0,"c":1E5,"d":-0,"e":0.5,"f":12,"g":2.50e-3,"h":9007199254740993}"#

    @Test("a parsed document serializes to its own bytes")
    func verbatim() throws {
        let value = try JSONValue(parsing: Self.document)
        #expect(value.serializedString() == Self.document)
    }

    @Test("the canonical form (RFC 8785) ignores the written form")
    func canonical() throws {
        let value = try JSONValue(parsing: Self.document)
        let canonical = String(decoding: value.canonicalized(), as: UTF8.self)
        #expect(canonical == #"{"a":1429,"b":0,"c":100000,"d":0,"e":0.5,"f":12,"g":0.0025,"h":9007199254740992}"#)
    }

    @Test("equality and hashing stay numeric")
    func numericEquality() throws {
        let written = try JSONValue(parsing: "[1429.0, -0.0, 1E5]")
        let plain = try JSONValue(parsing: "[1429, 0, 100000]")
        #expect(written == plain)
        #expect(written.hashValue == plain.hashValue)
    }

    /// Numbers written with a fraction or exponent are Doubles (as in the other validators), so only
    /// spellings of one Double, one Int64 or one out-of-range literal are equal.
    @Test(
        "numbers that are equal hash equal, whatever their spelling or size",
        arguments: [
            ("0.1", "1e-1"), ("0.5", "5E-1"), ("-2.25", "-225e-2"), ("1e20", "100000000000000000000"),
            ("123456789012345678901234567890", "123456789012345678901234567890"), ("1.5e300", "15e299"),
            ("0.10000000000000000000000000001", "1.0000000000000000000000000001e-1"), ("3.0e400", "30e399"),
            ("9007199254740992", "9007199254740992.0"), ("-0.0", "0"),
        ]
    )
    func equalNumbersHashEqual(left: String, right: String) throws {
        let a = try JSONValue(parsing: left)
        let b = try JSONValue(parsing: right)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        // As members of a set, the basis of uniqueItems.
        #expect(Set([a, b]).count == 1)
    }

    /// The parser keeps no written form for a plain decimal that ECMAScript would write the same way; this
    /// checks that decision on many spellings near its edges (15 and 16 digits, trailing zeros, 10^-6 and
    /// 10^-7, exponents), from a fixed seed.
    @Test("plain decimals, near the edges of the shortcut, write back as they were read")
    func plainDecimals() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        var literals = [
            "0.000001", "0.0000001", "0.1234567", "123456789012345.5", "1.000000000000001", "-0.5",
            "0.30000000000000004", "5e-324", "1.7976931348623157e308", "100.0", "0.0001000",
        ]
        for _ in 0..<20_000 {
            let digits = Int(generator.next() % 17) + 1
            var text = generator.next() % 2 == 0 ? "-" : ""
            let integerDigits = Int(generator.next() % UInt64(digits + 1))
            let leadingZeros = integerDigits == 0 ? Int(generator.next() % 8) : 0
            let all = (0..<digits).map { _ in String(generator.next() % 10) }.joined()
            text += integerDigits == 0 ? "0" : String(all.prefix(integerDigits)).replacingLeadingZeros()
            if integerDigits < digits {
                text += "." + String(repeating: "0", count: leadingZeros) + all.dropFirst(integerDigits)
            }
            if generator.next() % 5 == 0 { text += "e" + String(Int(generator.next() % 40) - 20) }
            literals.append(text)
        }
        for literal in literals {
            let document = "[" + literal + "]"
            #expect(try JSONValue(parsing: document).serializedString() == document)
        }
    }
}

extension String {
    /// The digits with a leading zero replaced by 1, so that they are a valid JSON integer part.
    fileprivate func replacingLeadingZeros() -> String {
        hasPrefix("0") ? "1" + dropFirst() : self
    }
}
