import Testing
import TrailJSON

@testable import TrailSchema

/// Inputs found by fuzzing (FuzzTesting/) and hostile shapes: each once broke, or could break, the validator.
@Suite("Hostile schemas and instances")
struct HostileSchemaTests {
    /// Compiles `schema`, checks `instance`, and tells whether every node of the compiled graph was freed once
    /// the validator was gone.
    private func graphIsFreed(_ schema: JSONValue, instance: JSONValue) throws -> Bool {
        final class Weak {
            weak var node: SchemaNode?
            init(_ node: SchemaNode) { self.node = node }
        }
        var nodes: [Weak] = []
        do {
            let validator = try JSONSchemaValidator(schema: schema)
            nodes = validator.graph.map(Weak.init)
            _ = validator.validate(instance)
        }
        return !nodes.isEmpty && nodes.allSatisfy { $0.node == nil }
    }

    // Found by FuzzSchema: every compiled schema whose references loop leaked its whole graph.
    @Test("a schema whose references loop is freed with its validator")
    func referenceLoopsAreFreed() throws {
        #expect(try graphIsFreed(["$ref": "http://json-schema.org/draft-07/schema#"], instance: ["minLength": 1]))
        #expect(try graphIsFreed(["items": ["$ref": "#"]], instance: [[[]]]))
        #expect(
            try graphIsFreed(
                ["$dynamicAnchor": "node", "items": ["$dynamicRef": "#node"]],
                instance: [[1], [[2]]]
            )
        )
        #expect(try graphIsFreed(["$ref": "https://json-schema.org/draft/2020-12/schema"], instance: ["type": "x"]))
    }
}
