import Testing
import TrailJSON

@Suite("JSON parser with a projection")
struct JSONProjectionTests {
    static let document = #"""
        {"id": "trc_1", "count": 12, "ratio": 0.25, "ok": true, "none": null,
         "input": {"content": "déjà vu \u00e9 \ud83d\ude00 \"quoted\"", "nested": [1, [2, {"a": "b"}], {}]},
         "tags": ["x", "y"], "config": {"model": "m", "extra": {"deep": [1, 2, 3]}, "n": 7}}
        """#

    /// Parses with a projection and checks that plain parsing agrees on the outcome: the same error, or success.
    static func parse(_ text: String, _ projection: JSONProjection) throws -> JSONValue {
        let bytes = Array(text.utf8)
        return try parse(bytes, projection)
    }

    static func parse(_ bytes: [UInt8], _ projection: JSONProjection) throws -> JSONValue {
        let plain: Result<JSONValue, JSONParseError> = Result { try JSONParser().parse(bytes) }.mapError {
            $0 as! JSONParseError
        }
        let projected: Result<JSONValue, JSONParseError> = Result {
            try JSONParser().parse(bytes, projection: projection)
        }.mapError { $0 as! JSONParseError }
        switch (plain, projected) {
        case (.success, .success(let value)):
            return value
        case (.failure(let expected), .failure(let error)):
            #expect(error == expected)
            throw error
        default:
            Issue.record("plain parsing gives \(plain), with a projection \(projected)")
            return try projected.get()
        }
    }

    @Test("a type-only value is an empty value of its type; numbers, Booleans and null are kept")
    func typeOnly() throws {
        #expect(try Self.parse(Self.document, .typeOnly) == [:])
        #expect(try Self.parse(#""a \"long\" string é""#, .typeOnly) == "")
        #expect(try Self.parse("[1, [2], {\"a\": 3}]", .typeOnly) == [])
        #expect(try Self.parse("-12.5e3", .typeOnly) == -12_500)
        #expect(try Self.parse("true", .typeOnly) == true)
        #expect(try Self.parse(" null ", .typeOnly) == .null)
    }

    @Test("named members follow their own projection, the others the default; non-objects are kept whole")
    func members() throws {
        let projection = JSONProjection.members(
            [
                "id": .whole, "input": .typeOnly, "tags": .members([:], others: .typeOnly),
                "config": .members(["model": .whole, "extra": .typeOnly], others: .whole),
            ],
            others: .typeOnly
        )
        let value = try Self.parse(Self.document, projection)
        let whole = try JSONValue(parsing: Self.document)
        #expect(value.objectValue?.keys == whole.objectValue?.keys)
        #expect(value["id"] == "trc_1")
        #expect(value["count"] == 12)
        #expect(value["ratio"] == 0.25)
        #expect(value["ok"] == true)
        #expect(value["none"] == .null)
        #expect(value["input"] == [:])
        #expect(value["tags"] == whole["tags"])
        #expect(value["config"] == ["model": "m", "extra": [:], "n": 7])
        #expect(try Self.parse(Self.document, .whole) == whole)
        #expect(try Self.parse(Self.document, .members([:], others: .whole)) == whole)
    }

    @Test(
        "skipped parts are checked like the rest, with plain parsing's errors",
        arguments: [
            #"{"a": "\u00e9", "b": "x\ty"}"#,
            #"{"a": {"k": 1, "k": 2}}"#,
            #"{"a": {"k": 1, "\u006b": 2}}"#,
            #"{"a": ["x", {"b": "\ud800"}]}"#,
            #"{"a": ["\udc00"]}"#,
            #"{"a": ["\ud800\u0041"]}"#,
            #"{"a": ["\q"]}"#,
            #"{"a": ["\u12G4"]}"#,
            #"{"a": [01]}"#,
            #"{"a": [1.]}"#,
            #"{"a": [-]}"#,
            #"{"a": [1e]}"#,
            #"{"a": [1,]}"#,
            #"{"a": {"b" 1}}"#,
            #"{"a": {"b": 1,}}"#,
            #"{"a": [tru]}"#,
            #"{"a": "unterminated}"#,
            #"{"a": [1, 2"#,
            #"{"a": {}} x"#,
            #"{"a": [1e+5, -0.0, 0, 12.5E-3, "\/\b\f\n\r\t\"\\"]}"#,
            #"{"a": {"\ud83d\ude00": [{"": {}}]}}"#,
        ]
    )
    func checked(text: String) throws {
        _ = try? Self.parse(text, .typeOnly)
        _ = try? Self.parse(text, .members([:], others: .typeOnly))
    }

    @Test("invalid UTF-8 and control characters in skipped strings are found")
    func invalidBytes() throws {
        for bad: [UInt8] in [
            [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x01],
        ] {
            let bytes = Array(#"{"a": ["ok", "x"#.utf8) + bad + Array(#"y"]}"#.utf8)
            #expect(throws: JSONParseError.self) { try Self.parse(bytes, .typeOnly) }
        }
        let long = Array(#"{"a": ""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 37) + [0xFF] + Array("\"}".utf8)
        #expect(throws: JSONParseError.self) { try Self.parse(long, .members([:], others: .typeOnly)) }
    }

    @Test("depth limits and large objects inside skipped parts")
    func limits() throws {
        let options = JSONParser.Options(maxDepth: 10)
        let deep = "{\"a\": " + String(repeating: "[", count: 9) + String(repeating: "]", count: 9) + "}"
        let tooDeep = "{\"a\": " + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}"
        #expect(try JSONParser(options: options).parse(Array(deep.utf8), projection: .typeOnly) == [:])
        #expect(
            try JSONParser(options: options).parse(Array(deep.utf8), projection: .members([:], others: .typeOnly))
                == ["a": []]
        )
        let error = try #require(throws: JSONParseError.self) {
            try JSONParser(options: options).parse(Array(tooDeep.utf8), projection: .members([:], others: .typeOnly))
        }
        #expect(error.code == .depthLimitExceeded)
        let members = (0..<200).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        // Large objects (and escaped keys) in a skipped part are left to plain parsing, which keeps them.
        let large = "{\"a\": {\(members)}}"
        #expect(try Self.parse(large, .members([:], others: .typeOnly)) == (try JSONValue(parsing: large)))
        #expect(try Self.parse(#"{"a": {"\u0062": 1}}"#, .members([:], others: .typeOnly)) == ["a": ["b": 1]])
        #expect(throws: JSONParseError.self) {
            try Self.parse("{\"a\": {\(members), \"k150\": 0}}", .members([:], others: .typeOnly))
        }
        // More keys of open objects, or more open containers, than skipping keeps at once: plain parsing again.
        let outer = (0..<40).map { "\"o\($0)\": \($0)" }.joined(separator: ", ")
        let inner = (0..<30).map { "\"i\($0)\": \($0)" }.joined(separator: ", ")
        let manyOpen = "{\"a\": {\(outer), \"in\": {\(inner)}, \"after\": 1}}"
        #expect(try Self.parse(manyOpen, .members([:], others: .typeOnly)) == (try JSONValue(parsing: manyOpen)))
        let nested =
            "{\"a\": " + String(repeating: "[{\"k\": ", count: 50) + "1" + String(repeating: "}]", count: 50) + "}"
        #expect(try Self.parse(nested, .members([:], others: .typeOnly)) == (try JSONValue(parsing: nested)))
        // An object's keys are its own: a nested object's keys neither repeat nor hide the outer ones.
        #expect(
            try Self.parse(#"{"a": {"k": {"k": 1}, "j": {"k": 2}}}"#, .members([:], others: .typeOnly)) == ["a": [:]]
        )
        #expect(try Self.parse(#"{"a": {"x": {"k": 1}, "k": 2}}"#, .members([:], others: .typeOnly)) == ["a": [:]])
        #expect(throws: JSONParseError.self) {
            try Self.parse(#"{"a": {"k": {"k": 1}, "k": 2}}"#, .members([:], others: .typeOnly))
        }
        #expect(throws: JSONParseError.self) {
            try Self.parse("{\"a\": {\(outer), \"in\": {\(inner)}, \"o3\": 1}}", .members([:], others: .typeOnly))
        }
    }

    @Test("random corruptions give the same outcome with and without a projection")
    func corruptions() throws {
        let original = Array(Self.document.utf8)
        let projections: [JSONProjection] = [
            .typeOnly, .members(["config": .members(["model": .whole], others: .typeOnly)], others: .typeOnly),
        ]
        let replacements: [UInt8] = Array("{}[]\",:\\u0eE.-+ ".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xE9, 0xFF]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<3_000 {
            var bytes = original
            for _ in 0...next(2) {
                let position = next(bytes.count)
                switch next(3) {
                case 0: bytes[position] = replacements[next(replacements.count)]
                case 1: bytes.remove(at: position)
                default: bytes.insert(replacements[next(replacements.count)], at: position)
                }
            }
            for projection in projections { _ = try? Self.parse(bytes, projection) }
        }
    }
}
