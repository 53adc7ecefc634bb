import Testing
import TrailJSON

@testable import TrailSchema

@Suite("pattern")
struct PatternTests {
    /// Patterns the byte matcher takes, each with a spelling that only the regular-expression engine takes.
    static let pairs: [(String, String)] = [
        ("^[0-9a-f]{64}$", "^(?:[0-9a-f]){64}$"),
        ("^[0-9a-f]{4}", "^(?:[0-9a-f]){4}"),
        ("^prm_[a-z0-9]{3}$", "^(?:prm_)[a-z0-9]{3}$"),
        ("^[A-Z][a-z-]{2}x$", "^(?:[A-Z])[a-z-]{2}x$"),
        ("^$", "^(?:)$"),
        ("^tr_[A-Za-z0-9]{8,32}$", "^(?:tr_)[A-Za-z0-9]{8,32}$"),
        ("^[a-z_][a-z0-9_]{0,63}$", "^(?:[a-z_])[a-z0-9_]{0,63}$"),
        ("^[0-9]+\\.[0-9]+\\.[0-9]+$", "^(?:[0-9]+)\\.[0-9]+\\.[0-9]+$"),
        ("^x-[a-z]+$", "^(?:x)-[a-z]+$"),
        ("^[a-z-]+$", "^(?:[a-z-])+$"),
        ("[0-9]{3}", "(?:[0-9]){3}"),
        ("a*b", "(?:a)*b"),
        ("ab?c$", "(?:a)b?c$"),
        ("^a{2,}b*$", "^(?:a){2,}b*$"),
        ("^\\d+-\\w*$", "^(?:\\d)+-\\w*$"),
        ("[-a.]+x", "(?:[-a.])+x"),
        ("^[\\]\\-]?z", "^(?:[\\]\\-])?z"),
        ("x*", "(?:x)*"),
        ("^[a-c]*[b-d]*c$", "^(?:[a-c])*[b-d]*c$"),
        ("12$", "(?:12)$"),
    ]

    /// Patterns the byte matcher leaves to the regular-expression engine, and why they must be left.
    static let declined = [
        "^[^a]+$",  // a negated set matches non-ASCII characters
        "^a.b$",  // so does "."
        "^a\\sb$",  // and \s
        "^(ab)+$",  // groups
        "^a|b$",  // alternation
        "^a+?$",  // lazy quantifiers
        "^a\\$",  // an escaped dollar sign, not an anchor
        "^é+$",  // non-ASCII atoms
    ]

    static let instances = [
        "", "abcd", "ABCD", "abc", "abcde", "0123", "012g", "é123", "12é3", "prm_a1b", "prm_a1", "prm_A1b",
        "Aa-x", "Aaax", "Aa-xy", "Aé-x", String(repeating: "a", count: 64), String(repeating: "f0", count: 32),
        String(repeating: "a", count: 63) + "G", String(repeating: "a", count: 65),
        String(repeating: "a", count: 63) + "é",
        "tr_abcdefgh", "tr_abcdefg", "tr_" + String(repeating: "Z", count: 32),
        "tr_" + String(repeating: "Z", count: 33),
        "tr_abcdéfghi", "_x", "a_b9", "9ab", "1.2.3", "10.20.30", "1.2", "1..2.3", "1.2.3é", "x-abc", "x-", "x-a-b",
        "a-b-c", "-", "a1234", "12", "b", "ab", "aab", "éab", "xac", "abc", "aaa", "aab", "aabbb", "a", "1-", "12-a_",
        "12-é", "-x", "a.x", "zz", "]z", "-z", "z", "bbc", "aabcc", "aac", "ddc", "ca", "x12", "x12y", "é12",
        String(repeating: "a", count: 64), "a" + String(repeating: "b", count: 70) + "c",
    ]

    @Test("byte-matched patterns agree with the regular-expression engine", arguments: pairs)
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

    @Test("the byte matcher takes the patterns it is meant for", arguments: pairs)
    func takes(fast: String, engine: String) {
        #expect(ASCIIPattern(fast) != nil, "\(fast) should be matched on bytes")
        #expect(ASCIIPattern(engine) == nil, "\(engine) should be left to the engine")
    }

    @Test("the byte matcher leaves other patterns to the engine", arguments: declined)
    func declines(pattern: String) {
        #expect(ASCIIPattern(pattern) == nil)
    }
}
