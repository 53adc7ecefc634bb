import Testing
import TrailJSON

@Suite("JSON writer and RFC 8785 canonical form")
struct JSONValueSerializationTests {
    @Test("writes compact, sorted and pretty text")
    func writer() throws {
        let value = try JSONValue(parsing: #"{"b": [1, 2.5, "x\"y\u0001"], "a": {}, "c": []}"#)
        #expect(value.serializedString() == #"{"b":[1,2.5,"x\"y\u0001"],"a":{},"c":[]}"#)
        #expect(value.serializedString(sortedKeys: true) == #"{"a":{},"b":[1,2.5,"x\"y\u0001"],"c":[]}"#)
        #expect(
            value.serializedString(pretty: true)
                == "{\n  \"b\": [\n    1,\n    2.5,\n    \"x\\\"y\\u0001\"\n  ],\n  \"a\": {},\n  \"c\": []\n}"
        )
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }

    @Test("strings escape exactly their quotes, backslashes and control characters, wherever they sit")
    func escapesEverywhere() throws {
        // Escapes one character at a time, as RFC 8785 §3.2.2.2 spells them.
        func expected(_ text: String) -> String {
            var result = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\u{8}": result += "\\b"
                case "\t": result += "\\t"
                case "\n": result += "\\n"
                case "\u{C}": result += "\\f"
                case "\r": result += "\\r"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result + "\""
        }
        let specials: [Character] = ["\"", "\\", "\u{0}", "\u{1F}", "\n", "\u{8}", "é", "\u{7F}", "😀"]
        for length in 0..<40 {
            for position in 0..<max(length, 1) {
                for special in specials {
                    var characters = Array(repeating: Character("a"), count: length)
                    if position < length { characters[position] = special }
                    // A second special eight characters on, in the next word.
                    if position + 8 < length { characters[position + 8] = "\"" }
                    let text = String(characters)
                    let written = JSONValue.string(text).serializedString()
                    #expect(written == expected(text), "\(Array(text.utf8))")
                    #expect(String(decoding: JSONValue.string(text).canonicalized(), as: UTF8.self) == written)
                    #expect(try JSONValue(parsing: written) == .string(text))
                }
            }
        }
    }

    @Test("RFC 8785 §3.2.2: the example object")
    func rfcExample() throws {
        let input = #"""
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """#
        let expected =
            #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(String(decoding: try JSONValue(parsing: input).canonicalized(), as: UTF8.self) == expected)
    }

    @Test("RFC 8785 §3.2.3: members sort by UTF-16 code units")
    func rfcSorting() throws {
        let input = #"""
            {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
             "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
             "\u00f6": "Latin Small Letter O With Diaeresis"}
            """#
        let canonical = try JSONValue(parsing: JSONValue(parsing: input).canonicalized())
        #expect(canonical.objectValue?.keys == ["\r", "1", "\u{80}", "\u{F6}", "\u{20AC}", "\u{1F600}", "\u{FB33}"])
    }

    @Test(
        "RFC 8785 Appendix B: ECMAScript number serialization",
        arguments: [
            (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
            (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
            (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
            (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
            (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
            (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
            (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
            (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
            (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
            (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
            (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
            (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
        ] as [(UInt64, String)]
    )
    func ecmaScriptNumbers(bits: UInt64, expected: String) {
        let value = JSONValue.number(JSONNumber(Double(bitPattern: bits)))
        #expect(String(decoding: value.canonicalized(), as: UTF8.self) == expected)
    }

    @Test("integers beyond 2^53 go through Double in the canonical form only")
    func bigIntegers() throws {
        let value = try JSONValue(parsing: "[9007199254740993, 123456789012345678901234567890]")
        #expect(String(decoding: value.canonicalized(), as: UTF8.self) == "[9007199254740992,1.2345678901234568e+29]")
        #expect(value.serializedString() == "[9007199254740993,123456789012345678901234567890]")
    }
}
