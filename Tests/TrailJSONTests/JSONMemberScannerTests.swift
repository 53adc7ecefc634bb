import Testing
import TrailJSON

@Suite("JSONMemberScanner")
struct JSONMemberScannerTests {
    private let scanner = JSONMemberScanner(names: ["id", "model_output", "tags", "é"])

    private func scan(_ text: String) throws(JSONParseError) -> [String?] {
        let bytes = Array(text.utf8)
        let ranges = try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try scanner.scan(buffer) }
        return ranges.map { range in range.map { String(decoding: bytes[$0], as: UTF8.self) } }
    }

    @Test("wanted members are located by the raw text of their values; others are skipped whole")
    func locates() throws {
        let found = try scan(
            #" { "skip": {"id": "inner", "a": [1, "]}"]}, "tags" : ["x", "y"], "id":"t\"1", "model_output": 1.50e3 } "#
        )
        #expect(found == [#""t\"1""#, "1.50e3", #"["x", "y"]"#, nil])
        #expect(try scan("{}") == [nil, nil, nil, nil])
    }

    @Test("a name written with escapes is decoded before it is compared")
    func escapedNames() throws {
        #expect(try scan(#"{"\u0069d": 1, "\u00e9": true}"#) == ["1", nil, nil, "true"])
    }

    @Test("structure errors carry their code and byte offset")
    func failures() {
        let cases: [(String, JSONParseError.Code, Int)] = [
            (#"{"id": 1, "id": 2}"#, .duplicateKey, 10),
            (#"["id"]"#, .syntax, 0),
            (#"{"id": 1} x"#, .syntax, 10),
            (#"{"id": 1 "tags": 2}"#, .syntax, 9),
            (#"{"id": "open"#, .unexpectedEnd, 12),
            (#"{"id": [1, {"a": 2}"#, .unexpectedEnd, 19),
            (#"{"id": }"#, .syntax, 7),
            (#"{id: 1}"#, .syntax, 1),
        ]
        for (text, code, offset) in cases {
            #expect {
                try scan(text)
            } throws: { error in
                guard let error = error as? JSONParseError else { return false }
                return error.code == code && error.offset == offset && error.message.hasSuffix("at byte \(offset)")
                    || (code == .duplicateKey && error.code == code && error.offset == offset)
            }
        }
    }
}
