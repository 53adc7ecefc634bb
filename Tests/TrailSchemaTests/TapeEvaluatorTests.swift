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

    @Test("asserted formats: the tape's check on a string's bytes agrees with the tree's on the string")
    func assertedFormats() throws {
        let formats = [
            "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6",
            "uri", "uri-reference", "iri", "iri-reference", "uuid", "regex", "json-pointer", "relative-json-pointer",
            "uri-template",
        ]
        let strings = [
            "2026-05-20T10:00:00Z", "2026-05-20T10:00:00.5+02:00", "2026-02-30T00:00:00Z", "2026-05-20", "10:00:00Z",
            "25:00:00Z", "P1DT2H", "P", "a@example.com", "é@exämple.com", "example.com", "-bad-.com", "192.168.0.1",
            "256.1.1.1", "::1", "https://example.com/a?b#c", "//example.com", "https://exämple.com/ü",
            "2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1638", "^a+$", "(", "/a~1b",
            "/a~2", "0/a", "{+var}", "{", "", "日本語", "2026-05-20T10:00:00Ż",
        ]
        for format in formats {
            let validator = try JSONSchemaValidator(
                schema: ["format": .string(format)],
                options: ValidationOptions(assertFormats: true)
            )
            var valid = 0
            for string in strings {
                let instance = JSONValue.string(string).serializedString()
                if try Self.verdict(validator, instance) { valid += 1 }
            }
            // Each format accepts some of the strings and refuses others, so both paths are exercised.
            #expect(valid > 0 && valid < strings.count, "\(format): \(valid) of \(strings.count) valid")
        }
    }

    @Test("a $ref merged into its schema, and unevaluatedProperties over known names: the same verdicts")
    func mergedReferences() throws {
        let base: JSONValue = [
            "type": "object", "required": ["kind", "id"],
            "properties": ["id": ["type": "string"], "n": ["type": "integer", "minimum": 0]],
        ]
        let schemas: [(JSONValue, [(String, Bool)])] = [
            // A oneOf branch that extends the base, closed with unevaluatedProperties.
            (
                [
                    "$defs": ["base": base],
                    "oneOf": [
                        [
                            "$ref": "#/$defs/base", "properties": ["kind": ["const": "a"], "x": ["type": "string"]],
                            "required": ["x"], "unevaluatedProperties": false,
                        ],
                        [
                            "$ref": "#/$defs/base", "properties": ["kind": ["const": "b"], "y": true],
                            "unevaluatedProperties": false,
                        ],
                    ],
                ],
                [
                    (#"{"kind": "a", "id": "1", "x": "s"}"#, true),
                    (#"{"kind": "a", "id": "1", "x": "s", "n": 3}"#, true),
                    (#"{"kind": "a", "id": "1", "x": "s", "y": 1}"#, false), (#"{"kind": "a", "id": "1"}"#, false),
                    (#"{"kind": "a", "id": 1, "x": "s"}"#, false), (#"{"kind": "a", "x": "s"}"#, false),
                    (#"{"kind": "b", "id": "1", "y": [1]}"#, true), (#"{"kind": "b", "id": "1", "n": -1}"#, false),
                    (#"{"kind": "b", "id": "1", "z": 0}"#, false), (#"[1]"#, false),
                ]
            ),
            // The same name in both `properties`: both subschemas apply.
            (
                ["$defs": ["base": base], "$ref": "#/$defs/base", "properties": ["n": ["maximum": 5]]],
                [
                    (#"{"kind": 1, "id": "1", "n": 3}"#, true), (#"{"kind": 1, "id": "1", "n": 7}"#, false),
                    (#"{"kind": 1, "id": "1", "n": -1}"#, false), (#"{"kind": 1, "id": "1", "n": 2.5}"#, false),
                ]
            ),
            // Another `type`: both apply.
            (
                ["$defs": ["base": base], "$ref": "#/$defs/base", "type": ["object", "array"]],
                [(#"{"kind": 1, "id": "1"}"#, true), (#"[]"#, false), (#"{"id": "1"}"#, false)]
            ),
            // Names the instance decides (patternProperties in the base): annotations, as before.
            (
                [
                    "$defs": ["base": ["patternProperties": ["^p": true]]], "$ref": "#/$defs/base",
                    "properties": ["a": true], "unevaluatedProperties": false,
                ],
                [(#"{"a": 1, "p1": 2}"#, true), (#"{"a": 1, "q": 2}"#, false)]
            ),
        ]
        for (schema, cases) in schemas {
            let validator = try JSONSchemaValidator(schema: schema)
            for (instance, expected) in cases {
                #expect(try Self.verdict(validator, instance) == expected, "\(instance)")
            }
        }
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

    @Test("one program: every operand found in tables the schemas share")
    func sharedTables() throws {
        // Many subschemas, so that each instruction's operands sit at offsets other than zero in the program's
        // shared tables (names, hashed name sets, patterns, lists of subschemas).
        let many = JSONObject((0..<24).map { ("n\($0)é", ["type": "integer"] as JSONValue) })
        let validator = try JSONSchemaValidator(schema: [
            "$defs": [
                "node": [
                    "type": "object",
                    "properties": ["value": ["type": "integer"], "next": ["$ref": "#/$defs/node"]],
                    "required": ["value"], "additionalProperties": false,
                ]
            ],
            "type": "object",
            "properties": [
                "wide": ["properties": .object(many), "additionalProperties": false, "required": ["n3é", "n20é"]],
                "list": ["$ref": "#/$defs/node"],
                "tagged": [
                    "patternProperties": ["^x-": ["type": "string"], "^y-": ["type": "number"]],
                    "additionalProperties": ["type": "boolean"],
                    "properties": ["": ["const": 0]],
                ],
                "pair": [
                    "prefixItems": [["type": "string"], ["type": "integer"]], "items": false,
                    "contains": ["type": "integer"], "maxContains": 1,
                ],
                "choice": [
                    "if": ["required": ["kind"]], "then": ["dependentRequired": ["kind": ["size", "unit"]]],
                    "else": ["not": ["required": ["size"]]],
                ],
                "either": ["oneOf": [["type": "string", "maxLength": 3], ["type": "string", "pattern": "^[0-9]+$"]]],
                "deps": ["dependentSchemas": ["a": ["required": ["b"]], "c": ["maxProperties": 2]]],
            ],
        ])
        let wide = (0..<24).map { "\"n\($0)é\": \($0)" }.joined(separator: ", ")
        let valid = """
            {"wide": {\(wide)}, "list": {"value": 1, "next": {"value": 2, "next": {"value": 3}}},
             "tagged": {"x-a": "s", "y-b": 1.5, "z": true, "": 0}, "pair": ["a", 1],
             "choice": {"kind": 1, "size": 2, "unit": "m"}, "either": "12345", "deps": {"a": 1, "b": 2}}
            """
        #expect(try Self.verdict(validator, valid))
        let invalid = [
            #"{"wide": {"n3é": 1, "n20é": "two"}}"#, #"{"wide": {"n3é": 1}}"#,
            #"{"wide": {"n3é": 1, "n20é": 2, "n24é": 3}}"#,
            #"{"list": {"value": 1, "next": {"value": "2"}}}"#,
            #"{"list": {"value": 1, "next": {"next": {"value": 3}}}}"#,
            #"{"tagged": {"x-a": 1}}"#, #"{"tagged": {"y-b": "s"}}"#, #"{"tagged": {"z": 1}}"#, #"{"tagged": {"": 1}}"#,
            #"{"pair": ["a", 1, 2]}"#, #"{"pair": [1, 1]}"#, #"{"pair": ["a"]}"#,
            #"{"choice": {"kind": 1, "size": 2}}"#, #"{"choice": {"size": 2}}"#,
            #"{"either": "123"}"#, #"{"either": "abcd"}"#, #"{"deps": {"a": 1}}"#,
            #"{"deps": {"c": 1, "d": 2, "e": 3}}"#,
        ]
        for instance in invalid {
            #expect(try !Self.verdict(validator, instance), "\(instance)")
        }
    }

    @Test("one validator checking tapes on many threads at once gives each document its verdict")
    func concurrentTapes() async throws {
        let validator = try JSONSchemaValidator(schema: [
            "type": "object", "required": ["id", "score"],
            "properties": ["id": ["pattern": "^t[0-9]+$"], "score": ["minimum": 0, "maximum": 100]],
        ])
        let documents = (0..<400).map { index in
            Array("{\"id\": \"\(index % 7 == 0 ? "x" : "t")\(index)\", \"score\": \(index % 150)}".utf8)
        }
        let expected = try documents.map { validator.isValid(try JSONValue(parsing: $0)) }
        #expect(expected.contains(true) && expected.contains(false))
        let results = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var tape = JSONTape()
                    return documents.map { document in
                        document.withUnsafeBufferPointer { tape.parse($0) } && validator.isValid(tape)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for verdicts in results { #expect(verdicts == expected) }
    }

    @Test("minimum and maximum: compared as doubles only when both are exactly doubles")
    func numericBounds() throws {
        // (schema, instance, valid): integers beyond 2^53, where doubles skip integers; literals no double holds.
        let cases: [(JSONValue, String, Bool)] = [
            (["minimum": 9_007_199_254_740_993], "9007199254740992", false),
            (["minimum": 9_007_199_254_740_993], "9007199254740993", true),
            (["maximum": 9_007_199_254_740_992], "9007199254740993", false),
            (["exclusiveMaximum": 9_007_199_254_740_993], "9007199254740992.0", true),
            (["minimum": 0.5], "0.49999999999999994", false),
            (["maximum": 0.1], "0.1", true),
            (["exclusiveMinimum": 0], "4.9e-324", true),
            (["maximum": 1], "1e400", false),
            (["minimum": 1], "123456789012345678901234567890", true),
            (["maximum": -1], "-123456789012345678901234567890", true),
            (["minimum": 2], "1.9999999999999999", true),
            (["exclusiveMinimum": 2], "2.0000000000000004", true),
            (["exclusiveMaximum": -2.5], "-2.5", false),
        ]
        for (schema, instance, valid) in cases {
            let validator = try JSONSchemaValidator(schema: schema)
            #expect(try Self.verdict(validator, instance) == valid, "\(schema) against \(instance)")
        }
    }

    @Test("items of numbers checked as one range: bounds combined, edges, types, numbers no double holds")
    func numberRanges() throws {
        // (items schema, elements, valid): each schema is only `type` and bounds, as number arrays' items are.
        let cases: [(JSONValue, String, Bool)] = [
            (["type": "number", "minimum": 0, "maximum": 600_000], "[0, 1.5, 600000]", true),
            (["type": "number", "minimum": 0, "maximum": 600_000], "[-0.001]", false),
            (["type": "number", "minimum": 0, "maximum": 600_000], "[600000.00000001]", false),
            (["type": "number", "exclusiveMinimum": 0, "maximum": 1], "[1, 0.5]", true),
            (["type": "number", "exclusiveMinimum": 0, "maximum": 1], "[0.5, 0]", false),
            (["type": "number", "exclusiveMinimum": 0, "maximum": 1], "[-0.0]", false),
            (["minimum": 0, "exclusiveMinimum": 0], "[0]", false),
            (["exclusiveMinimum": 0, "minimum": 0], "[0]", false),
            (["minimum": 1, "exclusiveMinimum": 0], "[0.5]", false),
            (["exclusiveMinimum": 0, "minimum": 1], "[1]", true),
            (["maximum": 1, "exclusiveMaximum": 1], "[1]", false),
            (["exclusiveMaximum": 2, "maximum": 1], "[1.5]", false),
            (["minimum": -1, "maximum": 1], "[\"a\", null, true, {}, [5]]", true),
            (["type": "number", "minimum": -1], "[\"a\"]", false),
            (["type": ["number", "null"], "minimum": -1], "[null, -1]", true),
            (["type": "integer", "minimum": 0], "[1, 2.0, 1e2]", true),
            (["type": "integer", "minimum": 0], "[1, 2.5]", false),
            (["type": "integer", "minimum": 0], "[-1]", false),
            (["minimum": 1], "[123456789012345678901234567890]", true),
            (["maximum": 1], "[1e400]", false),
            (["maximum": -1], "[-123456789012345678901234567890]", true),
            (["minimum": 0.5], "[0.49999999999999994]", false),
            (["minimum": 9_007_199_254_740_993], "[9007199254740992]", false),
            (["minimum": 9_007_199_254_740_993], "[9007199254740993]", true),
            (["exclusiveMinimum": 0], "[4.9e-324]", true),
            (["minimum": 0, "multipleOf": 2], "[4, 3]", false),
        ]
        for (items, instance, valid) in cases {
            for schema: JSONValue in [["items": items], ["properties": ["x": ["items": items]]]] {
                let validator = try JSONSchemaValidator(schema: schema)
                let document = schema["items"] == nil ? "{\"x\": \(instance)}" : instance
                #expect(try Self.verdict(validator, document) == valid, "\(schema) against \(document)")
            }
        }
    }

    @Test("oneOf and anyOf skip the branches a member's const rules out, and only those")
    func discriminatedBranches() throws {
        let kinds = ["function", "retrieval", "search"]
        func branch(_ kind: String?, _ extra: [(String, JSONValue)]) -> JSONValue {
            var properties: [(String, JSONValue)] = [("id", ["type": "string"])]
            if let kind { properties.append(("kind", ["const": .string(kind)])) }
            properties += extra
            return [
                "properties": .object(JSONObject(properties)), "required": ["id"], "unevaluatedProperties": false,
            ]
        }
        let branches: [JSONValue] = [
            branch(kinds[0], [("name", ["type": "string"])]),
            branch(kinds[1], [("query", ["type": "string", "minLength": 1])]),
            // The same const twice, and an enum of one: still ruled out by a value that differs.
            branch(kinds[1], [("hits", ["type": "array"])]),
            ["properties": ["kind": ["enum": ["search"]], "q": ["type": "string"]], "required": ["q"]],
            // A branch that fixes nothing is always entered.
            ["properties": ["other": ["type": "integer"]], "required": ["other"]],
            // A boolean branch.
            false,
        ]
        let instances = [
            #"{"id": "a", "kind": "function", "name": "f"}"#, #"{"id": "a", "kind": "function", "query": "q"}"#,
            #"{"id": "a", "kind": "retrieval", "query": "q"}"#, #"{"id": "a", "kind": "retrieval", "hits": []}"#,
            #"{"id": "a", "kind": "retrieval", "query": "q", "hits": []}"#, #"{"id": "a", "kind": "retrieval"}"#,
            #"{"kind": "search", "q": "x"}"#, #"{"kind": "search", "q": 1}"#, #"{"kind": "other", "other": 1}"#,
            #"{"kind": 7, "other": 1}"#, #"{"kind": null, "id": "a"}"#, #"{"id": "a"}"#, #"{"other": 2}"#,
            #"{"id": "a", "name": "f"}"#, #"{"kind": "funct\u0069on", "id": "a", "name": "f"}"#,
            #"{"kind": "retrieval", "other": 1}"#,
            #"[1]"#, #""function""#, #"{}"#,
        ]
        var verdicts = (valid: 0, invalid: 0)
        for keyword in ["oneOf", "anyOf"] {
            for count in [2, 4, 6] {
                let schema: JSONValue = .object(JSONObject([(keyword, .array(Array(branches.prefix(count))))]))
                let validator = try JSONSchemaValidator(schema: schema)
                for instance in instances {
                    if try Self.verdict(validator, instance) { verdicts.valid += 1 } else { verdicts.invalid += 1 }
                }
            }
        }
        #expect(verdicts.valid > 10 && verdicts.invalid > 10, "\(verdicts)")
    }

    @Test(
        "a few properties on a larger object: found by name, required or not, in an if, and tracked when they must be"
    )
    func fewPropertiesByName() throws {
        let fused: JSONValue = [
            "properties": ["source": ["const": "tuor"], "status": ["enum": ["pending", "approved"]]],
            "required": ["source", "status"],
        ]
        let plain: JSONValue = ["properties": ["a": ["type": "integer"], "b": ["type": "string"]]]
        let optional: JSONValue = ["properties": ["a": ["type": "integer"]], "required": ["a"], "minProperties": 1]
        let conditional: JSONValue = [
            "if": ["properties": ["source": ["const": "tuor"]], "required": ["source"]],
            "then": ["properties": ["final": ["type": "null"]]],
            "else": ["properties": ["final": ["type": "object"]]],
        ]
        let tracked: JSONValue = [
            "properties": ["a": ["type": "integer"]],
            "unevaluatedProperties": ["type": "string"],
        ]
        func object(_ members: [(String, String)]) -> String {
            let filler = (0..<12).map { "\"f\($0)\": \($0 == 3 ? "\"x\"" : "\($0)")" }
            return "{" + (members.map { "\"\($0.0)\": \($0.1)" } + filler).joined(separator: ", ") + "}"
        }
        let cases: [(JSONValue, String, Bool)] = [
            (fused, object([("source", #""tuor""#), ("status", #""pending""#)]), true),
            (fused, object([("status", #""approved""#), ("source", #""tuor""#)]), true),
            (fused, object([("source", #""tuor""#), ("status", #""rejected""#)]), false),
            (fused, object([("source", #""tracia""#), ("status", #""pending""#)]), false),
            (fused, object([("source", #""tuor""#)]), false),
            (fused, object([("status", #""pending""#)]), false),
            (plain, object([("a", "1"), ("b", #""x""#)]), true),
            (plain, object([("b", #""x""#)]), true),
            (plain, object([]), true),
            (plain, object([("a", #""1""#)]), false),
            (plain, object([("b", "2")]), false),
            (optional, object([("a", "1")]), true),
            (optional, object([]), false),
            (conditional, object([("source", #""tuor""#), ("final", "null")]), true),
            (conditional, object([("source", #""tuor""#), ("final", "{}")]), false),
            (conditional, object([("source", #""tracia""#), ("final", "{}")]), true),
            (conditional, object([("final", "null")]), false),
            (tracked, object([("a", "1")]), false),
            (tracked, #"{"a": 1, "b": "x", "c": "y", "d": "z", "e": "w"}"#, true),
            (tracked, #"{"a": "1", "b": "x", "c": "y", "d": "z", "e": "w"}"#, false),
        ]
        for (schema, instance, expected) in cases {
            let validator = try JSONSchemaValidator(schema: schema)
            #expect(try Self.verdict(validator, instance) == expected, "\(schema.serializedString()) on \(instance)")
        }
    }

    @Test("properties checking additionalProperties and required in its own pass, and where it must not")
    func objectChecks() throws {
        let closed: JSONValue = [
            "properties": ["a": ["type": "integer"], "b": [:], "c": [:]],
            "required": ["a", "b"],
            "additionalProperties": false,
        ]
        let open: JSONValue = [
            "properties": ["a": [:]], "required": ["a"], "additionalProperties": ["type": "string"],
        ]
        let requiredElsewhere: JSONValue = [
            "properties": ["a": [:]], "required": ["a", "b"], "additionalProperties": false,
        ]
        let requiredElsewhereOpen: JSONValue = [
            "properties": ["a": [:]], "required": ["a", "b"], "additionalProperties": true,
        ]
        let patterned: JSONValue = [
            "properties": ["a": [:]], "patternProperties": ["^x": [:]], "additionalProperties": false,
        ]
        let unevaluated: JSONValue = [
            "properties": ["a": [:]], "additionalProperties": ["type": "string"], "unevaluatedProperties": false,
        ]
        let nested: JSONValue = [
            "allOf": [["properties": ["a": [:]], "required": ["a"], "additionalProperties": true]],
            "unevaluatedProperties": false,
        ]
        let many: JSONValue = .object(
            JSONObject(
                [
                    ("properties", .object(JSONObject((0..<20).map { ("k\($0)", JSONValue.object(JSONObject())) }))),
                    ("required", .array((0..<20).filter { $0 % 2 == 0 }.map { .string("k\($0)") })),
                    ("additionalProperties", false),
                ]
            )
        )
        let cases: [(JSONValue, String, Bool)] = [
            (closed, #"{"a": 1, "b": 2}"#, true),
            (closed, #"{"a": 1, "b": 2, "c": 3}"#, true),
            (closed, #"{"b": 2, "c": 3}"#, false),
            (closed, #"{"a": 1}"#, false),
            (closed, #"{"a": 1, "b": 2, "d": 3}"#, false),
            (closed, #"{"a": 1.5, "b": 2}"#, false),
            (closed, #"[1, 2]"#, true),
            (closed, #""a""#, true),
            (open, #"{"a": 1, "z": "s"}"#, true),
            (open, #"{"a": 1, "z": 2}"#, false),
            (open, #"{"z": "s"}"#, false),
            (requiredElsewhere, #"{"a": 1}"#, false),
            (requiredElsewhere, #"{"a": 1, "b": 2}"#, false),
            (requiredElsewhereOpen, #"{"a": 1, "b": 2}"#, true),
            (requiredElsewhereOpen, #"{"a": 1}"#, false),
            (patterned, #"{"a": 1, "x1": 2}"#, true),
            (patterned, #"{"a": 1, "y": 2}"#, false),
            (unevaluated, #"{"a": 1, "b": "s"}"#, true),
            (unevaluated, #"{"a": 1, "b": 2}"#, false),
            (nested, #"{"a": 1, "b": 2}"#, true),
            (nested, #"{"b": 2}"#, false),
            (many, Self.members(20), true),
            (many, Self.members(20, extra: "other"), false),
            (many, "{" + (1..<20).map { "\"k\($0)\": 0" }.joined(separator: ", ") + "}", false),
            (many, "{" + (0..<20).filter { $0 != 7 }.map { "\"k\($0)\": 0" }.joined(separator: ", ") + "}", true),
        ]
        for (schema, instance, valid) in cases {
            let validator = try JSONSchemaValidator(schema: schema)
            #expect(try Self.verdict(validator, instance) == valid, "\(schema) against \(instance)")
        }
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
