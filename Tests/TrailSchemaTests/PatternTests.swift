import Dispatch
import Foundation
import Synchronization
import Testing
import TrailJSON
import TrailTestSupport

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
        // `!--` is the range from `!` to `-`, not ICU's set difference.
        ("^[!--~]+$", "^(?:[!--~])+$"),
        ("^[--/]+$", "^(?:[--/])+$"),
        ("^[a-z]+[0-9]+$", "^(?:[a-z])+[0-9]+$"),
        ("^[a-z]{2,3}[0-9]{1,2}$", "^(?:[a-z]){2,3}[0-9]{1,2}$"),
        ("^a{2,4}$", "^(?:a){2,4}$"),
        ("^[0-9]{1,3}x", "^(?:[0-9]){1,3}x"),
        ("^[ab]+c?$", "^(?:[ab])+c?$"),
        ("^[a-z]+[a-z0-9]$", "^(?:[a-z])+[a-z0-9]$"),
        // Eight distinct sets of bytes, each atom once: one table; nine: the automaton's states.
        ("^abcdefg[0-9]$", "^(?:a)bcdefg[0-9]$"),
        ("^abcdefgh[0-9]$", "^(?:a)bcdefgh[0-9]$"),
        // Two words of eight bytes and one more.
        ("^call_[0-9a-f]{12}$", "^(?:call)_[0-9a-f]{12}$"),
    ]

    @Test("patterns whose atoms match once each, of at most eight byte sets, are checked through one table")
    func byteSets() throws {
        for source in [
            "^[0-9a-f]{64}$", "^prm_[a-z0-9]{3}$", "^abcdefg[0-9]$", "^[0-9a-f]{4}", "^$", "^call_[0-9a-f]{12}$",
        ] {
            #expect(try #require(ASCIIPattern(source)).matchesByByteSets, "\(source)")
        }
        for source in ["^abcdefgh[0-9]$", "^a{2,4}$", "[0-9]{3}"] {
            #expect(try #require(ASCIIPattern(source)).matchesByByteSets == false, "\(source)")
        }
    }

    /// Patterns whose atoms may each take all the bytes they accept (the greedy match), and patterns where
    /// that would lose matches (an atom of variable length followed by one that may be empty or that shares
    /// its bytes), which the automaton matches.
    static let greedy = [
        "^tr_[A-Za-z0-9]{8,32}$", "^[a-z_][a-z0-9_]{0,63}$", "^[0-9]+\\.[0-9]+\\.[0-9]+$", "^x-[a-z]+$",
        "^[a-z]+[0-9]+$", "^[a-z]{2,3}[0-9]{1,2}$", "^a{2,4}$", "^[0-9]{1,3}x", "^\\d+-\\w*$", "^[a-z-]+$",
    ]
    static let notGreedy = ["^[a-c]*[b-d]*c$", "^[ab]+c?$", "^[a-z]+[a-z0-9]$", "^a{2,}b*$", "a*b", "[0-9]{3}x?"]

    @Test("the greedy match serves exactly the patterns it cannot get wrong")
    func greedyRuns() throws {
        for source in Self.greedy {
            #expect(try #require(ASCIIPattern(source)).matchesByRuns, "\(source)")
        }
        for source in Self.notGreedy {
            #expect(try #require(ASCIIPattern(source)).matchesByRuns == false, "\(source)")
        }
    }

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
        "ab1", "abc12", "abcd1", "ab123", "a1", "aa", "aaa", "aaaaa", "12x", "1234x", "123xy", "abab", "ababc", "abcc",
        "ab9", "abc", "a9",
        "a-b-c", "-", "a1234", "12", "b", "ab", "aab", "éab", "xac", "abc", "aaa", "aab", "aabbb", "a", "1-", "12-a_",
        "12-é", "-x", "a.x", "zz", "]z", "-z", "z", "bbc", "aabcc", "aac", "ddc", "ca", "x12", "x12y", "é12",
        String(repeating: "a", count: 64), "a" + String(repeating: "b", count: 70) + "c", "~!+-", "~a", "./-", "-0",
        "abcdefg1", "abcdefg", "abcdefgx", "abcdefg12", "abcdefgh1", "abcdefgh", "abcdefghx", "abcdefgh12",
        "abcdefgé", "bbcdefg1", "abcdefh1", "call_0123456789ab", "call_0123456789aG", "call_012345G789ab",
        "cbll_0123456789ab", "call_0123456789abc", "call_0123456789a", "call-0123456789ab", "call_0123456789aé",
    ]

    @Test("byte-matched patterns agree with the regular-expression engine", arguments: pairs)
    func agrees(fast: String, engine: String) throws {
        let byBytes = try JSONSchemaValidator(schema: ["pattern": .string(fast)])
        // An empty lookahead changes no match but leaves the pattern to the engine.
        let byEngine = try JSONSchemaValidator(schema: ["pattern": .string("(?=)" + engine)])
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

    /// The lineage schema's `file` rule, which needs lookahead and so goes to the engine.
    static let enginePattern = #"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[^\\]+\.jsonl$"#

    @Test("verdicts kept for repeated strings are the engine's, asked from many threads")
    func keptVerdicts() throws {
        let strings = [
            "a.jsonl", "a.jsonlx", "a.json", "", "/a.jsonl", "a/../b.jsonl", "a/..b.jsonl", "é/x.jsonl",
            "a\\b.jsonl", "data/traces/p/2026-01-01.jsonl", "data/traces/p/2026-01-02.jsonl",
            "data/ab/a.jsonl", "data/../a.jsonl",
            String(repeating: "d/", count: 200) + "x.jsonl", String(repeating: "d/", count: 200) + "../x.jsonl",
        ]
        // A new pattern for every string keeps nothing, so these are the engine's own verdicts.
        let expected = try strings.map { try Pattern(Self.enginePattern).matches($0) }
        #expect(expected.contains(true) && expected.contains(false))
        let pattern = try Pattern(Self.enginePattern)
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for step in 0..<3000 {
                // Runs of one string, then a jump: what a file's lineage lines look like, on 8 threads at once.
                let index = (step / 5 * 7 + thread) % strings.count
                var bytes = strings[index]
                let byBytes = bytes.withUTF8 { pattern.matches(utf8: $0) }
                let byString = pattern.matches(strings[index])
                if byBytes != expected[index] || byString != expected[index] { wrong.withLock { $0 += 1 } }
            }
        }
        #expect(wrong.withLock { $0 } == 0)
    }

    @Test("kept verdicts: the same bytes only, oldest replaced first")
    func recentVerdicts() {
        var recent = RecentVerdicts()
        func verdict(_ string: String) -> Bool? {
            var string = string
            return string.withUTF8 { recent.verdict(for: $0) }
        }
        func keep(_ verdict: Bool, _ string: String) {
            var string = string
            string.withUTF8 { recent.keep(verdict, for: $0) }
        }
        keep(true, "ab")
        keep(false, "")
        #expect(verdict("ab") == true)
        #expect(verdict("") == false)
        #expect(verdict("a") == nil)
        #expect(verdict("abc") == nil)
        #expect(verdict("ac") == nil)
        keep(true, "abcdefg1")
        #expect(verdict("abcdefg2") == nil, "the same length and first bytes are not the same string")
        keep(false, "d")
        keep(true, "e")
        #expect(verdict("ab") == nil, "the oldest is replaced by the fifth string")
        #expect(verdict("") == false)
        #expect(verdict("abcdefg1") == true)
        #expect(verdict("d") == false)
        #expect(verdict("e") == true)
        keep(false, "f")
        #expect(verdict("") == nil)
        #expect(verdict("f") == false)
    }

    /// Patterns with groups or alternation, which the position automaton takes.
    static let groupPatterns = [
        "^[a-z0-9]+(-[a-z0-9]+)*$", "^[a-z0-9-]+(:[a-z0-9.-]+)?$", "^(?:gpt|claude)-[0-9]+$",
        "^v[0-9]+(\\.[0-9]+){0,2}$", "(ab|b)+a?$", "^(a|ab)(c|bcd)?", "a(b|)c", "(x|y)*z{2}", "^((a|b)c)*$",
        "(-|:)", "^(a*)*b$", "^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$", "a|b", "^()$", "(a?)+b", "^(ab){2,3}$",
        "(|a)b", "^[a-z]{2}(_[a-z]{2})?$", "^(call_|tr_)[0-9a-f]{2,4}$", "(v|x)[0-9]", "^(a|b|)$", "^(?:)+x",
    ]

    /// Patterns with groups that the position automaton leaves to the engine.
    static let groupDeclined = [
        "^a|b$",  // the anchors would belong to the branches
        "^(?=a)b",  // lookahead
        "^(?!a)b",
        "(a)\\1",  // a back-reference
        "^(a+?)$",  // a lazy quantifier
        "^(?<n>a)$",  // a named group
        "^(a.)$",  // "." matches non-ASCII characters
        "^(é|a)$",  // a non-ASCII atom
        "^(a{100}){2}$",  // more than 128 positions once written out
        "^(a(b)$",  // an unclosed group
    ]

    @Test("group patterns are matched on bytes, as the regular-expression engine matches them")
    func groupPatternsAgree() throws {
        let tokens = [
            "a", "b", "c", "ab", "bcd", "0", "12", "255", "-", ":", ".", "_", "x", "y", "z", "v", "gpt", "claude",
            "call_", "tr_", "é", " ", "A", "z9", "f0", "😀", "1.2.3.4", "v1.2", "ababab", "xyzz", "gpt-4", "claude-3",
        ]
        var random = SeededGenerator(seed: 0x6A0)
        var strings = [""] + tokens
        for _ in 0..<3000 {
            strings.append(
                (0..<Int.random(in: 1...7, using: &random)).map { _ in tokens.randomElement(using: &random)! }.joined()
            )
        }
        for source in Self.groupPatterns {
            #expect(ASCIIPattern(source) == nil, "\(source) is for the byte matcher")
            let automaton = try #require(GroupPattern(source), "\(source) should be taken")
            let engine = try NSRegularExpression(pattern: try Pattern.translate(source))
            var verdicts = (matched: 0, not: 0)
            for string in strings {
                let expected =
                    engine.firstMatch(in: string, range: NSRange(string.startIndex..<string.endIndex, in: string))
                    != nil
                var bytes = string
                let actual = bytes.withUTF8 { automaton.matches(utf8: $0) }
                #expect(actual == expected, "\(source) on \"\(string)\"")
                if expected { verdicts.matched += 1 } else { verdicts.not += 1 }
            }
            // Both verdicts occur for every pattern, so each comparison means something.
            #expect(verdicts.matched > 0 && verdicts.not > 0, "\(source): \(verdicts)")
        }
    }

    @Test(
        "the position automaton leaves lookaround, back-references and the rest to the engine",
        arguments: groupDeclined
    )
    func groupDeclines(pattern: String) {
        #expect(GroupPattern(pattern) == nil)
    }

    @Test("a combining mark after a special character leaves it special (literals are told apart by scalar)")
    func combiningMarks() throws {
        // "|\u{5A7}" is one Character: read by Character it looked like the literal text "|\u{5A7}".
        for (source, instances) in [
            ("|\u{5A7}", ["", "a", "\u{5A7}"]), ("a|\u{301}", ["a", "\u{301}", "b"]),
            (".\u{301}", ["x\u{301}", "\u{301}"]),
            ("^\u{301}x", ["\u{301}x", "^\u{301}x"]), ("a*\u{301}", ["\u{301}", "aa\u{301}", "b"]),
        ] {
            let direct = try JSONSchemaValidator(schema: ["pattern": .string(source)])
            let byEngine = try JSONSchemaValidator(schema: ["pattern": .string("(?=)" + source)])
            for instance in instances {
                #expect(
                    direct.isValid(.string(instance)) == byEngine.isValid(.string(instance)),
                    "\(source) on \(instance)"
                )
            }
        }
        #expect(try JSONSchemaValidator(schema: ["pattern": "|\u{5A7}"]).isValid(""))
        // `(?#` followed by a combining mark is still a comment group, which ECMAScript does not have.
        #expect(throws: Pattern.CompileError.self) { try Pattern("(?#\u{301}x)") }
    }

    @Test("inline flag groups are refused wherever they are, and nothing else is taken for one")
    func inlineFlagGroups() {
        for source in ["(?i)abc", "a(?im)b", "x(?s)", "[(?i)]", "\\(?i)", "((?x))"] {
            #expect(throws: Pattern.CompileError.self, "\(source)") { try Pattern(source) }
        }
        for source in ["(?:abc)", "a(?=b)", "(?!x)y", "(?<n>a)", "(?)", "(?i", "?i)", "(?1)", "(?é)"] {
            #expect(!Pattern.hasInlineFlagGroup(source), "\(source)")
        }
    }

    @Test("a pattern whose engine starts when first matched gives the engine's verdicts")
    func deferredEngine() throws {
        let sources = ["^[^#]*#?$", "^[^a]+$", "^a.b$", "^(ab)+$", "^a\\sb$", "^é+$"]
        let strings = ["", "a#", "a#b", "https://x/y#", "#", "ab", "abab", "a b", "a\tb", "é", "éé", "aéb", "a.b"]
        for source in sources {
            let eager = try Pattern(source)
            let deferred = try Pattern(source, deferringEngine: true)
            for string in strings {
                #expect(deferred.matches(string) == eager.matches(string), "\(source) on \"\(string)\"")
            }
        }
        // Only a pattern the engine must match is deferred: a deferred invalid one matches nothing.
        #expect(try !Pattern("(a", deferringEngine: true).matches("(a"))
    }
}
