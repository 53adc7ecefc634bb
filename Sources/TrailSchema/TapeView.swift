import TrailJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``JSONTape``'s buffers, borrowed for one evaluation: what ``TapeEvaluator`` reads instances from.
///
/// Only valid inside ``with(_:_:)``, which lends it.
struct TapeView {
    let nodes: UnsafeBufferPointer<JSONTape.Node>
    let bytes: UnsafePointer<UInt8>

    /// Lends `tape`'s buffers to `body`.
    static func with<Result>(_ tape: JSONTape, _ body: (TapeView) -> Result) -> Result {
        tape.nodes.withUnsafeBufferPointer { nodes in
            tape.bytes.withUnsafeBufferPointer { bytes in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { empty in
                    body(TapeView(nodes: nodes, bytes: bytes.baseAddress ?? UnsafePointer(empty.baseAddress!)))
                }
            }
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

    /// Whether the number at `index` is an integer (as ``JSONNumber/isInteger`` says: `1.0` is one).
    @inline(__always)
    func isInteger(_ index: Int) -> Bool {
        nodes[index].numberForm == .integer || number(index).isInteger
    }

    /// The key node of the member of the object at `index` named `name`.
    func member(_ name: String, of index: Int) -> Int? {
        var name = name
        return name.withUTF8 { member($0, of: index) }
    }

    /// Whether the object at `index` has a member named `name`.
    @inline(__always)
    func contains(_ name: String, in index: Int) -> Bool {
        member(name, of: index) != nil
    }

    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
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
            guard left.count == right.count else { return false }
            var x = a + 1
            var y = b + 1
            while x < Int(left.end) {
                guard equal(x, y) else { return false }
                x = end(x)
                y = end(y)
            }
            return true
        case (.object, .object):
            guard left.count == right.count else { return false }
            var key = a + 1
            while key < Int(left.end) {
                guard let other = member(string(key), of: b), equal(key + 1, other + 1) else { return false }
                key = end(key + 1)
            }
            return true
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
        case (.array, .array(let elements)):
            guard Int(node.count) == elements.count else { return false }
            var child = index + 1
            for element in elements {
                guard equal(child, element) else { return false }
                child = end(child)
            }
            return true
        case (.object, .object(let object)):
            guard Int(node.count) == object.count else { return false }
            var key = index + 1
            while key < Int(node.end) {
                let name = string(key)
                guard let position = object.position(of: String(decoding: name, as: UTF8.self)),
                    equal(key + 1, object.values[position])
                else { return false }
                key = end(key + 1)
            }
            return true
        default: return false
        }
    }

    /// The key node of the member of the object at `index` whose name has the UTF-8 bytes `name`.
    func member(_ name: UnsafeBufferPointer<UInt8>, of index: Int) -> Int? {
        var key = index + 1
        let end = end(index)
        while key < end {
            if Self.equal(string(key), name) { return key }
            key = self.end(key + 1)
        }
        return nil
    }
}
