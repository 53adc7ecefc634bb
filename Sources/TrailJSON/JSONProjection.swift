/// Which parts of a document a reader looks at, so that the parser can check the rest without building it.
///
/// Parsing with a projection (``JSONParser/parse(_:projection:)-(UnsafeBufferPointer<UInt8>,_)``) accepts and
/// rejects exactly the documents plain parsing does — syntax, UTF-8, escapes, duplicate keys and depth are
/// checked everywhere — but a value whose projection is ``typeOnly`` comes back as an empty value of the same
/// type: `""` for a string, `[]` for an array, `{}` for an object. Numbers, Booleans and `null` are always kept.
/// A consumer that only needs the types of some members (a schema whose `model_output` is just
/// `{"type": "object"}`) saves building large strings and nested containers it would never read.
///
/// A projection says what may be left out, not what must be: a skipped object with many members or with an
/// escaped key is handed to plain parsing, which builds it in full.
public indirect enum JSONProjection: Sendable, Hashable {
    /// The value in full, with everything inside it.
    case whole
    /// Only the value's type (see above).
    case typeOnly
    /// For an object: each member named here by its own projection, every other member by `others`. A value
    /// that is not an object is kept whole.
    case members([String: JSONProjection], others: JSONProjection)

    /// Whether this projection keeps every value, so parsing with it is plain parsing.
    public var isWhole: Bool {
        if case .whole = self { return true }
        return false
    }

    /// A projection that keeps everything either of the two keeps.
    ///
    /// - Parameter other: another projection.
    /// - Returns: the union.
    public func union(_ other: JSONProjection) -> JSONProjection {
        switch (self, other) {
        case (.whole, _), (_, .whole):
            return .whole
        case (.typeOnly, _):
            return other
        case (_, .typeOnly):
            return self
        case (.members(let named, let others), .members(let otherNamed, let otherOthers)):
            var union: [String: JSONProjection] = [:]
            for key in Set(named.keys).union(otherNamed.keys) {
                union[key] = (named[key] ?? others).union(otherNamed[key] ?? otherOthers)
            }
            return .members(union, others: others.union(otherOthers))
        }
    }

    /// The projection of an object's member named `key`.
    @inline(__always)
    func member(_ key: String) -> JSONProjection {
        switch self {
        case .whole: .whole
        case .typeOnly: .typeOnly
        case .members(let named, let others): named[key] ?? others
        }
    }
}
