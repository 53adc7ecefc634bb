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
}
