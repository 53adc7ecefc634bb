import Foundation
import Testing
import TrailJSON
import TrailSchema
import TrailTestSupport

@Suite("Schema projections")
struct SchemaProjectionTests {
    @Test(
        "an instance parsed with the schema's projection gets the verdict of the whole instance (JSON-Schema-Test-Suite)",
        arguments: ["draft2020-12", "draft7"]
    )
    func suite(draft: String) throws {
        let root = JSONSchemaTestSuiteTests.suite.appendingPathComponent("tests").appendingPathComponent(draft)
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        let dialect: SchemaDialect = draft == "draft7" ? .draft7 : .draft2020
        var checked = 0
        var projected = 0
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let options = ValidationOptions(
                assertFormats: url.path.contains("/optional/"),
                defaultDialect: dialect
            )
            guard case .array(let cases) = try JSONValue(parsing: try Data(contentsOf: url)) else { continue }
            for testCase in cases {
                guard
                    let validator = try? JSONSchemaValidator(
                        schema: testCase["schema"] ?? .null,
                        registry: JSONSchemaTestSuiteTests.registry,
                        options: options
                    )
                else { continue }
                let projection = validator.projection
                let compiled = TapeProjection(projection)
                if !projection.isWhole { projected += 1 }
                for test in testCase["tests"]?.arrayValue ?? [] {
                    let instance = test["data"] ?? .null
                    let cheap = try JSONParser().parse(instance.serialized(), projection: projection)
                    let verdict = validator.isValid(instance)
                    let name =
                        "\(url.lastPathComponent) | \(testCase["description"]?.stringValue ?? "?") | \(test["description"]?.stringValue ?? "?")"
                    #expect(validator.isValid(cheap) == verdict, "\(name)")
                    // The same on a tape parsed with the compiled projection.
                    var tape = JSONTape()
                    let bytes = instance.serialized()
                    #expect(bytes.withUnsafeBufferPointer { tape.parse($0, projection: compiled) })
                    #expect(validator.isValid(tape) == verdict, "tape: \(name)")
                    checked += 1
                }
            }
        }
        print("\(draft): \(checked) instances checked with their schema's projection; \(projected) schemas project")
        #expect(checked > 1_000)
        #expect(projected > 100)
    }

    @Test("the trace schema leaves out the model's input and outputs, and keeps what it checks")
    func traceSchema() throws {
        let validator = try JSONSchemaValidator(bundled: try #require(BundledSchemas.named("tuor/trace")))
        guard case .members(let members, let others) = validator.projection else {
            Issue.record("expected a projection of members, found \(validator.projection)")
            return
        }
        #expect(others == .typeOnly)
        for name in ["model_input", "model_output", "final_output", "corrected_output", "created_at"] {
            #expect(members[name] == .typeOnly, "\(name)")
        }
        for name in ["id", "project_id", "status", "tags"] {
            #expect(members[name] == .whole, "\(name)")
        }
        #expect(
            members["trace_config"]
                == .members(
                    ["model": .typeOnly, "prompt_version_id": .whole, "internal_run_id": .typeOnly],
                    others: .typeOnly
                )
        )
    }

    @Test("content keywords, unknown-member keywords and dynamic references keep values whole")
    func conservative() throws {
        let schemas: [(String, JSONProjection)] = [
            (#"{"type": "object"}"#, .typeOnly),
            (#"{"properties": {"a": {"type": "string"}}}"#, .members(["a": .typeOnly], others: .typeOnly)),
            (#"{"properties": {"a": {"minLength": 1}}}"#, .members(["a": .whole], others: .typeOnly)),
            // additionalProperties beside properties: the names, and its schema for the members they do not name.
            (
                #"{"properties": {"a": {"type": "object"}}, "additionalProperties": false}"#,
                .members(["a": .typeOnly], others: .typeOnly)
            ),
            (#"{"additionalProperties": {"type": "string"}}"#, .members([:], others: .typeOnly)),
            (#"{"additionalProperties": {"maxLength": 2}}"#, .members([:], others: .whole)),
            (
                #"{"allOf": [{"properties": {"a": {"type": "object"}}, "additionalProperties": {"maxLength": 2}}, {"properties": {"b": {"type": "array"}}}]}"#,
                .members(["a": .typeOnly, "b": .whole], others: .whole)
            ),
            (#"{"patternProperties": {"^a": {}}, "additionalProperties": false}"#, .whole),
            (#"{"properties": {"a": {}}, "unevaluatedProperties": false}"#, .whole),
            (#"{"patternProperties": {"^a": {}}}"#, .whole),
            (#"{"enum": [{}]}"#, .whole),
            (#"{"items": {"type": "object"}}"#, .whole),
            (
                ##"{"properties": {"a": {"$dynamicRef": "#/$defs/x"}}, "$defs": {"x": {"type": "object"}}}"##,
                .members(["a": .whole], others: .typeOnly)
            ),
            // Keywords about member names keep the names (and leave the values out).
            (#"{"required": ["a"]}"#, .members([:], others: .typeOnly)),
            (#"{"type": "object", "maxProperties": 2}"#, .members([:], others: .typeOnly)),
            (#"{"propertyNames": {"maxLength": 3}}"#, .members([:], others: .typeOnly)),
            (
                #"{"allOf": [{"properties": {"a": {"type": "object"}}}, {"properties": {"a": {"const": {}}}}]}"#,
                .members(["a": .whole], others: .typeOnly)
            ),
            (
                #"{"if": {"properties": {"a": {"const": 1}}}, "then": {"properties": {"b": {"type": "array"}}}}"#,
                .members(["a": .whole, "b": .typeOnly], others: .typeOnly)
            ),
            // A schema that applies to its own members: where the loop closes, the member is kept whole.
            (
                ##"{"properties": {"a": {"$ref": "#"}}}"##,
                .members(["a": .members(["a": .whole], others: .typeOnly)], others: .typeOnly)
            ),
        ]
        for (schema, expected) in schemas {
            let validator = try JSONSchemaValidator(schema: try JSONValue(parsing: schema))
            #expect(validator.projection == expected, "\(schema)")
        }
    }
}
