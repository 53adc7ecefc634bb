import Testing
import TrailJSON
import TrailSchema

@Suite("pattern")
struct PatternTests {
    /// Patterns the byte matcher takes, each with a spelling that only the regular-expression engine takes.
    static let pairs: [(String, String)] = [
        ("^[0-9a-f]{64}$", "^(?:[0-9a-f]){64}$"),
        ("^[0-9a-f]{4}", "^(?:[0-9a-f]){4}"),
        ("^prm_[a-z0-9]{3}$", "^(?:prm_)[a-z0-9]{3}$"),
        ("^[A-Z][a-z-]{2}x$", "^(?:[A-Z])[a-z-]{2}x$"),
        ("^$", "^(?:)$"),
    ]

    static let instances = [
        "", "abcd", "ABCD", "abc", "abcde", "0123", "012g", "é123", "12é3", "prm_a1b", "prm_a1", "prm_A1b",
        "Aa-x", "Aaax", "Aa-xy", "Aé-x", String(repeating: "a", count: 64), String(repeating: "f0", count: 32),
        String(repeating: "a", count: 63) + "G", String(repeating: "a", count: 65),
        String(repeating: "a", count: 63) + "é",
    ]

    @Test("fixed-length patterns agree with the regular-expression engine", arguments: pairs)
    func agrees(fast: String, engine: String) throws {
        let byBytes = try JSONSchemaValidator(schema: ["pattern": .string(fast)])
        let byEngine = try JSONSchemaValidator(schema: ["pattern": .string(engine)])
        for instance in Self.instances {
            #expect(
                byBytes.isValid(.string(instance)) == byEngine.isValid(.string(instance)),
                "\(fast) and \(engine) disagree on \"\(instance)\""
            )
        }
    }
}
