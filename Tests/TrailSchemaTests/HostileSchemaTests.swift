import Foundation
import Synchronization
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

    /// Every message of `errors` and of their details.
    private func messages(_ errors: [SchemaViolation]) -> [String] {
        errors.flatMap { [$0.message] + messages($0.details) }
    }

    private static let deepInstance: String = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)

    @Test("a schema or an instance nested 100,000 deep stops at the parser's limit of 512")
    func hostileNesting() throws {
        for (open, close) in [("{\"items\":", "}"), ("{\"not\":", "}"), ("[", "]")] {
            let text = String(repeating: open, count: 100_000) + "{}" + String(repeating: close, count: 100_000)
            let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: text) }
            #expect(error.message == "arrays and objects are nested more than 512 levels deep")
        }
    }

    @Test("the deepest schemas the parser accepts compile or fail with an error, never overflowing the stack")
    func deepestSchemas() throws {
        for keyword in ["items", "not", "allOf"] {
            let open = keyword == "allOf" ? "{\"allOf\":[" : "{\"\(keyword)\":"
            let close = keyword == "allOf" ? "]}" : "}"
            let depth = keyword == "allOf" ? 255 : 511
            let schema = try JSONValue(
                parsing: String(repeating: open, count: depth) + "{}" + String(repeating: close, count: depth)
            )
            do {
                let validator = try JSONSchemaValidator(schema: schema)
                _ = validator.validate(try JSONValue(parsing: Self.deepInstance))
            } catch let error as SchemaError {
                #expect("\(error)".contains("deep"), "\(error)")
            }
        }
    }

    @Test("evaluation nested more than 3,000 schemas deep fails with an error naming the limit")
    func evaluationDepthLimit() throws {
        // Seven nested evaluations per level of a 511-deep instance: 3,577 in all.
        var inner: JSONValue = ["$ref": "#"]
        for _ in 0..<5 { inner = ["allOf": [inner]] }
        let validator = try JSONSchemaValidator(schema: ["items": inner])
        let instance = try JSONValue(parsing: Self.deepInstance)
        #expect(!validator.isValid(instance))
        let result = validator.validate(instance)
        #expect(!result.isValid)
        #expect(
            messages(result.errors).contains {
                $0.contains("more than 3000 schemas deep") || $0.contains("more than this thread's stack holds")
            }
        )
    }

    @Test("evaluation on a thread with a small stack stops with an error instead of overflowing it")
    func smallStack() throws {
        let validator = try JSONSchemaValidator(schema: ["items": ["$ref": "#"]])
        let instance = try JSONValue(parsing: Self.deepInstance)
        let outcome = Mutex<ValidationResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.withLock { $0 = validator.validate(instance) }
            done.signal()
        }
        thread.stackSize = 640 << 10
        thread.start()
        done.wait()
        let result = try #require(outcome.withLock { $0 })
        #expect(
            result.isValid || messages(result.errors).contains { $0.contains("more than this thread's stack holds") }
        )
    }
}
