import Testing
import TrailJSON
import TrailSchema

/// The verdict on a document parsed into a ``JSONTape`` against the verdicts on its ``JSONValue`` tree, where
/// the JSON-Schema-Test-Suite does not reach: instances larger than its, and member names it does not use.
@Suite("tape evaluation")
struct TapeEvaluatorTests {
    /// The three verdicts (tree, tree with errors, tape) on `instance` as written, which must agree.
    static func verdict(
        _ validator: JSONSchemaValidator,
        _ instance: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Bool {
        let bytes = Array(instance.utf8)
        let tree = try JSONValue(parsing: bytes)
        var tape = JSONTape()
        #expect(bytes.withUnsafeBufferPointer { tape.parse($0) }, sourceLocation: sourceLocation)
        let verdicts = [validator.isValid(tree), validator.validate(tree).isValid, validator.isValid(tape)]
        #expect(Set(verdicts).count == 1, "tree, tree with errors, tape: \(verdicts)", sourceLocation: sourceLocation)
        return verdicts[2]
    }

    static func members(_ count: Int, extra: String? = nil) -> String {
        var members = (0..<count).map { "\"k\($0)\": \($0)" }
        if let extra { members.insert("\"\(extra)\": 0", at: count - 10) }
        return "{" + members.joined(separator: ", ") + "}"
    }

    @Test("unevaluatedProperties and unevaluatedItems beyond the first 64 positions, merged through allOf")
    func manyPositions() throws {
        let properties = try JSONSchemaValidator(schema: [
            "allOf": [["patternProperties": ["^k": ["type": "integer"]]]], "unevaluatedProperties": false,
        ])
        #expect(try Self.verdict(properties, Self.members(100)))
        #expect(try !Self.verdict(properties, Self.members(100, extra: "x")))
        let items = try JSONSchemaValidator(schema: [
            "allOf": [["contains": ["type": "integer"]]], "unevaluatedItems": false,
        ])
        let integers = (0..<100).map(String.init)
        #expect(try Self.verdict(items, "[" + integers.joined(separator: ",") + "]"))
        var mixed = integers
        mixed[90] = "\"ninety\""
        #expect(try !Self.verdict(items, "[" + mixed.joined(separator: ",") + "]"))
    }

    @Test("member names by Unicode scalars: properties, additionalProperties, required, enum", arguments: [1, 20])
    func memberNames(padding: Int) throws {
        // U+212B ANGSTROM SIGN against "A" + U+030A: canonically equivalent, different JSON names.
        var properties: [(String, JSONValue)] = [("\u{212B}", ["type": "string"])]
        for index in 0..<padding { properties.append(("p\(index)", true)) }
        let validator = try JSONSchemaValidator(schema: [
            "properties": .object(JSONObject(properties)), "additionalProperties": false,
        ])
        #expect(try Self.verdict(validator, #"{"\u212B": "s"}"#))
        #expect(try !Self.verdict(validator, #"{"\u212B": 1}"#))
        #expect(try !Self.verdict(validator, #"{"A\u030A": "s"}"#))
        let required = try JSONSchemaValidator(schema: ["required": ["\u{212B}"]])
        #expect(try !Self.verdict(required, #"{"A\u030A": 1}"#))
        #expect(try Self.verdict(required, "{\"\u{212B}\": 1}"))
        let enumeration = try JSONSchemaValidator(schema: ["enum": ["\u{212B}", ["a": [1, 2.0]]]])
        #expect(try !Self.verdict(enumeration, #""A\u030A""#))
        #expect(try Self.verdict(enumeration, #"{"a": [1.0, 2]}"#))
    }

    @Test("uniqueItems on many items, numbers equal by value")
    func uniqueItems() throws {
        let validator = try JSONSchemaValidator(schema: ["uniqueItems": true])
        let distinct = (0..<100).map { "{\"n\": \($0), \"s\": \"\($0)\"}" }
        #expect(try Self.verdict(validator, "[" + distinct.joined(separator: ",") + "]"))
        #expect(
            try !Self.verdict(
                validator,
                "[" + (distinct + ["{\"s\": \"50\", \"n\": 50.0}"]).joined(separator: ",") + "]"
            )
        )
        #expect(try !Self.verdict(validator, "[1, 2, 1e0]"))
    }
}
