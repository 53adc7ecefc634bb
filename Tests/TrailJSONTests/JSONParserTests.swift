import Testing
import TrailJSON

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every kind of value, keeping member order")
    func values() throws {
        let value = try JSONValue(parsing: #" {"b": [1, -2.5, true, false, null], "a": "x\u00e9\n", "c": {}} "#)
        #expect(value["b"]?[0]?.int64Value == 1)
        #expect(value["b"]?[1]?.doubleValue == -2.5)
        #expect(value["b"]?[2]?.boolValue == true)
        #expect(value["b"]?[4]?.isNull == true)
        #expect(value["a"]?.stringValue == "xé\n")
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["c"]?.objectValue?.isEmpty == true)
        #expect(value["missing"] == nil)
    }

    @Test("keeps integers beyond 2^53 exact and huge numbers as literals")
    func exactNumbers() throws {
        let value = try JSONValue(
            parsing: "[9007199254740993, -9223372036854775808, 123456789012345678901234567890, 1e400]"
        )
        #expect(value[0]?.int64Value == 9_007_199_254_740_993)
        #expect(value[1]?.int64Value == Int64.min)
        #expect(value[2]?.numberValue?.exactLiteral == "123456789012345678901234567890")
        #expect(value[2]?.numberValue?.isInteger == true)
        #expect(value[3]?.numberValue?.exactLiteral == "1e400")
        #expect(
            value.serializedString() == "[9007199254740993,-9223372036854775808,123456789012345678901234567890,1e400]"
        )
    }

    @Test(
        "parses doubles correctly rounded",
        arguments: [
            "0.1", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308", "123456.789e-3",
            "0.30000000000000004", "-0.0", "1E+2", "3.14159265358979323846",
        ]
    )
    func doubles(text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(value.doubleValue == Double(text))
    }

    @Test("numbers compare numerically")
    func numericEquality() throws {
        #expect(try JSONValue(parsing: "1.0") == JSONValue(parsing: "1"))
        #expect(try JSONValue(parsing: "10e-1") == JSONValue(parsing: "1"))
        #expect(try JSONValue(parsing: "1.5") != JSONValue(parsing: "1"))
        let set: Set<JSONValue> = [1, 1.0, "1", 2]
        #expect(set.count == 3)
    }

    @Test("strings compare by Unicode scalars, objects without regard to order")
    func structuralEquality() throws {
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSONValue(parsing: "[1,2]") != JSONValue(parsing: "[2,1]"))
    }

    @Test("reports errors with offset, line and column")
    func errorPositions() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: "{\n  \"a\": 1,\n  \"b\" 2\n}") }
        #expect(error.code == .syntax)
        #expect(error.line == 3)
        #expect(error.column == 7)
        #expect(error.offset == 18)
        #expect(error.description == "line 3, column 7: expected ':' after the key \"b\", found '2'")
    }

    @Test(
        "rejects malformed input with a clear code",
        arguments: [
            ("", JSONParseError.Code.unexpectedEnd),
            ("{\"a\": [1, 2", .unexpectedEnd),
            ("[1,]", .syntax),
            ("{\"a\":1,}", .syntax),
            ("01", .invalidNumber),
            ("1.", .invalidNumber),
            ("-", .invalidNumber),
            ("1e", .invalidNumber),
            ("tru", .syntax),
            ("\"a\tb\"", .invalidString),
            ("\"\\x\"", .invalidString),
            ("\"\\ud800\"", .invalidString),
            ("\"\\udc00\\ud800\"", .invalidString),
            ("[1] 2", .syntax),
            ("{\"a\":1,\"a\":2}", .duplicateKey),
            ("\"abc", .unexpectedEnd),
            ("NaN", .syntax),
        ]
    )
    func malformed(text: String, code: JSONParseError.Code) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(error.code == code, "\(text): \(error)")
    }

    @Test(
        "rejects invalid UTF-8",
        arguments: [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82],
            // Before an escape sequence (`"\xC3[\n"`, `"\xFF\n"`), where strings are decoded the slow way.
            [0x22, 0xC3, 0x5B, 0x5C, 0x6E, 0x22], [0x22, 0xFF, 0x5C, 0x6E, 0x22],
        ] as [[UInt8]]
    )
    func invalidUTF8(bytes: [UInt8]) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
        #expect(error.code == .invalidUTF8)
        #expect(error.offset == 1)
    }

    @Test("accepts well-formed multi-byte UTF-8 and surrogate pairs")
    func validUTF8() throws {
        let value = try JSONValue(parsing: "[\"€😀\", \"\\ud83d\\ude00\", \"\\u20AC\"]")
        #expect(value[0]?.stringValue == "€😀")
        #expect(value[1]?.stringValue == "😀")
        #expect(value[2]?.stringValue == "€")
    }

    @Test("reports duplicate keys, or keeps the last one when asked")
    func duplicateKeys() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: #"{"x": 1, "y": 2, "x": 3}"#) }
        #expect(error.code == .duplicateKey)
        #expect(error.column == 18)
        #expect(error.message == "duplicate key \"x\" in object")
        let many = "{" + (0..<100).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + ", \"k7\": 0}"
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: many) }
        let lenient = try JSONValue(parsing: #"{"x": 1, "x": 3}"#, options: .init(duplicateKeys: .keepLast))
        #expect(lenient == ["x": 3])
        #expect(try JSONValue(parsing: "{\"\u{E9}\": 1, \"e\u{301}\": 2}").objectValue?.count == 2)
    }

    @Test("accepts nesting up to the limit and fails cleanly beyond it, never overflowing the stack")
    func depth() throws {
        let deep200 = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(try JSONValue(parsing: deep200).arrayValue?.count == 1)
        let objects = String(repeating: "{\"a\":", count: 512) + "1" + String(repeating: "}", count: 512)
        #expect(try JSONValue(parsing: objects)["a"]?["a"] != nil)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: tooDeep) }
        #expect(error.code == .depthLimitExceeded)
        #expect(error.offset == 512)
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: hostile) }
        let limited = JSONParser(options: .init(maxDepth: 10))
        #expect(throws: JSONParseError.self) {
            try limited.parse(String(repeating: "[", count: 11) + String(repeating: "]", count: 11))
        }
    }

    @Test("skips a byte-order mark and surrounding whitespace")
    func byteOrderMark() throws {
        #expect(try JSONValue(parsing: [0xEF, 0xBB, 0xBF, 0x20, 0x31, 0x0A]) == 1)
    }

    @Test("parses a large string")
    func largeString() throws {
        let text = "\"" + String(repeating: "ab\\n", count: 100_000) + "\""
        #expect(try JSONValue(parsing: text).stringValue?.utf8.count == 300_000)
    }
}
