/// A pattern made of ASCII characters and ASCII sets, each with an optional quantifier, such as
/// `^tr_[A-Za-z0-9]{8,32}$`, `^[a-z_][a-z0-9_]*$` or `[0-9]+\.[0-9]+`: matched on UTF-8 bytes by a
/// bit-parallel automaton (shift-and), in one pass and without the regular-expression engine.
///
/// Each repetition of an atom is one state; a bit per state says which are live, so every byte costs a few
/// word operations however the pattern backtracks in a regular-expression engine. The result agrees with
/// ECMAScript's `RegExp.prototype.test` on any string: every atom matches one ASCII character only, so a
/// non-ASCII character (whose UTF-8 bytes are all at least 0x80) can never be part of a match, whether it
/// is counted as one code point, two code units or several bytes.
///
/// Recognized: an optional `^`; atoms that are an ordinary ASCII character, an escaped syntax character
/// (`\.`, `\-`, …), `\d`, `\w`, or a set `[…]` of those and ranges (not negated); quantifiers `?`, `*`, `+`,
/// `{n}`, `{n,}` and `{n,m}`; an optional closing `$`. Anything else (groups, alternation, `.`, `\s`,
/// negated sets, lazy quantifiers, more than 127 states) is left to the regular-expression engine.
struct ASCIIPattern: Sendable {
    /// A set of states, one bit each (states 0–127).
    private struct States: Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        static func & (a: States, b: States) -> States { States(low: a.low & b.low, high: a.high & b.high) }
        static func | (a: States, b: States) -> States { States(low: a.low | b.low, high: a.high | b.high) }
        static prefix func ~ (a: States) -> States { States(low: ~a.low, high: ~a.high) }

        /// Every state moved one on.
        var advanced: States { States(low: low << 1, high: high << 1 | low >> 63) }
        var isEmpty: Bool { low | high == 0 }

        func contains(_ state: Int) -> Bool {
            state < 64 ? low >> UInt64(state) & 1 == 1 : high >> UInt64(state - 64) & 1 == 1
        }

        mutating func insert(_ state: Int) {
            if state < 64 { low |= 1 << UInt64(state) } else { high |= 1 << UInt64(state - 64) }
        }
    }

    /// How often an atom's state may match.
    private enum Repeat {
        case once
        case optional
        case any
    }

    /// One atom with its bounds, for the greedy match (``runs``).
    private struct Run {
        /// The ASCII bytes the atom accepts, one bit each.
        var bytes = States()
        var minimum: Int
        /// `Int.max` when there is no upper bound.
        var maximum: Int
    }

    /// For each ASCII byte, the states whose atom accepts it.
    private let accepting: [States]
    /// The atoms, when each may take as many bytes as it accepts (up to its maximum) without losing a match:
    /// the pattern is anchored at its start, and every atom of variable length is the last one or is followed
    /// by one of at least one byte that accepts none of its bytes (`^[a-z_][a-z0-9_]{0,63}$`,
    /// `^tr_[A-Za-z0-9]{8,32}$`, `^[0-9]+\.[0-9]+$`). Then the match needs no automaton: where an atom stops is
    /// forced, since the byte after it belongs to the next atom, which cannot take any of its bytes.
    private let runs: [Run]?
    /// States that may match nothing (`?`, `*` and the optional part of `{n,m}`).
    private let skippable: States
    /// States that stay live after matching (`*`, and the open end of `+` and `{n,}`).
    private let looping: States
    /// When every atom matches exactly once and the atoms take at most eight distinct sets of bytes
    /// (`^[0-9a-f]{64}$`, `^prm_[a-z0-9]{12}$`): for each byte, one bit for every such set that holds it, and
    /// for each atom the bit of its set; a byte is then checked with one load and one mask.
    private let fixedSets: (bytes: [UInt8], atoms: [UInt8])?
    /// The state reached when every atom has matched.
    private let final: Int
    private let anchoredAtStart: Bool
    private let anchoredAtEnd: Bool

    static let maximumStates = 127

    /// Compiles `source`; `nil` when it uses anything this matcher does not take (see the type's summary).
    ///
    /// - Parameter source: an ECMA-262 pattern.
    init?(_ source: String) {
        var scalars = Array(source.unicodeScalars)[...]
        guard let anchors = Self.anchors(&scalars) else { return nil }
        anchoredAtStart = anchors.start
        anchoredAtEnd = anchors.end
        var atoms: [([UInt8], Repeat)] = []
        var runs: [Run] = []
        while !scalars.isEmpty {
            guard let set = Self.atom(&scalars) else { return nil }
            guard let (minimum, maximum) = Self.quantifier(&scalars) else { return nil }
            var run = Run(minimum: minimum, maximum: maximum ?? Int.max)
            for byte in set { run.bytes.insert(Int(byte)) }
            runs.append(run)
            atoms.append(contentsOf: repeatElement((set, .once), count: minimum))
            if let maximum {
                atoms.append(contentsOf: repeatElement((set, .optional), count: maximum - minimum))
            } else {
                atoms.append((set, .any))
            }
            guard atoms.count <= Self.maximumStates else { return nil }
        }
        var accepting = [States](repeating: States(), count: 128)
        var skippable = States()
        var looping = States()
        for (state, (set, repetition)) in atoms.enumerated() {
            for byte in set { accepting[Int(byte)].insert(state) }
            if repetition != .once { skippable.insert(state) }
            if repetition == .any { looping.insert(state) }
        }
        self.accepting = accepting
        fixedSets = skippable.isEmpty ? Self.fixedSets(atoms.map(\.0)) : nil
        self.skippable = skippable
        self.looping = looping
        final = atoms.count
        let greedy =
            anchors.start
            && runs.indices.allSatisfy { index in
                let run = runs[index]
                guard run.minimum != run.maximum, index + 1 < runs.count else { return true }
                let next = runs[index + 1]
                return next.minimum > 0 && (run.bytes & next.bytes).isEmpty
            }
        self.runs = greedy ? runs : nil
    }

    /// The byte sets of atoms that each match once (see ``fixedSets``); `nil` for more than eight distinct sets.
    private static func fixedSets(_ atoms: [[UInt8]]) -> (bytes: [UInt8], atoms: [UInt8])? {
        var distinct: [Set<UInt8>] = []
        var atomSets: [UInt8] = []
        for atom in atoms {
            let set = Set(atom)
            let index = distinct.firstIndex(of: set) ?? distinct.count
            guard index < 8 else { return nil }
            if index == distinct.count { distinct.append(set) }
            atomSets.append(1 << UInt8(index))
        }
        var byteSets = [UInt8](repeating: 0, count: 256)
        for (index, set) in distinct.enumerated() {
            for byte in set { byteSets[Int(byte)] |= 1 << UInt8(index) }
        }
        return (byteSets, atomSets)
    }

    /// Takes a leading `^` and a closing `$` off `scalars` and tells which there were; `nil` when the pattern
    /// ends with `\$`, a literal dollar sign.
    static func anchors(_ scalars: inout ArraySlice<Unicode.Scalar>) -> (start: Bool, end: Bool)? {
        let start = scalars.first == "^"
        if start { scalars.removeFirst() }
        let end = scalars.last == "$"
        if end {
            scalars.removeLast()
            if scalars.last == "\\" { return nil }
        }
        return (start, end)
    }

    /// The bounds of the quantifier at the front of `scalars`, consumed: `?`, `*`, `+` or braces, and (1, 1)
    /// when there is none; `nil` for one left to the engine (bad braces, a lazy quantifier, a quantifier on a
    /// quantifier).
    static func quantifier(_ scalars: inout ArraySlice<Unicode.Scalar>) -> (minimum: Int, maximum: Int?)? {
        var minimum = 1
        var maximum: Int? = 1
        switch scalars.first {
        case "?":
            scalars.removeFirst()
            minimum = 0
        case "*":
            scalars.removeFirst()
            minimum = 0
            maximum = nil
        case "+":
            scalars.removeFirst()
            maximum = nil
        case "{":
            guard let (low, high) = braces(&scalars) else { return nil }
            minimum = low
            maximum = high
        default:
            break
        }
        // A lazy quantifier (`*?`) or a quantifier on a quantifier is the engine's to judge.
        if let next = scalars.first, "?*+{".unicodeScalars.contains(next), minimum != 1 || maximum != 1 {
            return nil
        }
        return (minimum, maximum)
    }

    /// One atom: the ASCII bytes it accepts.
    static func atom(_ scalars: inout ArraySlice<Unicode.Scalar>) -> [UInt8]? {
        guard let scalar = scalars.popFirst() else { return nil }
        switch scalar {
        case "\\":
            return escape(&scalars)
        case "[":
            return set(&scalars)
        case "^", "$", ".", "|", "?", "*", "+", "(", ")", "]", "{", "}":
            return nil
        default:
            guard scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F else { return nil }
            return [UInt8(scalar.value)]
        }
    }

    /// The bytes an escape stands for: `\d`, `\w` or an escaped syntax character.
    private static func escape(_ scalars: inout ArraySlice<Unicode.Scalar>) -> [UInt8]? {
        guard let escaped = scalars.popFirst() else { return nil }
        switch escaped {
        case "d": return Array(UInt8(ascii: "0")...UInt8(ascii: "9"))
        case "w": return word
        case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/", "-":
            return [UInt8(escaped.value)]
        default: return nil
        }
    }

    private static let word: [UInt8] =
        Array(UInt8(ascii: "a")...UInt8(ascii: "z")) + Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        + Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + [UInt8(ascii: "_")]

    /// A set `[…]` after its `[`: characters, escapes and ranges of single characters.
    private static func set(_ scalars: inout ArraySlice<Unicode.Scalar>) -> [UInt8]? {
        guard let first = scalars.first, first != "^", first != "]" else { return nil }
        var members: [UInt8] = []
        // One member: a character or an escape; the escape's bytes, and whether it was a single character.
        func member() -> (bytes: [UInt8], single: Bool)? {
            guard let scalar = scalars.popFirst() else { return nil }
            if scalar == "\\" {
                guard let bytes = escape(&scalars) else { return nil }
                return (bytes, bytes.count == 1)
            }
            guard scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F, scalar != "[" else { return nil }
            return ([UInt8(scalar.value)], true)
        }
        while scalars.first.map({ $0 != "]" }) == true {
            guard let low = member() else { return nil }
            if scalars.first == "-", let after = scalars.dropFirst().first, after != "]" {
                scalars.removeFirst()
                guard let high = member(), low.single, high.single, low.bytes[0] <= high.bytes[0] else {
                    return nil
                }
                members += Array(low.bytes[0]...high.bytes[0])
            } else {
                members += low.bytes
            }
        }
        guard scalars.popFirst() == "]" else { return nil }
        return members
    }

    /// `{n}`, `{n,}` or `{n,m}` after an atom: the bounds (`nil` for no upper one).
    private static func braces(_ scalars: inout ArraySlice<Unicode.Scalar>) -> (Int, Int?)? {
        scalars.removeFirst()
        var text = ""
        while let scalar = scalars.popFirst(), scalar != "}" {
            guard ("0"..."9").contains(scalar) || scalar == "," else { return nil }
            text.unicodeScalars.append(scalar)
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard let low = Int(parts[0]), low <= maximumStates else { return nil }
        switch parts.count {
        case 1:
            return (low, low)
        case 2 where parts[1].isEmpty:
            return (low, nil)
        case 2:
            guard let high = Int(parts[1]), high >= low, high <= maximumStates else { return nil }
            return (low, high)
        default:
            return nil
        }
    }

    /// Every state reachable from `states` by skipping atoms that may match nothing.
    @inline(__always)
    private func closure(_ states: States) -> States {
        var states = states
        while true {
            let widened = states | (states & skippable).advanced
            if widened == states { return states }
            states = widened
        }
    }

    /// The match when every atom matches exactly once from the start (`^[0-9a-f]{64}$`): atom `i` must
    /// accept byte `i`, and with `$` there must be no more bytes.
    private func matchesFixedLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard anchoredAtEnd ? bytes.count == final : bytes.count >= final else { return false }
        if let fixedSets {
            guard final > 0 else { return true }
            return fixedSets.bytes.withUnsafeBufferPointer { byteSets in
                fixedSets.atoms.withUnsafeBufferPointer { atomSets in
                    let input = bytes.baseAddress!
                    var state = 0
                    // Eight bytes at a time: their sets side by side in one word, masked with their atoms' sets; a
                    // lane left zero is a byte its atom does not accept.
                    while state &+ 8 <= final {
                        var found: UInt64 = 0
                        for lane in 0..<8 {
                            found |= UInt64(byteSets[Int(input[state &+ lane])]) &<< UInt64(lane &* 8)
                        }
                        let atoms = UInt64(
                            littleEndian: UnsafeRawPointer(atomSets.baseAddress! + state).loadUnaligned(as: UInt64.self)
                        )
                        let word = found & atoms
                        if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { return false }
                        state &+= 8
                    }
                    while state < final {
                        if byteSets[Int(input[state])] & atomSets[state] == 0 { return false }
                        state &+= 1
                    }
                    return true
                }
            }
        }
        for state in 0..<final {
            let byte = bytes[state]
            guard byte < 128, accepting[Int(byte)].contains(state) else { return false }
        }
        return true
    }

    /// The greedy match (see ``runs``): each atom takes the bytes it accepts, up to its maximum, and must have
    /// taken its minimum; with `$` there must be no more bytes.
    private func matchesRuns(_ runs: [Run], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = 0
        for run in runs {
            let start = position
            let limit = run.maximum == Int.max ? bytes.count : min(bytes.count, position + run.maximum)
            while position < limit {
                let byte = bytes[position]
                guard byte < 128, run.bytes.contains(Int(byte)) else { break }
                position += 1
            }
            if position - start < run.minimum { return false }
        }
        return !anchoredAtEnd || position == bytes.count
    }

    /// Whether the greedy match serves this pattern (for tests).
    var matchesByRuns: Bool { runs != nil }

    /// Whether bytes are checked through ``fixedSets`` (for tests).
    var matchesByByteSets: Bool { anchoredAtStart && fixedSets != nil }

    /// Whether the pattern matches somewhere in the string whose UTF-8 bytes are `bytes`.
    ///
    /// - Parameter bytes: the instance's UTF-8 bytes.
    /// - Returns: whether it matches.
    func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if anchoredAtStart && skippable.isEmpty { return matchesFixedLength(bytes) }
        if let runs { return matchesRuns(runs, bytes) }
        var start = States()
        start.insert(0)
        start = closure(start)
        var live = start
        if !anchoredAtEnd && live.contains(final) { return true }
        for byte in bytes {
            let matched = byte < 128 ? live & accepting[Int(byte)] : States()
            live = closure((matched & ~looping).advanced | (matched & looping))
            if !anchoredAtStart { live = live | start }
            if !anchoredAtEnd && live.contains(final) { return true }
            if live.isEmpty { return false }
        }
        return live.contains(final)
    }
}
