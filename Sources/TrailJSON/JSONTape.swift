#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON document parsed into two flat buffers: its values as fixed-size nodes in document order, and the
/// bytes of its strings and numbers.
///
/// Parsing builds no tree: no array, object or `String` per value, so nothing to release afterwards. A
/// node's ``Node/end`` is the index just past it and everything inside it, so that a reader skips a value in
/// one step. An array's elements follow its node; an object's members follow its node as a key (a string
/// node) and then the value. Strings are stored decoded (escapes resolved) and numbers as they are written.
///
/// Parsing accepts exactly the documents ``JSONParser`` accepts with its default options (strict syntax,
/// valid UTF-8, no unpaired surrogate escapes, no duplicate keys, the same depth limit); for any other it
/// says no, without the parser's detailed message, which a caller that needs one gets by parsing again with
/// ``JSONParser``. A tape is reused from document to document, so a long run allocates nothing per document.
public struct JSONTape: Sendable {
    /// What a node is.
    public enum Kind: UInt8, Sendable {
        /// `null`.
        case null
        /// `false`.
        case `false`
        /// `true`.
        case `true`
        /// A number; its text is in the tape's bytes (``JSONTape/withAllBytes(_:)``).
        case number
        /// A string; its UTF-8 bytes are in the tape's bytes.
        case string
        /// An array; its elements follow.
        case array
        /// An object; its members follow, each a key then a value.
        case object
    }

    /// One value.
    public struct Node: Sendable {
        /// What the value is.
        public var kind: Kind
        /// For a number: whether its value follows its text in the tape's bytes (see ``NumberForm``).
        public var numberForm: NumberForm
        /// A string's or number's length in bytes; an array's elements or an object's members.
        public var count: UInt32
        /// Where a string's or number's bytes start in the tape's bytes (``JSONTape/withAllBytes(_:)``).
        public var offset: UInt32
        /// The index of the node after this value and everything inside it.
        public var end: UInt32
    }

    /// How a number node's value is stored.
    public enum NumberForm: UInt8, Sendable {
        /// Only as text, read again when needed (an integer beyond Int64's 18 digits, an overflowing exponent).
        case text
        /// As an `Int64`, in the eight bytes after the text.
        case integer
        /// As a `Double`, in the eight bytes after the text.
        case double
    }

    /// The values, the document's own first, read in place.
    public var nodes: Nodes { Nodes(store: store) }
    /// The nodes, and the bytes of strings and numbers.
    private var store = TapeStore()

    /// Creates an empty tape.
    public init() {}

    /// Parses one document, replacing what the tape held.
    ///
    /// With a projection, the parts it leaves out are checked and stored as empty values of their type, as
    /// ``JSONParser/parse(_:projection:)-(UnsafeBufferPointer<UInt8>,_)`` does; when such a part cannot be
    /// skipped (an object of many members, an escaped key), the document is parsed again in full.
    ///
    /// A document that is not well-formed JSON is a result, not an error: the tape is left empty, and
    /// ``JSONParser`` says where and why.
    ///
    /// - Parameters:
    ///   - buffer: the document's UTF-8 bytes.
    ///   - projection: the parts to keep.
    /// - Returns: `true` when the document is one well-formed JSON document (holding less than 4 GiB of strings
    ///   and numbers), now on the tape.
    @discardableResult
    public mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>, projection: JSONProjection = .whole) -> Bool {
        parse(buffer, compiled: projection.isWhole ? nil : TapeProjection(projection))
    }

    /// Parses one document with a compiled projection, as ``parse(_:projection:)-(_,JSONProjection)`` does.
    ///
    /// - Parameters:
    ///   - buffer: the document's UTF-8 bytes.
    ///   - projection: the parts to keep, compiled once for many documents.
    /// - Returns: `true` when the document is one well-formed JSON document, now on the tape.
    @discardableResult
    public mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>, projection: TapeProjection) -> Bool {
        parse(buffer, compiled: projection.isWhole ? nil : projection)
    }

    private mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>, compiled projection: TapeProjection?) -> Bool {
        // A copy of the tape (or of its nodes) keeps what it read; this one writes to memory of its own.
        if !isKnownUniquelyReferenced(&store) { store = TapeStore() }
        store.nodeCount = 0
        store.count = 0
        guard let base = buffer.baseAddress, !buffer.isEmpty, buffer.count < Int(UInt32.max) else { return false }
        var parser = ByteParser(base: base, count: buffer.count, options: JSONParser.Options())
        parser.swapBuffers(with: &store.parserBuffers)
        defer { parser.swapBuffers(with: &store.parserBuffers) }
        do {
            var builder = store.builder()
            var state = store.takeState()
            defer { store.adopt(builder, state: state) }
            try parser.parseTape(into: &builder, state: &state, projection: projection)
            // Offsets are 32-bit; numbers add eight bytes each to the text.
            guard builder.count < Int(UInt32.max), builder.nodeCount < Int(UInt32.max) else { throw TapeRejection() }
            return true
        } catch {
            store.nodeCount = 0
            store.count = 0
            return projection == nil ? false : parse(buffer, compiled: nil)
        }
    }

    // MARK: Reading

    /// The bytes of the string or number at `index`.
    ///
    /// - Parameters:
    ///   - index: a string or number node.
    ///   - body: reads the bytes, which are valid only inside it.
    /// - Returns: what `body` returns.
    public func withBytes<Result>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        body(bytes(at: index))
    }

    /// The bytes of the node at `index`, read straight from the store, which `self` keeps alive (reading
    /// through ``nodes`` or ``withAllBytes(_:)`` would retain and release it on every call).
    @inline(__always)
    private func bytes(at index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < store.nodeCount, "node index out of range")
        let node = store.nodes[index]
        return UnsafeBufferPointer(start: store.base + Int(node.offset), count: Int(node.count))
    }

    /// The index of the value of the member named `name` in the object at `index`.
    ///
    /// - Parameters:
    ///   - name: the member's name, compared by its UTF-8 bytes.
    ///   - index: an object node; the document itself by default.
    /// - Returns: the member's value node, or `nil` when the node is not an object or has no such member.
    public func member(_ name: String, in index: Int = 0) -> Int? {
        var name = name
        return name.withUTF8 { name in
            guard index >= 0, index < store.nodeCount else { return nil }
            let nodes = store.nodes
            guard nodes[index].kind == .object else { return nil }
            var key = index + 1
            while key < Int(nodes[index].end) {
                let node = nodes[key]
                let stored = UnsafeBufferPointer(start: store.base + Int(node.offset), count: Int(node.count))
                if JSONTape.sameBytes(stored, name) { return key + 1 }
                key = Int(nodes[key + 1].end)
            }
            return nil
        }
    }

    /// The string at `index`.
    ///
    /// - Parameter index: a node.
    /// - Returns: the string, or `nil` when the node is not a string.
    public func string(at index: Int) -> String? {
        precondition(index >= 0 && index < store.nodeCount, "node index out of range")
        guard store.nodes[index].kind == .string else { return nil }
        return String(decoding: bytes(at: index), as: UTF8.self)
    }

    /// All the bytes of the tape's strings and numbers, where nodes' ``Node/offset``s point.
    ///
    /// - Parameter body: reads the bytes, which are valid only inside it.
    /// - Returns: what `body` returns.
    public func withAllBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(store) { try body(store.buffer) }
    }

    /// The number at `index`, equal to what ``JSONParser`` reads (its written text is not kept).
    ///
    /// - Parameter index: a number node.
    /// - Returns: the number.
    public func number(at index: Int) -> JSONNumber {
        withAllBytes { Self.number(nodes[index], in: $0.baseAddress!) }
    }

    /// The number of a number node, equal to what ``JSONParser`` reads (its written text is not kept).
    ///
    /// - Parameters:
    ///   - node: a number node.
    ///   - bytes: the start of its tape's bytes (``withAllBytes(_:)``).
    /// - Returns: the number.
    @inline(__always)
    package static func number(_ node: Node, in bytes: UnsafePointer<UInt8>) -> JSONNumber {
        let text = UnsafeRawPointer(bytes + Int(node.offset))
        switch node.numberForm {
        case .integer:
            return JSONNumber(text.loadUnaligned(fromByteOffset: Int(node.count), as: Int64.self))
        case .double:
            return JSONNumber(text.loadUnaligned(fromByteOffset: Int(node.count), as: Double.self))
        case .text:
            var parser = ByteParser(
                base: bytes + Int(node.offset),
                count: Int(node.count),
                options: JSONParser.Options()
            )
            // The text was checked when the tape was built.
            return (try? parser.parseNumber()) ?? JSONNumber(0)
        }
    }

    /// The value at `index`, built in full (for messages and the rare consumer of whole values).
    ///
    /// - Parameter index: a node.
    /// - Returns: the value.
    public func value(at index: Int) -> JSONValue {
        let node = nodes[index]
        switch node.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .number: return .number(number(at: index))
        case .string: return .string(withBytes(at: index) { String(decoding: $0, as: UTF8.self) })
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(node.count))
            var child = index + 1
            while child < Int(node.end) {
                elements.append(value(at: child))
                child = Int(nodes[child].end)
            }
            return .array(elements)
        case .object:
            var keys: [String] = []
            var values: [JSONValue] = []
            var key = index + 1
            while key < Int(node.end) {
                keys.append(withBytes(at: key) { String(decoding: $0, as: UTF8.self) })
                values.append(value(at: key + 1))
                key = Int(nodes[key + 1].end)
            }
            return .object(JSONObject(uniqueKeys: keys, values: values))
        }
    }

    /// Whether two member names (or any two byte strings) are the same bytes: the length, then, for up to 16
    /// bytes, two loads of each that overlap (no call); longer ones by the last byte (names of one object often
    /// differ only there, as `k1` and `k2` do), then the rest at once. No load reads outside either buffer.
    @inlinable
    package static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = a.count
        guard count == b.count else { return false }
        guard let first = a.baseAddress, let second = b.baseAddress, count > 0 else { return true }
        let x = UnsafeRawPointer(first)
        let y = UnsafeRawPointer(second)
        switch count {
        case 1...3:
            // Bytes 0, count / 2 and count - 1 are every byte.
            return first[0] == second[0] && first[count &>> 1] == second[count &>> 1]
                && first[count &- 1] == second[count &- 1]
        case 4...7:
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == y.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        case 8...16:
            return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
                && x.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                    == y.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        default:
            return first[count &- 1] == second[count &- 1] && sameLongBytes(first, second, count)
        }
    }

    /// `memcmp` of `count` bytes, for ``sameBytes(_:_:)`` (which inlines into other modules, where the C
    /// library's function is not visible).
    @usableFromInline
    package static func sameLongBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }

    /// A hash of a member name's UTF-8 bytes, for tables of names probed by its low bits: the tape's check
    /// for repeated keys, compiled projections, and the schema engine's name tables.
    ///
    /// FNV-1a's step taken eight bytes at a time (each word's high half folded down after the multiply,
    /// which only carries bits upwards), then byte by byte for the rest; every byte and the length count.
    @inlinable
    package static func nameHash(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var state: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: name.count)
        guard let base = name.baseAddress else { return Int(truncatingIfNeeded: state ^ (state >> 29)) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= name.count {
            state = (state ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01B3
            state ^= state >> 32
            offset += 8
        }
        while offset < name.count {
            state = (state ^ UInt64(base[offset])) &* 0x100_0000_01B3
            offset += 1
        }
        return Int(truncatingIfNeeded: state ^ (state >> 29))
    }
}

/// Why a document did not go onto a tape (``JSONParser`` says where and why).
private struct TapeRejection: Error {}

/// A tape's nodes and bytes, in memory the tape grows itself. Shared by copies of a tape until one of them
/// parses again (see ``JSONTape/parse(_:projection:)``); a document is parsed into a ``TapeBuilder`` that
/// holds this memory meanwhile.
private final class TapeStore: @unchecked Sendable {
    private(set) var nodes: UnsafeMutablePointer<JSONTape.Node>
    private var nodeCapacity: Int
    var nodeCount = 0
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0

    init() {
        nodeCapacity = 1024
        nodes = .allocate(capacity: nodeCapacity)
        capacity = 4096
        base = .allocate(capacity: capacity)
    }

    deinit {
        nodes.deallocate()
        base.deallocate()
        state.deallocate()
    }

    var buffer: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    /// The store's memory, emptied, to parse a document into; hand it back with ``adopt(_:state:)``, which the store
    /// needs before it is used again (the builder may have moved the memory).
    func builder() -> TapeBuilder {
        TapeBuilder(nodes: nodes, nodeCapacity: nodeCapacity, base: base, capacity: capacity)
    }

    /// The parser's stacks, kept here between documents (``takeState()``).
    private var state = TapeParseState()
    /// The byte parser's buffers, kept here between documents.
    var parserBuffers = ByteParser.Buffers()

    /// The parser's stacks, emptied, to hand back with ``adopt(_:state:)`` (they may move as they grow).
    func takeState() -> TapeParseState {
        var state = state
        state.removeAll()
        return state
    }

    /// Takes back the memory of a builder made by ``builder()``, what was parsed into it, and the parser's
    /// stacks.
    func adopt(_ builder: TapeBuilder, state: TapeParseState) {
        self.state = state
        nodes = builder.nodes
        nodeCapacity = builder.nodeCapacity
        nodeCount = builder.nodeCount
        base = builder.base
        capacity = builder.capacity
        count = builder.count
    }
}

/// A tape's memory while a document is parsed onto it, held in a value of the parser's own, so that appending
/// a node, a string or a number is one capacity check and one copy, with no reference counting and no
/// exclusivity check of a class's properties (an array would also check that its storage is unique and go
/// through its generic append on every value). Made by ``TapeStore/builder()``, which takes it back.
private struct TapeBuilder {
    fileprivate var nodes: UnsafeMutablePointer<JSONTape.Node>
    fileprivate var nodeCapacity: Int
    fileprivate var nodeCount = 0
    fileprivate var base: UnsafeMutablePointer<UInt8>
    fileprivate var capacity: Int
    fileprivate var count = 0

    fileprivate init(
        nodes: UnsafeMutablePointer<JSONTape.Node>,
        nodeCapacity: Int,
        base: UnsafeMutablePointer<UInt8>,
        capacity: Int
    ) {
        self.nodes = nodes
        self.nodeCapacity = nodeCapacity
        self.base = base
        self.capacity = capacity
    }

    @inline(__always)
    mutating func append(
        _ kind: JSONTape.Kind,
        numberForm: JSONTape.NumberForm = .text,
        count: Int = 0,
        offset: Int = 0
    ) {
        if nodeCount == nodeCapacity { growNodes() }
        (nodes + nodeCount).initialize(
            to: JSONTape.Node(
                kind: kind,
                numberForm: numberForm,
                count: UInt32(truncatingIfNeeded: count),
                offset: UInt32(truncatingIfNeeded: offset),
                end: UInt32(truncatingIfNeeded: nodeCount + 1)
            )
        )
        nodeCount += 1
    }

    @inline(__always)
    mutating func appendBytes(_ kind: JSONTape.Kind, _ buffer: UnsafeBufferPointer<UInt8>) {
        append(kind, count: buffer.count, offset: count)
        append(buffer, extra: 0)
    }

    /// Appends a number's text and, unless `form` is ``JSONTape/NumberForm/text``, its value (`bits`) after it.
    @inline(__always)
    mutating func appendNumber(_ text: UnsafeBufferPointer<UInt8>, _ form: JSONTape.NumberForm, _ bits: UInt64) {
        append(.number, numberForm: form, count: text.count, offset: count)
        guard form != .text else { return append(text, extra: 0) }
        append(text, extra: 8)
        UnsafeMutableRawPointer(base + count - 8).storeBytes(of: bits.littleEndian, as: UInt64.self)
    }

    /// Appends `bytes` and leaves room for `extra` more, which the caller writes.
    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, extra: Int) {
        let needed = count + bytes.count + extra
        if needed > capacity { grow(to: needed) }
        if let source = bytes.baseAddress { Self.copy(source, to: base + count, count: bytes.count) }
        count = needed
    }

    /// Copies `count` bytes; most strings and numbers are short, and a call to `memcpy` costs more than
    /// copying them as two overlapping words (read and written only inside both runs).
    @inline(__always)
    private static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        switch count {
        case 8...16:
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 1..<4:
            target[0] = source[0]
            target[count >> 1] = source[count >> 1]
            target[count - 1] = source[count - 1]
        case 0:
            return
        default:
            target.update(from: source, count: count)
        }
    }

    /// Ends the container at `node`, which holds `count` elements or members.
    @inline(__always)
    mutating func close(_ node: Int, count: Int) {
        nodes[node].count = UInt32(truncatingIfNeeded: count)
        nodes[node].end = UInt32(truncatingIfNeeded: nodeCount)
    }

    /// The bytes of the string node `index`, valid until the next append.
    @inline(__always)
    func bytes(at index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = nodes[index]
        return UnsafeBufferPointer(start: base + Int(node.offset), count: Int(node.count))
    }

    /// Whether the key node `key` repeats one of the key nodes `keys[first...]`.
    func repeatsKey(_ key: Int, among keys: RawStack<Int>, from first: Int) -> Bool {
        let name = bytes(at: key)
        var index = first
        while index < keys.count {
            if JSONTape.sameBytes(bytes(at: keys[index]), name) { return true }
            index += 1
        }
        return false
    }

    /// Whether any two of the key nodes `keys` (of an object with many members) are equal: each key is looked
    /// for in a hash table of the keys before it (open addressing, probed linearly, at most half full).
    func hasRepeatedKeys(_ keys: UnsafeBufferPointer<Int>) -> Bool {
        var capacity = 64
        while capacity < keys.count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { slots in
            slots.initialize(repeating: -1)
            for key in keys {
                let name = bytes(at: key)
                var slot = JSONTape.nameHash(name) & mask
                while slots[slot] >= 0 {
                    if JSONTape.sameBytes(bytes(at: slots[slot]), name) { return true }
                    slot = (slot + 1) & mask
                }
                slots[slot] = key
            }
            return false
        }
    }

    private mutating func growNodes() {
        let moved = UnsafeMutablePointer<JSONTape.Node>.allocate(capacity: nodeCapacity * 2)
        moved.initialize(from: nodes, count: nodeCount)
        nodes.deallocate()
        nodes = moved
        nodeCapacity *= 2
    }

    private mutating func grow(to needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}

/// The parser's stacks while it builds a tape: the open containers, the key nodes of the open objects and the
/// projections of the open containers. Kept by the tape's store, so a long run allocates them once; plain
/// memory, so handing them to the parser and back counts no references.
private struct TapeParseState {
    /// The containers open: the node, where an object's keys start in ``keys`` (-1 for an array), the members
    /// or elements so far, and one bit for each key of the object by ``keyBit(_:)``.
    var open = RawStack<(node: Int, keys: Int, count: Int, keyBits: UInt64)>()
    var keys = RawStack<Int>()
    var projections = RawStack<Int32>()

    /// One of 64 bits for a key, from its length and its first and last bytes: equal keys have equal bits.
    @inline(__always)
    static func keyBit(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard name.count > 0, let base = name.baseAddress else { return 1 }
        let mixed = name.count &+ Int(base[0]) &* 7 &+ Int(base[name.count &- 1]) &* 13
        return 1 &<< UInt64(truncatingIfNeeded: mixed & 63)
    }

    mutating func removeAll() {
        open.removeAll()
        keys.removeAll()
        projections.removeAll()
    }

    /// Frees the stacks' memory; the state is not used again.
    func deallocate() {
        open.deallocate()
        keys.deallocate()
        projections.deallocate()
    }
}

/// A stack of plain values in memory it manages itself: appending is a capacity check and a store, with no
/// uniqueness check and no reference count (an array does both on every append). A copy shares the memory;
/// only one copy may be used at a time, and its owner frees it with ``deallocate()``.
private struct RawStack<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity = 16

    init() {
        base = .allocate(capacity: capacity)
    }

    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    /// The elements from `first` on.
    func suffix(from first: Int) -> UnsafeBufferPointer<Int> where Element == Int {
        UnsafeBufferPointer(start: base + first, count: count - first)
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    mutating func removeLast(_ k: Int = 1) {
        precondition(k <= count, "removing more than the stack holds")
        count -= k
    }

    mutating func removeAll() {
        count = 0
    }

    func deallocate() {
        base.deallocate()
    }

    private mutating func grow() {
        let moved = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity *= 2
    }
}

extension JSONTape {
    /// A tape's nodes, read in place (a view: it keeps the nodes it was taken from when the tape parses again).
    public struct Nodes: RandomAccessCollection, Sendable {
        fileprivate let store: TapeStore

        public var startIndex: Int { 0 }
        public var endIndex: Int { store.nodeCount }

        public subscript(index: Int) -> Node {
            precondition(index >= 0 && index < store.nodeCount, "node index out of range")
            return store.nodes[index]
        }

        /// Lends the nodes as a buffer, valid only inside `body`.
        public func withUnsafeBufferPointer<Result>(
            _ body: (UnsafeBufferPointer<Node>) throws -> Result
        ) rethrows -> Result {
            try withExtendedLifetime(store) {
                try body(UnsafeBufferPointer(start: store.nodes, count: store.nodeCount))
            }
        }
    }
}

extension ByteParser {
    /// Parses the document into `tape` (see ``JSONTape``): the same walk as `parseDocument`, appending nodes
    /// instead of building values; `state` holds the stacks, kept from document to document.
    fileprivate mutating func parseTape(
        into tape: inout TapeBuilder,
        state: inout TapeParseState,
        projection: TapeProjection?
    ) throws {
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < count else { throw TapeRejection() }
        state.removeAll()
        var current = projection?.root ?? TapeProjection.whole

        /// Reads `"key"` and `:` into the tape, rejecting a repeated key; returns the key's projection.
        func key(_ parser: inout ByteParser, _ tape: inout TapeBuilder, _ state: inout TapeParseState) throws -> Int32 {
            guard parser.position < parser.count, parser.base[parser.position] == quote else {
                throw TapeRejection()
            }
            parser.position += 1
            let node = tape.nodeCount
            try parser.tapeString(into: &tape)
            let top = state.open.count - 1
            let first = state.open[top].keys
            // A key whose bit no key before it set repeats none of them. Many keys are checked together when
            // the object closes.
            let bit = TapeParseState.keyBit(tape.bytes(at: node))
            let bits = state.open[top].keyBits
            if bits & bit != 0 && state.keys.count - first < 32
                && tape.repeatsKey(node, among: state.keys, from: first)
            {
                throw TapeRejection()
            }
            state.open[top].keyBits = bits | bit
            state.keys.append(node)
            parser.skipWhitespace()
            guard parser.position < parser.count, parser.base[parser.position] == UInt8(ascii: ":") else {
                throw TapeRejection()
            }
            parser.position += 1
            let enclosing = state.projections[state.projections.count - 1]
            // Not bound with `let`: a binding would retain the projection, whose count every worker shares.
            guard projection?.isMembers(enclosing) == true else { return enclosing }
            return projection.unsafelyUnwrapped.member(enclosing, tape.bytes(at: node))
        }

        parsing: while true {
            skipWhitespace()
            guard position < count else { throw TapeRejection() }
            if current == TapeProjection.typeOnly, let placeholder = try skipValue(depth: state.open.count) {
                switch placeholder {
                case .string: tape.append(.string)
                case .array: tape.append(.array)
                default: tape.append(.object)
                }
            } else {
                switch base[position] {
                case UInt8(ascii: "{"):
                    guard state.open.count < options.maxDepth else { throw TapeRejection() }
                    position += 1
                    skipWhitespace()
                    tape.append(.object)
                    if position < count && base[position] == UInt8(ascii: "}") {
                        position += 1
                    } else {
                        state.open.append((tape.nodeCount - 1, state.keys.count, 0, 0))
                        state.projections.append(current)
                        current = try key(&self, &tape, &state)
                        continue parsing
                    }
                case UInt8(ascii: "["):
                    guard state.open.count < options.maxDepth else { throw TapeRejection() }
                    position += 1
                    skipWhitespace()
                    tape.append(.array)
                    if position < count && base[position] == UInt8(ascii: "]") {
                        position += 1
                    } else {
                        state.open.append((tape.nodeCount - 1, -1, 0, 0))
                        state.projections.append(current)
                        current = TapeProjection.whole
                        continue parsing
                    }
                case quote:
                    position += 1
                    try tapeString(into: &tape)
                case UInt8(ascii: "t"):
                    try expectLiteral("true")
                    tape.append(.true)
                case UInt8(ascii: "f"):
                    try expectLiteral("false")
                    tape.append(.false)
                case UInt8(ascii: "n"):
                    try expectLiteral("null")
                    tape.append(.null)
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try tapeNumber(into: &tape)
                default:
                    throw TapeRejection()
                }
            }

            // A value is complete: continue or close the enclosing containers.
            while !state.open.isEmpty {
                state.open[state.open.count - 1].count += 1
                let frame = state.open[state.open.count - 1]
                skipWhitespace()
                guard position < count else { throw TapeRejection() }
                let byte = base[position]
                let isObject = frame.keys >= 0
                if byte == UInt8(ascii: ",") {
                    position += 1
                    if isObject {
                        skipWhitespace()
                        current = try key(&self, &tape, &state)
                    }
                    continue parsing
                }
                guard byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { throw TapeRejection() }
                position += 1
                if isObject {
                    if state.keys.count - frame.keys >= 32 && tape.hasRepeatedKeys(state.keys.suffix(from: frame.keys))
                    {
                        throw TapeRejection()
                    }
                    state.keys.removeLast(state.keys.count - frame.keys)
                }
                tape.close(frame.node, count: frame.count)
                state.open.removeLast()
                state.projections.removeLast()
            }
            break parsing
        }
        skipWhitespace()
        if position < count { throw TapeRejection() }
    }

    /// Reads a number into the tape with its value, checked as `parseNumber` checks it, and valued as it values
    /// it: an integer of at most 18 digits as an `Int64`, a decimal of at most 15 significant digits by the
    /// same exact fast path, one of at most 19 by the extended-precision path (`NumberScan.extendedDouble`),
    /// any other finite decimal by `strtod` (correctly rounded, as `Double(String)`).
    fileprivate mutating func tapeNumber(into tape: inout TapeBuilder) throws {
        let scan = try scanNumber()
        let text = UnsafeBufferPointer(start: base + scan.start, count: position - scan.start)
        if scan.isInteger {
            guard scan.significantDigits <= 18 else { return tape.appendNumber(text, .text, 0) }
            let magnitude = Int64(scan.mantissa)
            return tape.appendNumber(text, .integer, UInt64(bitPattern: scan.negative ? -magnitude : magnitude))
        }
        let value = scan.exactDouble ?? scan.extendedDouble ?? (text.count < 64 ? Self.decimalValue(text) : .infinity)
        tape.appendNumber(text, value.isFinite ? .double : .text, value.bitPattern)
    }

    /// `strtod` of a number's text (shorter than 64 bytes), from a terminated copy.
    static func decimalValue(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            for index in 0..<text.count { buffer[index] = CChar(bitPattern: text[index]) }
            buffer[text.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// Reads a string whose opening quote has been consumed into the tape, checked as `parseString` checks it.
    fileprivate mutating func tapeString(into tape: inout TapeBuilder) throws {
        let start = position
        if try !skipString() {
            tape.appendBytes(.string, UnsafeBufferPointer(start: base + start, count: position - 1 - start))
            return
        }
        // Escaped: decode it again from the start (the check above found it well formed).
        position = start
        while base[position] != backslash { position += 1 }
        try decodeEscapedString(from: start)
        scratch.withUnsafeBufferPointer { tape.appendBytes(.string, $0) }
    }
}
