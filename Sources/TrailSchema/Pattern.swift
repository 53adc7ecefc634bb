import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A compiled ECMA-262 regular expression (the dialect JSON Schema's `pattern` uses), matched anywhere in the
/// string, as `RegExp.prototype.test` does.
///
/// Patterns are translated to ICU syntax where the two differ: `\d`, `\w` and `\s` keep ECMAScript's
/// meaning (ASCII digits and word characters; ECMAScript's white-space set), `$` matches only at the very end,
/// and `.` excludes only the four ECMAScript line terminators. Plain literal patterns, literal prefixes
/// anchored with `^`, patterns of ASCII characters and sets with quantifiers (``ASCIIPattern``), and such
/// patterns with groups and alternation (``GroupPattern``) are matched without the regular-expression engine.
/// The engine's last few verdicts on short strings are kept (``RecentVerdicts``): records repeat such values
/// (a file name on every lineage line, a model name on every trace), and one match costs microseconds.
///
/// Safe to use from several threads: `NSRegularExpression` is documented as such, and the kept verdicts are
/// behind a mutex.
final class Pattern: @unchecked Sendable {
    /// Why a pattern does not compile.
    struct CompileError: Error {
        var message: String
    }

    private enum Matcher {
        case contains(String)
        case prefix(String)
        case bytes(ASCIIPattern)
        case groups(GroupPattern)
        case expression(NSRegularExpression)
        case deferred(DeferredExpression)
    }

    let source: String
    private let matcher: Matcher
    private let recent = Mutex(RecentVerdicts())

    /// Compiles `source`.
    ///
    /// - Parameters:
    ///   - source: an ECMA-262 pattern.
    ///   - deferringEngine: compile a pattern the regular-expression engine must match only when it is first
    ///     matched, which spares starting the engine in a process that never matches it. Only for patterns
    ///     known to compile (the embedded meta-schemas'): a pattern the engine rejected then would match
    ///     nothing, where compiling it now throws.
    /// - Throws: ``CompileError`` when `source` is not an ECMAScript pattern the translation or the engine
    ///   accepts.
    init(_ source: String, deferringEngine: Bool = false) throws {
        self.source = source
        let translated = try Self.translate(source)
        if let literal = Self.literal(source) {
            matcher = .contains(literal)
        } else if source.hasPrefix("^"), let literal = Self.literal(String(source.dropFirst())), !literal.isEmpty {
            matcher = .prefix(literal)
        } else if let automaton = ASCIIPattern(source) {
            matcher = .bytes(automaton)
        } else if let automaton = GroupPattern(source) {
            matcher = .groups(automaton)
        } else if deferringEngine {
            matcher = .deferred(DeferredExpression(translated))
        } else {
            do {
                matcher = .expression(try NSRegularExpression(pattern: translated, options: []))
            } catch {
                throw CompileError(message: "the regular-expression engine rejects it")
            }
        }
    }

    /// Whether the pattern matches somewhere in `string`.
    func matches(_ string: String) -> Bool {
        var utf8 = string
        return utf8.withUTF8 { matches(utf8: $0, string: string) }
    }

    /// Whether the pattern matches somewhere in the string whose UTF-8 bytes are `bytes` (valid UTF-8).
    func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        matches(utf8: bytes, string: nil)
    }

    /// Whether the pattern matches the string whose UTF-8 bytes are `bytes`; the engine is handed `string`
    /// when the caller has it, else a string decoded from `bytes`.
    private func matches(utf8 bytes: UnsafeBufferPointer<UInt8>, string: String?) -> Bool {
        switch matcher {
        case .contains(let literal):
            var literal = literal
            return literal.withUTF8 { Self.contains(bytes, $0) }
        case .prefix(let literal):
            return bytes.starts(with: literal.utf8)
        case .bytes(let automaton):
            return automaton.matches(utf8: bytes)
        case .groups(let automaton):
            return automaton.matches(utf8: bytes)
        case .expression(let expression):
            return engineMatches(expression, bytes, string)
        case .deferred(let deferred):
            guard let expression = deferred.expression else { return false }
            return engineMatches(expression, bytes, string)
        }
    }

    /// The engine's verdict on the string whose UTF-8 bytes are `bytes` (`string`, when the caller has it).
    private func engineMatches(
        _ expression: NSRegularExpression,
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ string: String?
    ) -> Bool {
        remembered(bytes) { Self.firstMatch(expression, in: string ?? String(decoding: bytes, as: UTF8.self)) }
    }

    private static func firstMatch(_ expression: NSRegularExpression, in string: String) -> Bool {
        let range = NSRange(string.startIndex..<string.endIndex, in: string)
        return expression.firstMatch(in: string, options: [], range: range) != nil
    }

    /// The verdict kept for `bytes`, or else `match()`'s, kept when the string is short.
    private func remembered(_ bytes: UnsafeBufferPointer<UInt8>, _ match: () -> Bool) -> Bool {
        guard bytes.count <= RecentVerdicts.longest else { return match() }
        if let verdict = recent.withLock({ $0.verdict(for: bytes) }) { return verdict }
        let verdict = match()
        recent.withLock { $0.keep(verdict, for: bytes) }
        return verdict
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        let last = haystack.count - needle.count
        var index = 0
        while index <= last {
            if haystack[index] == first && memcmp(haystack.baseAddress! + index, needle.baseAddress!, needle.count) == 0
            {
                return true
            }
            index += 1
        }
        return false
    }

    /// The text of a pattern made only of characters that stand for themselves.
    private static func literal(_ source: String) -> String? {
        // Scalar by scalar: a combining mark after `|` makes one `Character` of the two, which is not `|`.
        source.unicodeScalars.contains { scalar in "\\^$.|?*+()[]{}".unicodeScalars.contains(scalar) } ? nil : source
    }

    private static let whitespace =
        "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF"

    /// Rewrites an ECMA-262 pattern into ICU syntax, rejecting constructs ECMAScript does not allow.
    static func translate(_ source: String) throws -> String {
        // On the UTF-8 bytes: `String.contains` compares characters, and a combining mark after `#` hides it.
        if source.utf8.firstRange(of: "(?#".utf8) != nil {
            throw CompileError(message: "(?#...) comments are not ECMAScript syntax")
        }
        if hasInlineFlagGroup(source) {
            throw CompileError(message: "inline flag groups such as (?i) are not ECMAScript syntax")
        }
        var result = ""
        var inClass = false
        // Inside a class, where the last piece leaves a `-`: after a character that may begin a range, a `-`
        // before anything but `]` is the range's operator; anywhere else it is a literal, written `\-` so that
        // ICU reads neither a range nor its `--` set difference (`[!--~]` is `!` to `-`, then `~`).
        var position = ClassPosition.start
        func atom() { position = position == .operatorPending ? .rangeEnd : .atom }
        var iterator = Array(source.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            switch scalar {
            case "\\":
                guard let next = iterator.popFirst() else {
                    throw CompileError(message: "it ends with a lone backslash")
                }
                if inClass { "dDwWsS".unicodeScalars.contains(next) ? (position = .classEscape) : atom() }
                switch next {
                case "d": result += inClass ? "0-9" : "[0-9]"
                case "D": result += inClass ? "\\x{0}-/:-\\x{10FFFF}" : "[^0-9]"
                case "w": result += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": result += inClass ? "\\x{0}-/:-@\\[-^`{-\\x{10FFFF}" : "[^a-zA-Z0-9_]"
                case "s": result += inClass ? whitespace : "[" + whitespace + "]"
                case "S": result += inClass ? "\\S" : "[^" + whitespace + "]"
                case "a", "e", "z", "Z", "A", "G", "Q", "E", "X", "R", "h", "H", "V", "N":
                    throw CompileError(message: "\\\(next) is not an ECMAScript escape")
                case "c":
                    guard let letter = iterator.first,
                        letter.properties.isASCIIHexDigit || ("a"..."z").contains(letter)
                            || ("A"..."Z").contains(letter)
                    else {
                        throw CompileError(message: "\\c must be followed by a letter")
                    }
                    result += "\\c"
                default:
                    result.unicodeScalars.append("\\")
                    result.unicodeScalars.append(next)
                }
            case "[" where !inClass:
                inClass = true
                position = .start
                result += "["
                if iterator.first == "^" {
                    result += "^"
                    iterator = iterator.dropFirst()
                }
                if iterator.first == "]" {
                    // ECMAScript's `[]` matches nothing and `[^]` matches anything.
                    iterator = iterator.dropFirst()
                    inClass = false
                    if result.hasSuffix("[^") {
                        result.removeLast(2)
                        result += "[\\x{0}-\\x{10FFFF}]"
                    } else {
                        result.removeLast()
                        result += "(?!)"
                    }
                }
            case "[" where inClass:
                atom()
                result += "\\["
            case "]" where inClass:
                inClass = false
                result += "]"
            case "$" where !inClass:
                result += "(?![\\x{0}-\\x{10FFFF}])"
            case "." where !inClass:
                result += "[^\\n\\r\\u2028\\u2029]"
            case "&" where inClass, "~" where inClass:
                atom()
                result += "\\" + String(scalar)
            case "-" where inClass:
                if position == .atom, let following = iterator.first, following != "]" {
                    result += "-"
                    position = .operatorPending
                } else {
                    result += "\\-"
                    atom()
                }
            default:
                if inClass { atom() }
                result.unicodeScalars.append(scalar)
            }
        }
        if inClass { throw CompileError(message: "a character class is not closed") }
        return result
    }
}

extension Pattern {
    /// Whether `source` holds `(?` then one or more ASCII letters then `)`, an inline flag group such as `(?i)`.
    /// A scan of the bytes: searching with a regular expression would start the engine in every process that
    /// compiles a schema, even when no pattern needs it.
    static func hasInlineFlagGroup(_ source: String) -> Bool {
        let bytes = Array(source.utf8)
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == UInt8(ascii: "("), bytes[index + 1] == UInt8(ascii: "?") {
                var end = index + 2
                while end < bytes.count, (bytes[end] | 0x20) >= UInt8(ascii: "a"),
                    (bytes[end] | 0x20) <= UInt8(ascii: "z")
                {
                    end += 1
                }
                if end > index + 2, end < bytes.count, bytes[end] == UInt8(ascii: ")") { return true }
            }
            index += 1
        }
        return false
    }
}

/// An ICU pattern compiled by the regular-expression engine when first asked for (see
/// ``Pattern/init(_:deferringEngine:)``), then kept.
final class DeferredExpression: Sendable {
    private let translated: String
    private let compiled = Mutex<NSRegularExpression??>(nil)

    init(_ translated: String) {
        self.translated = translated
    }

    /// The compiled expression, `nil` when the engine rejects the pattern.
    var expression: NSRegularExpression? {
        compiled.withLock { compiled in
            if let compiled { return compiled }
            let expression = try? NSRegularExpression(pattern: translated, options: [])
            compiled = .some(expression)
            return expression
        }
    }
}

/// Where ``Pattern/translate(_:)`` is in a character class, for what a `-` means there.
private enum ClassPosition {
    /// Just after `[` or `[^`.
    case start
    /// After a character that may begin a range.
    case atom
    /// After `\d`, `\w`, `\s` or their negations, which cannot.
    case classEscape
    /// After a range's `-`.
    case operatorPending
    /// After a range's last character.
    case rangeEnd
}

/// The regular-expression engine's verdicts on the last few distinct strings a ``Pattern`` was asked about,
/// each at most ``longest`` bytes, replaced oldest first.
struct RecentVerdicts {
    static let longest = 256
    static let capacity = 4

    private var strings: [[UInt8]] = []
    private var verdicts: [Bool] = []
    private var oldest = 0

    /// The verdict kept for the string whose UTF-8 bytes are `bytes`, if any.
    func verdict(for bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        for index in strings.indices where strings[index].count == bytes.count {
            let same = strings[index].withUnsafeBufferPointer { kept in
                kept.isEmpty || memcmp(kept.baseAddress!, bytes.baseAddress!, kept.count) == 0
            }
            if same { return verdicts[index] }
        }
        return nil
    }

    /// Keeps `verdict` for `bytes`, replacing the oldest string kept when all places are taken.
    mutating func keep(_ verdict: Bool, for bytes: UnsafeBufferPointer<UInt8>) {
        guard self.verdict(for: bytes) == nil else { return }
        if strings.count < Self.capacity {
            strings.append(Array(bytes))
            verdicts.append(verdict)
            return
        }
        strings[oldest].removeAll(keepingCapacity: true)
        strings[oldest].append(contentsOf: bytes)
        verdicts[oldest] = verdict
        oldest = (oldest + 1) % Self.capacity
    }
}
