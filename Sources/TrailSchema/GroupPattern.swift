/// A pattern of ASCII atoms with groups, alternation and quantifiers, such as `^[a-z0-9]+(-[a-z0-9]+)*$`,
/// `^(?:gpt|claude)-[0-9]+$` or `^v[0-9]+(\.[0-9]+){0,2}$`: matched on UTF-8 bytes by a position automaton
/// (Glushkov's construction) whose live positions are bits, in one pass and without the regular-expression
/// engine.
///
/// Each atom occurrence is a position; after each byte, the live positions are those an atom accepting
/// the byte can reach from the positions live before (or from the start). The result agrees with
/// ECMAScript's `RegExp.prototype.test` on any string, for the reason ``ASCIIPattern`` gives: every atom
/// matches one ASCII character, so a non-ASCII character can never be part of a match. Capturing groups do
/// not change whether a match exists, so they are read as non-capturing ones.
///
/// Recognized: ``ASCIIPattern``'s atoms; groups `(…)` and `(?:…)`; alternation `|` inside groups, or at the
/// top level of a pattern without anchors; the quantifiers `?`, `*`, `+`, `{n}`, `{n,}` and `{n,m}` on
/// atoms and groups; `^` first and `$` last. Anything else (lookaround, back-references, lazy quantifiers,
/// `.`, `\s`, negated sets, more than 128 positions once counted repetitions are written out) is left to the
/// regular-expression engine.
struct GroupPattern: Sendable {
    /// A set of positions, one bit each (positions 0–127).
    private struct Positions: Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        static func & (a: Positions, b: Positions) -> Positions {
            Positions(low: a.low & b.low, high: a.high & b.high)
        }

        static func |= (a: inout Positions, b: Positions) {
            a.low |= b.low
            a.high |= b.high
        }

        var isEmpty: Bool { low | high == 0 }

        mutating func insert(_ position: Int) {
            if position < 64 { low |= 1 << UInt64(position) } else { high |= 1 << UInt64(position - 64) }
        }

        /// Calls `body` with every position in the set.
        @inline(__always)
        func forEach(_ body: (Int) -> Void) {
            var word = low
            while word != 0 {
                body(word.trailingZeroBitCount)
                word &= word - 1
            }
            word = high
            while word != 0 {
                body(64 + word.trailingZeroBitCount)
                word &= word - 1
            }
        }
    }

    /// The parsed pattern.
    private indirect enum Node {
        case atom([UInt8])
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, minimum: Int, maximum: Int?)
    }

    /// What Glushkov's construction knows of a subexpression: whether it matches the empty string, the
    /// positions a match may start and end at.
    private struct Fragment {
        var nullable: Bool
        var first: Positions
        var last: Positions
    }

    static let maximumPositions = 128

    /// For each ASCII byte, the positions whose atom accepts it.
    private let accepting: [Positions]
    /// For each position, the positions that may come right after it.
    private let follow: [Positions]
    private let first: Positions
    private let last: Positions
    private let nullable: Bool
    private let anchoredAtStart: Bool
    private let anchoredAtEnd: Bool

    /// Compiles `source`; `nil` when it uses anything this matcher does not take (see the type's summary).
    ///
    /// - Parameter source: an ECMA-262 pattern.
    init?(_ source: String) {
        var scalars = Array(source.unicodeScalars)[...]
        guard let anchors = ASCIIPattern.anchors(&scalars) else { return nil }
        anchoredAtStart = anchors.start
        anchoredAtEnd = anchors.end
        guard let root = Self.alternation(&scalars, depth: 0), scalars.isEmpty else { return nil }
        // `^a|b$` anchors its branches, not the whole pattern.
        if case .alternation = root, anchoredAtStart || anchoredAtEnd { return nil }
        var builder = Builder()
        guard let fragment = builder.build(root) else { return nil }
        accepting = builder.accepting
        follow = builder.follow
        first = fragment.first
        last = fragment.last
        nullable = fragment.nullable
    }

    // MARK: Parsing

    /// Branches separated by `|`, up to a `)` or the end.
    private static func alternation(_ scalars: inout ArraySlice<Unicode.Scalar>, depth: Int) -> Node? {
        guard depth < 32 else { return nil }
        var branches: [Node] = []
        while true {
            guard let branch = sequence(&scalars, depth: depth) else { return nil }
            branches.append(branch)
            guard scalars.first == "|" else { break }
            scalars.removeFirst()
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    /// Quantified atoms and groups, up to a `|`, a `)` or the end.
    private static func sequence(_ scalars: inout ArraySlice<Unicode.Scalar>, depth: Int) -> Node? {
        var items: [Node] = []
        while let next = scalars.first, next != "|", next != ")" {
            let item: Node
            if next == "(" {
                scalars.removeFirst()
                if scalars.first == "?" {
                    // Only `(?:`; lookaround and named groups are the engine's.
                    guard scalars.dropFirst().first == ":" else { return nil }
                    scalars.removeFirst(2)
                }
                guard let inner = alternation(&scalars, depth: depth + 1), scalars.popFirst() == ")" else { return nil }
                item = inner
            } else {
                guard let set = ASCIIPattern.atom(&scalars) else { return nil }
                item = .atom(set)
            }
            guard let (minimum, maximum) = ASCIIPattern.quantifier(&scalars) else { return nil }
            items.append(minimum == 1 && maximum == 1 ? item : .repeated(item, minimum: minimum, maximum: maximum))
        }
        // Kept a sequence even of one item, so that only a top-level `|` makes the root an alternation.
        return .sequence(items)
    }

    // MARK: Glushkov's construction

    /// Numbers the atoms (a counted repetition is written out, one copy per repetition) and records which
    /// positions may follow which.
    private struct Builder {
        var accepting = [Positions](repeating: Positions(), count: 128)
        var follow: [Positions] = []

        /// The fragment of `node`, with its positions added; `nil` past ``GroupPattern/maximumPositions``.
        mutating func build(_ node: Node) -> Fragment? {
            switch node {
            case .atom(let set):
                let position = follow.count
                guard position < GroupPattern.maximumPositions else { return nil }
                follow.append(Positions())
                for byte in set { accepting[Int(byte)].insert(position) }
                var only = Positions()
                only.insert(position)
                return Fragment(nullable: false, first: only, last: only)
            case .sequence(let items):
                var result = Fragment(nullable: true, first: Positions(), last: Positions())
                for item in items {
                    guard let next = build(item) else { return nil }
                    result = concatenate(result, next)
                }
                return result
            case .alternation(let branches):
                var result = Fragment(nullable: false, first: Positions(), last: Positions())
                for branch in branches {
                    guard let next = build(branch) else { return nil }
                    result.nullable = result.nullable || next.nullable
                    result.first |= next.first
                    result.last |= next.last
                }
                return result
            case .repeated(let inner, let minimum, let maximum):
                var result = Fragment(nullable: true, first: Positions(), last: Positions())
                for _ in 0..<minimum {
                    guard let copy = build(inner) else { return nil }
                    result = concatenate(result, copy)
                }
                if let maximum {
                    for _ in minimum..<maximum {
                        guard var copy = build(inner) else { return nil }
                        copy.nullable = true
                        result = concatenate(result, copy)
                    }
                } else {
                    guard var copy = build(inner) else { return nil }
                    // A star: the copy may follow itself, and may be skipped.
                    copy.last.forEach { follow[$0] |= copy.first }
                    copy.nullable = true
                    result = concatenate(result, copy)
                }
                return result
            }
        }

        /// `a` then `b`: every end of `a` may be followed by every start of `b`.
        private mutating func concatenate(_ a: Fragment, _ b: Fragment) -> Fragment {
            a.last.forEach { follow[$0] |= b.first }
            var first = a.first
            if a.nullable { first |= b.first }
            var last = b.last
            if b.nullable { last |= a.last }
            return Fragment(nullable: a.nullable && b.nullable, first: first, last: last)
        }
    }

    // MARK: Matching

    /// Whether the pattern matches somewhere in the string whose UTF-8 bytes are `bytes` (at its start with
    /// `^`, at its end with `$`).
    ///
    /// - Parameter bytes: the instance's UTF-8 bytes.
    /// - Returns: whether it matches.
    func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The empty match: anywhere without `$`; at the end with it (which `^` allows only when it is the start).
        if nullable && !anchoredAtEnd { return true }
        var live = Positions()
        for (index, byte) in bytes.enumerated() {
            var reachable = anchoredAtStart && index > 0 ? Positions() : first
            live.forEach { reachable |= follow[$0] }
            live = byte < 128 ? reachable & accepting[Int(byte)] : Positions()
            if !anchoredAtEnd && !(live & last).isEmpty { return true }
            if anchoredAtStart && live.isEmpty { return false }
        }
        return !(live & last).isEmpty || (nullable && (bytes.isEmpty || !anchoredAtStart))
    }
}
