import Testing
import TrailTestSupport

@testable import TrailJSON

@Suite("JSON tape")
struct JSONTapeTests {
    /// Parses `bytes` into a tape and with ``JSONParser``, and checks that both accept or both reject it, and
    /// that the tape holds the parser's value.
    static func agree(
        _ bytes: [UInt8],
        projection: JSONProjection = .whole,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        var tape = JSONTape()
        let taped = bytes.withUnsafeBufferPointer { tape.parse($0, projection: projection) }
        let parsed = try? JSONParser().parse(bytes, projection: projection)
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        #expect(
            taped == (parsed != nil),
            "tape \(taped), parser \(parsed != nil): \(text)",
            sourceLocation: sourceLocation
        )
        guard taped, let parsed else {
            #expect(tape.nodes.isEmpty, "a rejected document leaves no nodes", sourceLocation: sourceLocation)
            return false
        }
        let value = tape.value(at: 0)
        #expect(value == parsed, "\(text)", sourceLocation: sourceLocation)
        #expect(tape.canonicalized(at: 0) == parsed.canonicalized(), "\(text)", sourceLocation: sourceLocation)
        #expect(Int(tape.nodes[0].end) == tape.nodes.count, sourceLocation: sourceLocation)
        return true
    }

    static let documents = [
        #"{"id": "trc_1", "count": 12, "ratio": 0.25, "big": 12345678901234567890, "neg": -0, "e": 1E5, "f": 1.0}"#,
        #"{"s": "déjà vu \u00e9 \ud83d\ude00 \"quoted\" \\ \/ \b\f\n\r\t", "k\u00e9y": [1, [2, {"a": "b"}], {}, []]}"#,
        "\u{FEFF}  [true, false, null, \"\", 0, -1.5e-7, 3]  \n",
        #""just a string""#, "42", "null", "[]", "{}",
        #"{"a": {"b": {"c": {"d": [[[[["deep"]]]]]}}}, "e": "\u0000"}"#,
        "{" + (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + "}",
    ]

    static let malformed = [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "tru", "nul",
        "[\"a\\x\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[\"a\nb\"]", "{\"a\":1} x",
        "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "[1] [2]", "\"unterminated",
        "{" + (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k7\": 0}",
        "{" + (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k39\": 0}",
        String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
    ]

    @Test("holds what the parser builds, and rejects what it rejects")
    func agreesWithParser() {
        for document in Self.documents { #expect(Self.agree(Array(document.utf8))) }
        for document in Self.malformed { #expect(!Self.agree(Array(document.utf8)), "\(document.prefix(80))") }
        // Bad UTF-8: a stray continuation byte, an overlong form, a surrogate, a cut-off character.
        for bad: [UInt8] in [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]] {
            #expect(!Self.agree(Array("[\"a".utf8) + bad + Array("\"]".utf8)))
        }
        let nested = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(Self.agree(Array(nested.utf8)))
    }

    @Test("strings and numbers of every length up to 40 are copied whole, each byte in its place")
    func everyLength() {
        for length in 0...40 {
            // Distinct bytes, so that a byte copied to the wrong place shows.
            let text = String("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".prefix(length))
            let digits = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x31 + $0 % 9))) })
            let number = length == 0 ? "0" : digits
            let document = #"{"\#(text)": ["\#(text)", \#(number), -\#(number).5, "\#(text)x"]}"#
            #expect(Self.agree(Array(document.utf8)), "\(length)")
        }
    }

    @Test("a repeated key at every position of objects of 1 to 40 members, among keys alike in length and ends")
    func repeatedKeys() {
        // Keys of one length that start and end alike, so that they share the bit that lets a new key skip the
        // comparisons; an empty key; and the same keys escaped.
        let middles = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn")
        let keys = middles.map { "k\($0)z" } + [""]
        for size in 1...40 {
            let members = keys.prefix(size).map { "\"\($0)\":1" }
            var accepted = 0
            #expect(Self.agree(Array(("{" + members.joined(separator: ",") + "}").utf8)))
            for repeated in 0..<size {
                let escaped = keys[repeated].unicodeScalars.map { "\\u00" + String($0.value, radix: 16) }.joined()
                for spelling in [keys[repeated], escaped] {
                    let document = "{" + (members + ["\"\(spelling)\":2"]).joined(separator: ",") + "}"
                    if Self.agree(Array(document.utf8)) { accepted += 1 }
                }
            }
            #expect(accepted == 0, "\(size) members")
            // Nested in an array and an object, after a member holding an object with the same keys.
            let nested = "[{\"o\":{" + members.joined(separator: ",") + "}," + members.joined(separator: ",") + "}]"
            #expect(Self.agree(Array(nested.utf8)))
        }
        #expect(!Self.agree(Array(#"{"":1,"":2}"#.utf8)))
    }

    @Test("a seeded stream of mutated documents: accepted and rejected alike, with the same values")
    func mutations() {
        var random = SeededGenerator(seed: 0x7A9E)
        let alphabet = Array(#"{}[]",:\ 0123456789.eE-+tfnulraé"#.utf8) + [0x80, 0xC3, 0xED, 0xF0, 0x00, 0x1F]
        var accepted = 0
        for round in 0..<4_000 {
            var bytes = Array(Self.documents[round % Self.documents.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = alphabet.randomElement(using: &random)!
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                default: if bytes.count > 1 { bytes.remove(at: position) }
                }
            }
            if Self.agree(bytes) { accepted += 1 }
        }
        // Both outcomes are exercised.
        #expect(accepted > 200 && accepted < 3_800, "\(accepted) of 4,000 accepted")
    }

    @Test("with a projection: the same placeholders as the parser")
    func projection() {
        let projection = JSONProjection.members(["input": .typeOnly, "tags": .typeOnly], others: .whole)
        for document in Self.documents + [#"{"input": {"a": [1, 2]}, "tags": ["x"], "n": 1}"#] {
            #expect(Self.agree(Array(document.utf8), projection: projection))
        }
        let skippedLarge = #"{"input": {"# + (0..<70).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + "}}"
        #expect(Self.agree(Array(skippedLarge.utf8), projection: projection))
        #expect(!Self.agree(Array(#"{"input": {"a": 1, "a": 2}}"#.utf8), projection: projection))
    }

    @Test("one tape for many documents: its stacks grow, shrink and are reused, rejected documents included")
    func reuse() throws {
        let deep = Array((String(repeating: "[", count: 512) + "\"x\"" + String(repeating: "]", count: 512)).utf8)
        let tooDeep = Array((String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)).utf8)
        let wide = Array(("{" + (0..<300).map { "\"k\($0)\": [\($0)]" }.joined(separator: ", ") + "}").utf8)
        let repeated = Array(("{" + (0..<300).map { "\"k\($0 % 299)\": \($0)" }.joined(separator: ", ") + "}").utf8)
        var tape = JSONTape()
        // Each document in turn on the same tape, twice round: what it holds is what the parser reads.
        for document in [deep, wide, tooDeep, repeated, Array(Self.documents[0].utf8), deep, repeated, wide] {
            let parsed = try? JSONParser().parse(document)
            let taped = document.withUnsafeBufferPointer { tape.parse($0) }
            #expect(taped == (parsed != nil))
            if taped, let parsed { #expect(tape.value(at: 0) == parsed) } else { #expect(tape.nodes.isEmpty) }
        }
    }

    @Test("one tape with a projection for many documents: skipped keys, escapes and failures leave nothing behind")
    func reuseWithProjection() {
        let projection = JSONProjection.members(["input": .typeOnly], others: .whole)
        let compiled = TapeProjection(projection)
        let documents = [
            #"{"input": {"a": 1, "b": {"c": 2, "d": [3]}}, "s": "x\u00e9\n"}"#,
            // The same keys in the skipped object again: not duplicates of the last document's.
            #"{"input": {"a": 1, "b": {"c": 2, "d": [3]}}, "s": "y\"z"}"#,
            #"{"input": {"a": 1, "b": {"c": 2, "c": 3}}}"#,
            #"{"input": {"a": 1, "b": {"c": 2, "d": [3, "#,
            #"{"input": {"b": 1, "a": 2, "e": {"a": 1}}, "s": "\ud83d\ude00"}"#,
            #"{"input": [{"a": 1}, {"a": 1}], "s": "\t"}"#,
        ]
        var tape = JSONTape()
        for _ in 0..<2 {
            for document in documents {
                let bytes = Array(document.utf8)
                let parsed = try? JSONParser().parse(bytes, projection: projection)
                let taped = bytes.withUnsafeBufferPointer { tape.parse($0, projection: compiled) }
                #expect(taped == (parsed != nil), "\(document)")
                if taped, let parsed { #expect(tape.value(at: 0) == parsed, "\(document)") }
            }
        }
    }

    @Test("bytes beyond the first block, and a copy that keeps its bytes when the original parses again")
    func storage() throws {
        // Strings and numbers well past the tape's first 4 KiB of bytes, so that it grows while parsing.
        let long = String(repeating: "déjà vu ", count: 2_000)
        let numbers = (0..<3_000).map { "\($0 * 7919).\($0 % 10)" }.joined(separator: ", ")
        let document = Array("{\"long\": \"\(long)\", \"numbers\": [\(numbers)], \"end\": \"x\"}".utf8)
        #expect(Self.agree(document))
        var tape = JSONTape()
        #expect(document.withUnsafeBufferPointer { tape.parse($0) })
        let copy = tape
        let other = Array(#"["replaced", 1, 2]"#.utf8)
        #expect(other.withUnsafeBufferPointer { tape.parse($0) })
        #expect(copy.value(at: 0) == (try JSONParser().parse(document)), "the copy still holds the first document")
        #expect(tape.value(at: 0) == ["replaced", 1, 2])
        var again = copy
        #expect(other.withUnsafeBufferPointer { again.parse($0) })
        #expect(copy.withBytes(at: 2) { String(decoding: $0, as: UTF8.self) } == long)
    }

    @Test("nodes: counts, ends and plain integers")
    func nodes() throws {
        var tape = JSONTape()
        let bytes = Array(#"{"a": [1, 2.5, "x"], "b": {}}"#.utf8)
        #expect(bytes.withUnsafeBufferPointer { tape.parse($0) })
        let kinds = tape.nodes.map(\.kind)
        #expect(kinds == [.object, .string, .array, .number, .number, .string, .string, .object])
        #expect(tape.nodes[0].count == 2 && tape.nodes[2].count == 3 && tape.nodes[7].count == 0)
        #expect(tape.nodes[2].end == 6 && tape.nodes[0].end == 8)
        #expect(tape.nodes[3].numberForm == .integer && tape.nodes[4].numberForm == .double)
        #expect(tape.number(at: 4) == JSONNumber(2.5))
        #expect(tape.withBytes(at: 5) { Array($0) } == Array("x".utf8))
    }

    @Test("numbers of 16 to 19 significant digits: the correctly rounded double, halfway cases included")
    func extendedPrecisionNumbers() throws {
        var random = SeededGenerator(seed: 0x1619)
        var spellings: [String] = []
        for _ in 0..<50_000 {
            let digits = Int.random(in: 16...19, using: &random)
            var mantissa = String(Int.random(in: 1...9, using: &random))
            for _ in 1..<digits { mantissa += String(Int.random(in: 0...9, using: &random)) }
            let point = Int.random(in: 0...digits, using: &random)
            var text = point == 0 ? "0." + mantissa : String(mantissa.prefix(point)) + "." + mantissa.dropFirst(point)
            if text.hasSuffix(".") { text += "0" }
            if Bool.random(using: &random) { text += "e" + String(Int.random(in: -20...20, using: &random)) }
            spellings.append((Bool.random(using: &random) ? "-" : "") + text)
        }
        // Halfway between two doubles (an odd integer in [2^53, 2^54), where doubles are even integers), and
        // just above and below it: the cases where rounding twice could go wrong.
        for _ in 0..<2_000 {
            let halfway = UInt64.random(in: (1 << 53)..<(1 << 54), using: &random) | 1
            spellings += ["\(halfway).0", "\(halfway)e0", "\(halfway).01", "\(halfway - 1).99", "\(halfway).001"]
            spellings += ["\(halfway - 1).999", "\(halfway).0001", "\(halfway - 1).9999", "0.\(halfway)e17"]
        }
        var tape = JSONTape()
        var mismatches: [String] = []
        for text in spellings {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { tape.parse($0) })
            let expected = try #require(Double(text))
            let taped = tape.number(at: 0).doubleValue
            if taped.bitPattern != expected.bitPattern { mismatches.append("\(text): \(taped) against \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(spellings.count): \(mismatches.prefix(5))")
    }

    @Test("canonical form from the tape: members in UTF-16 order at every depth, as the value writes them")
    func canonicalOrder() throws {
        // Byte order and UTF-16 order differ between U+E000–U+FFFF and characters above U+FFFF.
        let keys = [
            "", "a", "ab", "a\u{10000}", "a\u{E000}", "é", "\u{D7FF}", "\u{E000}", "\u{FFFF}", "\u{10000}", "😀",
        ]
        var random = SeededGenerator(seed: 0xC0DE)
        for round in 0..<200 {
            let shuffled = keys.shuffled(using: &random)
            let inner = JSONValue.object(
                JSONObject(shuffled.enumerated().map { ($0.element, JSONValue.number(JSONNumber(Int64($0.offset)))) })
            )
            let outer = JSONValue.object(
                JSONObject([
                    ("z\u{E000}", inner), ("z\u{10000}", .array([inner, .string("\u{0}\"\\\n")])),
                    ("m", .number(JSONNumber(Int64(round)))),
                ])
            )
            let bytes = outer.serialized()
            var tape = JSONTape()
            #expect(bytes.withUnsafeBufferPointer { tape.parse($0) })
            let canonical = (tape: tape.canonicalized(at: 0), value: outer.canonicalized())
            #expect(String(decoding: canonical.tape, as: UTF8.self) == String(decoding: canonical.value, as: UTF8.self))
            #expect(tape.canonicalized(at: try #require(tape.member("m"))) == Array(String(round).utf8))
        }
        var tape = JSONTape()
        let text = #"{"\#u{E000}": 1, "\#u{10000}": 2, "b": "x\u00e9", "a": [3]}"#
        #expect(Array(text.utf8).withUnsafeBufferPointer { tape.parse($0) })
        #expect(
            String(decoding: tape.canonicalized(at: 0), as: UTF8.self)
                == #"{"a":[3],"b":"xé","\#u{10000}":2,"\#u{E000}":1}"#
        )
        #expect(tape.member("b").flatMap(tape.string(at:)) == "xé")
        #expect(tape.member("a").flatMap(tape.string(at:)) == nil)
        let array = try #require(tape.member("a"))
        #expect(tape.member("c") == nil && tape.member("x", in: array) == nil)
    }

    @Test("sameBytes: every length up to 40, a difference at every position, buffers of other lengths")
    func sameBytes() {
        for count in 0...40 {
            let base = (0..<count).map { UInt8(truncatingIfNeeded: 0x41 &+ $0 &* 7) }
            base.withUnsafeBufferPointer { a in
                Array(base).withUnsafeBufferPointer { same in #expect(JSONTape.sameBytes(a, same), "\(count)") }
                for position in 0..<count {
                    var other = base
                    other[position] ^= 0x20
                    other.withUnsafeBufferPointer { b in
                        #expect(!JSONTape.sameBytes(a, b), "\(count) bytes, differing at \(position)")
                    }
                }
                (base + [0x41]).withUnsafeBufferPointer { longer in
                    #expect(!JSONTape.sameBytes(a, longer))
                    #expect(JSONTape.sameBytes(a, UnsafeBufferPointer(rebasing: longer[0..<count])))
                }
            }
        }
    }

    @Test("digit runs: every count of leading digits, before every byte that is not one")
    func digitRuns() {
        var generator = SeededGenerator(seed: 8)
        for count in 0...8 {
            for stop in UInt8.min...UInt8.max where stop &- UInt8(ascii: "0") >= 10 {
                var bytes = (0..<8).map { _ in UInt8(ascii: "0") + UInt8(generator.next() % 10) }
                if count < 8 {
                    bytes[count] = stop
                    for index in (count + 1)..<8 { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
                }
                let run = bytes.withUnsafeBufferPointer { ByteParser.digitRun($0.baseAddress!) }
                let digits = String(decoding: bytes.prefix(count), as: UTF8.self)
                #expect(run.count == count, "\(bytes)")
                #expect(run.value == (count == 0 ? 0 : UInt64(digits)!), "\(bytes)")
            }
        }
    }

    @Test("long runs of digits: the values Swift's own Int64 and Double initializers give")
    func longDigitRuns() throws {
        var random = SeededGenerator(seed: 0x8D16)
        var spellings = [
            "12345678", "123456789012345678", "99999999", "10000000", "0.12345678", "0.000000012345678901",
        ]
        func digits(_ count: Int) -> String {
            String(Int.random(in: 1...9, using: &random))
                + (1..<max(1, count)).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
        }
        for _ in 0..<20_000 {
            let integer = digits(Int.random(in: 1...18, using: &random))
            let zeros = String(repeating: "0", count: Int.random(in: 0...9, using: &random))
            let fraction = digits(Int.random(in: 1...22, using: &random))
            // A short integer right after a long one.
            let cut = Int.random(in: 1...8, using: &random)
            spellings += [
                integer, "-" + integer, integer + "." + zeros + fraction, "0." + zeros + fraction,
                integer + "." + fraction + "e" + String(Int.random(in: -9...9, using: &random)),
                "[" + integer + "," + String(integer.prefix(cut)) + "]",
            ]
        }
        var tape = JSONTape()
        var mismatches: [String] = []
        for text in spellings {
            #expect(Array(text.utf8).withUnsafeBufferPointer { tape.parse($0) }, "\(text)")
            if text.hasPrefix("[") {
                let parts = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                for (index, part) in parts.enumerated() where !part.isEmpty {
                    if tape.number(at: index + 1).int64Value != Int64(part) { mismatches.append(text) }
                }
            } else if !text.contains("."), let expected = Int64(text) {
                if tape.number(at: 0).int64Value != expected { mismatches.append(text) }
            } else {
                let expected = try #require(Double(text))
                if tape.number(at: 0).doubleValue.bitPattern != expected.bitPattern { mismatches.append(text) }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(spellings.count): \(mismatches.prefix(5))")
    }

    @Test("numbers: the parser's values, by every path (Int64, the exact fast path, strtod, text)")
    func numbers() throws {
        var random = SeededGenerator(seed: 0x4E55)
        let limits: [JSONNumber] = [
            0, 1, -1, 600_000, JSONNumber(0.5), JSONNumber(1e-7), JSONNumber(9_007_199_254_740_993),
        ]
        var spellings = [
            "0", "-0", "0.0", "-0.0", "1.0", "1.50", "1e5", "1E+2", "-2.5e-3", "9007199254740993", "123456789012345678",
            "1234567890123456789", "99999999999999999999", "0.1", "0.30000000000000004", "1e400", "-1e400", "1e-400",
            "4.9e-324", "1.7976931348623157e308", "0.000001", "0.0000001", "12345.678901234567",
        ]
        for _ in 0..<3_000 {
            let digits = (0..<Int.random(in: 1...20, using: &random)).map { _ in
                String(Int.random(in: 0...9, using: &random))
            }.joined()
            var text = (Bool.random(using: &random) ? "-" : "") + (digits.hasPrefix("0") ? "1" + digits : digits)
            if Bool.random(using: &random) {
                text += "." + String(Int.random(in: 0...999_999_999, using: &random))
            }
            if Int.random(in: 0..<4, using: &random) == 0 {
                text += "e" + String(Int.random(in: -30...30, using: &random))
            }
            spellings.append(text)
        }
        for text in spellings {
            var tape = JSONTape()
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { tape.parse($0) })
            let taped = tape.number(at: 0)
            let parsed = try #require(try JSONParser().parse(bytes).numberValue)
            #expect(taped == parsed && taped.isInteger == parsed.isInteger, "\(text): \(taped) against \(parsed)")
            #expect(taped.int64Value == parsed.int64Value && taped.doubleValue == parsed.doubleValue, "\(text)")
            #expect(tape.canonicalized(at: 0) == JSONValue.number(parsed).canonicalized(), "\(text)")
            for limit in limits {
                #expect((taped < limit) == (parsed < limit) && (limit < taped) == (limit < parsed), "\(text), \(limit)")
            }
        }
    }

    @Test("a number copied as written into the canonical form is what ECMAScript writes for its double")
    func canonicalNumbersAsWritten() throws {
        var random = SeededGenerator(seed: 0xC0FF)
        var spellings = [
            "0", "-0", "7", "-7", "0.5", "-0.5", "0.000001", "0.0000001", "0.0000012", "0.00000123", "1.000001",
            "100", "1000000000000000", "100000000000000", "999999999999999", "9999999999999999", "123456789012345.6",
            "12345678901234.5", "0.123456789012345", "0.1234567890123456", "1.10", "1.0", "0.30000000000000004",
            "5e-7", "1e21", "100000000000000000000", "1000000000000000000000", "-1000000000000001",
        ]
        for _ in 0..<5_000 {
            let digit = { String(Int.random(in: 0...9, using: &random)) }
            let integer =
                Bool.random(using: &random)
                ? "0"
                : String(Int.random(in: 1...9, using: &random))
                    + (0..<Int.random(in: 0...17, using: &random)).map { _ in digit() }.joined()
            var text = (Bool.random(using: &random) ? "-" : "") + integer
            if Int.random(in: 0..<3, using: &random) > 0 {
                text +=
                    "." + String(repeating: "0", count: Int.random(in: 0...8, using: &random))
                    + (0..<Int.random(in: 1...16, using: &random)).map { _ in digit() }.joined()
            }
            spellings.append(text)
        }
        var copied = 0
        for text in spellings {
            var tape = JSONTape()
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { tape.parse($0) })
            let parsed = try #require(try JSONParser().parse(bytes).numberValue)
            let canonical = tape.canonicalized(at: 0)
            // The value's canonical form always goes through the double's shortest digits.
            #expect(canonical == JSONValue.number(parsed).canonicalized(), "\(text)")
            if bytes.withUnsafeBufferPointer({ JSONWriter.isCanonicalAsWritten($0) }) {
                copied += 1
                #expect(canonical == bytes, "\(text)")
            }
        }
        // Both kinds occur in numbers.
        #expect(copied > 1_000 && copied < spellings.count - 1_000, "\(copied) of \(spellings.count) copied")
    }
}
