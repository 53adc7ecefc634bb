import Testing
import TrailJSON
import TrailSchema

@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    static let limits: JSONValue = [
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["content", "id"],
        "properties": [
            "id": ["type": "integer"],
            "content": ["type": "string", "maxLength": 16384],
            "tags": ["type": "array", "items": ["type": "string"], "maxItems": 2],
        ],
        "additionalProperties": false,
    ]

    @Test("an invalid instance is a result with locations and actionable messages")
    func messages() throws {
        let validator = try JSONSchemaValidator(schema: Self.limits)
        let instance: JSONValue = [
            "content": .string(String(repeating: "x", count: 17_023)), "tags": ["a", 1, "c"], "extra": true,
        ]
        let result = validator.validate(instance)
        #expect(!result.isValid)
        #expect(!validator.isValid(instance))
        let lines = result.errors.map { "\($0.keyword) \($0.keywordLocation) \($0)" }
        #expect(
            lines == [
                "required /required /: required property \"id\" is missing",
                "maxLength /properties/content/maxLength /content: string is 17,023 characters long; the limit is 16,384",
                "type /properties/tags/items/type /tags/1: expected string, found number",
                "maxItems /properties/tags/maxItems /tags: array has 3 items; the limit is 2",
                "additionalProperties /additionalProperties /: property \"extra\" is not allowed (additionalProperties is false)",
            ]
        )
        #expect(result.errors[1].absoluteKeywordLocation == "urn:prompttrail:schema#/properties/content/maxLength")
        #expect(validator.validate(["content": "ok", "id": 1]).isValid)
    }

    @Test("oneOf, anyOf, not and if: a failing branch's errors are details only when no branch matches")
    func branchDetails() throws {
        let branches: JSONValue = [
            ["type": "object", "required": ["a"], "properties": ["a": ["type": "integer"]]],
            ["type": "object", "required": ["b"], "properties": ["b": ["type": "string"]]],
        ]
        for applicator in ["oneOf", "anyOf"] {
            let validator = try JSONSchemaValidator(schema: [
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "array",
                "items": [
                    applicator: branches, "not": ["required": ["c"]],
                    "if": ["required": ["d"]], "then": ["required": ["e"]],
                ],
            ])
            let instance: JSONValue = [
                ["a": 1], ["b": "x"], ["a": "no"], ["a": 1, "b": "y"], ["a": 1, "c": true], ["b": "z", "d": 0],
            ]
            let result = validator.validate(instance)
            #expect(!validator.isValid(instance))
            func lines(_ errors: [SchemaViolation]) -> [String] {
                errors.flatMap { ["\($0.keywordLocation) \($0)"] + lines($0.details).map { "  " + $0 } }
            }
            let none = "does not match any of the 2 alternatives"
            var expected = [
                "/items/\(applicator) /2: \(none)",
                "  /items/\(applicator)/0/properties/a/type /2/a: expected integer, found string",
                "  /items/\(applicator)/1/required /2: required property \"b\" is missing",
            ]
            if applicator == "oneOf" {
                expected.append("/items/oneOf /3: matches alternatives 0, 1; exactly one must match")
            }
            expected += [
                #"/items/not /4: {"a":1,"c":true} must not match the schema in "not""#,
                "/items/then/required /5: required property \"e\" is missing",
            ]
            #expect(lines(result.errors) == expected, "\(applicator)")
            #expect(validator.validate([["a": 1], ["b": "x"], ["a": 2, "d": 1, "e": 0]]).isValid)
        }
    }

    @Test("maxUtf8Bytes counts bytes under the PromptTrail dialect and is ignored elsewhere")
    func utf8Bytes() throws {
        let limitsVocabulary: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://example.test/limits-meta",
            "$vocabulary": [
                "https://json-schema.org/draft/2020-12/vocab/core": true,
                "https://json-schema.org/draft/2020-12/vocab/validation": true,
                "https://schemas.prompttrail.dev/vocab/limits/v1": false,
            ],
        ]
        let registry = SchemaRegistry.standard.adding(limitsVocabulary, uri: "https://example.test/limits-meta")
        let schema: JSONValue = ["$schema": "https://example.test/limits-meta", "maxUtf8Bytes": 4]
        let validator = try JSONSchemaValidator(schema: schema, registry: registry)
        let result = validator.validate("ééé")
        #expect(result.errors.map(\.message) == ["string is 6 bytes of UTF-8; the limit is 4"])
        #expect(try JSONSchemaValidator(schema: ["maxUtf8Bytes": 4]).isValid("ééé"))
    }

    @Test("format is an annotation unless asserted")
    func formats() throws {
        let schema: JSONValue = ["format": "date-time"]
        #expect(try JSONSchemaValidator(schema: schema).isValid("yesterday"))
        let strict = try JSONSchemaValidator(schema: schema, options: ValidationOptions(assertFormats: true))
        #expect(strict.validate("yesterday").errors.map(\.message) == ["\"yesterday\" is not a valid date-time"])
        #expect(strict.isValid("2026-05-20T10:00:00Z"))
    }

    @Test("a schema that is not a schema is a thrown error naming the bad keyword")
    func notASchema() throws {
        let error = try #require(throws: SchemaError.self) {
            try JSONSchemaValidator(schema: ["type": "object", "properties": ["a": ["minLength": -1]]])
        }
        #expect("\(error)".contains("/properties/a/minLength"))
        #expect(throws: SchemaError.self) { try JSONSchemaValidator(schema: ["type": "strnig"]) }
        // The meta-schemas' patterns the regular-expression engine matches still apply: `$id` may not carry a
        // fragment (draft 2020-12's core vocabulary, `^[^#]*#?$`), and `$anchor` must be a plain name.
        let fragment = try #require(throws: SchemaError.self) {
            try JSONSchemaValidator(schema: ["$id": "https://example.com/a#b", "type": "object"])
        }
        #expect("\(fragment)".contains("$id"))
        #expect(throws: SchemaError.self) { try JSONSchemaValidator(schema: ["$anchor": "1a"]) }
        _ = try JSONSchemaValidator(schema: ["$id": "https://example.com/a#", "$anchor": "a1", "type": "object"])
        #expect(throws: SchemaError.self) { try JSONSchemaValidator(schema: ["pattern": "(unclosed"]) }
        #expect(throws: SchemaError.self) { try JSONSchemaValidator(schema: 42) }
    }

    @Test("a reference loop that never consumes the instance is rejected at compile time")
    func referenceCycle() throws {
        let error = try #require(throws: SchemaError.self) {
            try JSONSchemaValidator(schema: [
                "$defs": ["a": ["$ref": "#/$defs/b"], "b": ["$ref": "#/$defs/a"]], "$ref": "#/$defs/a",
            ])
        }
        #expect("\(error)".contains("loop"))
        let recursive: JSONValue = ["type": "object", "properties": ["child": ["$ref": "#"]]]
        #expect(try JSONSchemaValidator(schema: recursive).isValid(["child": ["child": [:]]]))
    }

    @Test("an unknown remote reference is a clear error, never a download")
    func remoteReference() throws {
        let error = try #require(throws: SchemaError.self) {
            try JSONSchemaValidator(schema: ["$ref": "https://example.com/schema.json"])
        }
        #expect("\(error)".contains("https://example.com/schema.json"))
        #expect("\(error)".contains("never downloaded"))
    }

    @Test("draft-07 is chosen by $schema")
    func draft7() throws {
        let schema: JSONValue = [
            "$schema": "http://json-schema.org/draft-07/schema#", "items": [["type": "integer"]],
            "additionalItems": false,
        ]
        let validator = try JSONSchemaValidator(schema: schema)
        #expect(validator.isValid([1]))
        #expect(!validator.isValid([1, 2]))
    }

    @Test("deep instances validate without exhausting the stack")
    func deepInstance() throws {
        let text = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let validator = try JSONSchemaValidator(schema: ["items": ["$ref": "#"]])
        #expect(validator.isValid(try JSONValue(parsing: text)))
    }
}
