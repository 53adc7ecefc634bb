import Testing
import TrailJSON

@Suite("TerminalText")
struct TerminalTextTests {
    @Test(
        "escapes controls, separators, bidi controls and backslashes; keeps the rest",
        arguments: [
            ("plain.json", "plain.json"),
            ("", ""),
            ("héllo wörld – ✓ 日本", "héllo wörld – ✓ 日本"),
            ("a\nb", "a\\nb"),
            ("a\r\nb", "a\\r\\nb"),
            ("tab\there", "tab\\there"),
            ("\u{1b}[31mred\u{1b}[0m", "\\x1b[31mred\\x1b[0m"),
            ("\u{0}", "\\x00"),
            ("\u{7}\u{8}\u{b}\u{c}", "\\x07\\x08\\x0b\\x0c"),
            ("\u{1f}", "\\x1f"),
            ("\u{7f}", "\\x7f"),
            ("\u{80}", "\\u{80}"),
            ("\u{85}", "\\u{85}"),
            ("\u{9b}31m", "\\u{9B}31m"),
            ("\u{9f}", "\\u{9F}"),
            ("\u{a0}", "\u{a0}"),
            ("line\u{2028}para\u{2029}", "line\\u{2028}para\\u{2029}"),
            ("abc\u{202e}def", "abc\\u{202E}def"),
            ("\u{202a}\u{202b}\u{202c}\u{202d}", "\\u{202A}\\u{202B}\\u{202C}\\u{202D}"),
            ("\u{2066}\u{2067}\u{2068}\u{2069}", "\\u{2066}\\u{2067}\\u{2068}\\u{2069}"),
            ("\u{2065}\u{206a}\u{2027}\u{202f}", "\u{2065}\u{206a}\u{2027}\u{202f}"),
            ("back\\slash", "back\\\\slash"),
            ("\\n", "\\\\n"),
            ("\\x1b", "\\\\x1b"),
            ("e\u{301}", "e\u{301}"),
            ("x\n\u{1b}[2Kforged: ok", "x\\n\\x1b[2Kforged: ok"),
        ] as [(String, String)]
    )
    func escaped(input: String, expected: String) {
        #expect(TerminalText.escaped(input) == expected)
    }

    @Test("the result is one line with no control character, and different inputs stay different")
    func unambiguous() {
        let inputs = ["a\nb", "a\\nb", "a\\\nb", "\u{1b}", "\\x1b", "\u{85}", "\\u{85}", "\\", "\\\\"]
        let outputs = inputs.map(TerminalText.escaped)
        #expect(Set(outputs).count == inputs.count)
        for output in outputs {
            #expect(!output.unicodeScalars.contains(where: TerminalText.needsEscape))
        }
    }

    @Test(
        "escapedControls leaves backslashes as they are",
        arguments: [
            ("\"a\\nb\" does not match ^\\d+$", "\"a\\nb\" does not match ^\\d+$"),
            ("property \"x\n\u{1b}[1m\" is not allowed", "property \"x\\n\\x1b[1m\" is not allowed"),
            ("\u{202e}\u{85}", "\\u{202E}\\u{85}"),
        ] as [(String, String)]
    )
    func escapedControls(input: String, expected: String) {
        #expect(TerminalText.escapedControls(input) == expected)
    }
}
