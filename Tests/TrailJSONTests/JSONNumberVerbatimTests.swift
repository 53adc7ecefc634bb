import Testing
import TrailJSON

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
}
