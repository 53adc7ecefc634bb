import TrailJSON

/// A ``JSONTape``'s buffers, borrowed for one evaluation: what ``TapeEvaluator`` reads instances from.
///
/// Only valid inside ``with(_:_:)``, which lends it.
struct TapeView {
    let nodes: UnsafeBufferPointer<JSONTape.Node>
    let bytes: UnsafePointer<UInt8>

    /// Lends `tape`'s buffers to `body`.
    static func with<Result>(_ tape: JSONTape, _ body: (TapeView) -> Result) -> Result {
        tape.nodes.withUnsafeBufferPointer { nodes in
            tape.withAllBytes { bytes in body(TapeView(nodes: nodes, bytes: bytes.baseAddress!)) }
        }
    }

    @inline(__always)
    func kind(_ index: Int) -> JSONTape.Kind { nodes[index].kind }

    @inline(__always)
    func count(_ index: Int) -> Int { Int(nodes[index].count) }

    @inline(__always)
    func end(_ index: Int) -> Int { Int(nodes[index].end) }

    /// The UTF-8 bytes of the string at `index` (or the text of the number there).
    @inline(__always)
    func string(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = nodes[index]
        return UnsafeBufferPointer(start: bytes + Int(node.offset), count: Int(node.count))
    }

    /// The number at `index`.
    @inline(__always)
    func number(_ index: Int) -> JSONNumber {
        JSONTape.number(nodes[index], in: bytes)
    }

    /// The number at `index` as a `Double` when that is exactly its value (stored as a double, or an integer
    /// within ±2^53).
    @inline(__always)
    func exactDouble(_ index: Int) -> Double? {
        let node = nodes[index]
        let value = UnsafeRawPointer(bytes + Int(node.offset) + Int(node.count))
        switch node.numberForm {
        case .double:
            return value.loadUnaligned(as: Double.self)
        case .integer:
            let integer = value.loadUnaligned(as: Int64.self)
            return integer.magnitude <= 1 << 53 ? Double(integer) : nil
        case .text:
            return nil
        }
    }

    /// Whether the number at `index` is an integer (as ``JSONNumber/isInteger`` says: `1.0` is one).
    @inline(__always)
    func isInteger(_ index: Int) -> Bool {
        nodes[index].numberForm == .integer || number(index).isInteger
    }

    /// The members of the object at `index`, in order: each one's key node (its value is the next node) and
    /// position.
    @inline(__always)
    func members(of index: Int) -> Members {
        Members(view: self, key: index + 1, end: end(index))
    }

    /// The elements of the array at `index`, in order: each one's node and position.
    @inline(__always)
    func elements(of index: Int) -> Elements {
        Elements(view: self, node: index + 1, end: end(index))
    }

    struct Members: Sequence, IteratorProtocol {
        let view: TapeView
        var key: Int
        let end: Int
        var position = 0

        @inline(__always)
        mutating func next() -> (key: Int, position: Int)? {
            guard key < end else { return nil }
            let member = (key: key, position: position)
            key = view.end(key + 1)
            position += 1
            return member
        }
    }

    struct Elements: Sequence, IteratorProtocol {
        let view: TapeView
        var node: Int
        let end: Int
        var position = 0

        @inline(__always)
        mutating func next() -> (node: Int, position: Int)? {
            guard node < end else { return nil }
            let element = (node: node, position: position)
            node = view.end(node)
            position += 1
            return element
        }
    }

    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        JSONTape.sameBytes(a, b)
    }

    // MARK: Equality

    /// JSON equality of two values of the document, as ``JSONValue``'s `==`.
    func equal(_ a: Int, _ b: Int) -> Bool {
        let left = nodes[a]
        let right = nodes[b]
        switch (left.kind, right.kind) {
        case (.null, .null), (.true, .true), (.false, .false): return true
        case (.number, .number):
            return Self.equal(string(a), string(b)) || number(a) == number(b)
        case (.string, .string): return Self.equal(string(a), string(b))
        case (.array, .array):
            return left.count == right.count
                && zip(elements(of: a), elements(of: b)).allSatisfy { equal($0.node, $1.node) }
        case (.object, .object):
            return left.count == right.count
                && members(of: a).allSatisfy { key, _ in
                    member(string(key), of: b).map { equal(key + 1, $0 + 1) } ?? false
                }
        default: return false
        }
    }

    /// JSON equality of a value of the document and `value`, as ``JSONValue``'s `==`.
    func equal(_ index: Int, _ value: JSONValue) -> Bool {
        let node = nodes[index]
        switch (node.kind, value) {
        case (.null, .null): return true
        case (.true, .bool(let flag)): return flag
        case (.false, .bool(let flag)): return !flag
        case (.number, .number(let number)): return self.number(index) == number
        case (.string, .string(let string)):
            var string = string
            return string.withUTF8 { Self.equal(self.string(index), $0) }
        case (.array, .array(let values)):
            return Int(node.count) == values.count
                && zip(elements(of: index), values).allSatisfy { equal($0.node, $1) }
        case (.object, .object(let object)):
            return Int(node.count) == object.count
                && members(of: index).allSatisfy { key, _ in
                    let name = String(decoding: string(key), as: UTF8.self)
                    return object.position(of: name).map { equal(key + 1, object.values[$0]) } ?? false
                }
        default: return false
        }
    }

    /// The key node of the member of the object at `index` whose name has the UTF-8 bytes `name`.
    func member(_ name: UnsafeBufferPointer<UInt8>, of index: Int) -> Int? {
        for (key, _) in members(of: index) where Self.equal(string(key), name) { return key }
        return nil
    }
}
