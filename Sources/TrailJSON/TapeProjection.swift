/// A ``JSONProjection`` compiled for ``JSONTape/parse(_:projection:)-(_,TapeProjection)``: each object's
/// member names are looked up by their UTF-8 bytes in a hash table, so parsing with a projection builds no
/// `String` and hashes no key with `Hasher`. Compile once, parse many documents with it.
public final class TapeProjection: @unchecked Sendable {
    /// A projection: ``whole``, ``typeOnly``, or an object's `count` member names, found through
    /// `slots[slotStart...slotStart+slotMask]`.
    struct Node: Sendable {
        var isMembers: Bool
        var others: Int32
        var count: Int32
        var slotStart: Int32
        var slotMask: Int32
    }

    /// A member name: its bytes in `bytes`, and its projection.
    struct Name: Sendable {
        var offset: Int32
        var count: Int32
        var child: Int32
    }

    /// The node that keeps a value whole.
    static let whole: Int32 = 0
    /// The node that keeps only a value's type.
    static let typeOnly: Int32 = 1

    let nodes: [Node]
    let names: [Name]
    /// Positions in `names`, -1 where empty (open addressing, probed linearly, at most half full).
    let slots: [Int32]
    /// The names' bytes (and one byte more, so that the buffer has an address), in memory of the projection's
    /// own, which is never written after `init`: reading it takes no reference, where lending an array's
    /// storage would retain it, an atomic count shared by every thread that parses with this projection.
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    /// The document's own projection.
    let root: Int32
    /// The projection this was compiled from.
    public let projection: JSONProjection

    /// Whether this projection keeps every value, so parsing with it is plain parsing.
    public var isWhole: Bool { root == Self.whole }

    /// Compiles `projection`.
    ///
    /// - Parameter projection: the parts to keep.
    public init(_ projection: JSONProjection) {
        var compiler = Compiler()
        root = compiler.compile(projection)
        nodes = compiler.nodes
        names = compiler.names
        slots = compiler.slots
        compiler.bytes.append(0)
        bytes = .allocate(capacity: compiler.bytes.count)
        _ = bytes.initialize(from: compiler.bytes)
        self.projection = projection
    }

    deinit {
        bytes.deallocate()
    }

    /// Whether `node` lists an object's members.
    @inline(__always)
    func isMembers(_ node: Int32) -> Bool { nodes[Int(node)].isMembers }

    /// The projection of the member named `key` of an object projected by `node`.
    @inline(__always)
    func member(_ node: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let entry = nodes[Int(node)]
        guard entry.isMembers else { return node }
        guard entry.count > 0 else { return entry.others }
        let base = UnsafePointer(bytes.baseAddress!)
        var slot = JSONTape.nameHash(key) & Int(entry.slotMask)
        while true {
            let position = slots[Int(entry.slotStart) + slot]
            if position < 0 { return entry.others }
            let name = names[Int(position)]
            let stored = UnsafeBufferPointer(start: base + Int(name.offset), count: Int(name.count))
            if JSONTape.sameBytes(stored, key) { return name.child }
            slot = (slot + 1) & Int(entry.slotMask)
        }
    }

    private struct Compiler {
        var nodes = [
            Node(isMembers: false, others: 0, count: 0, slotStart: 0, slotMask: 0),
            Node(isMembers: false, others: 1, count: 0, slotStart: 0, slotMask: 0),
        ]
        var names: [Name] = []
        var slots: [Int32] = []
        var bytes: [UInt8] = []
        var known: [JSONProjection: Int32] = [.whole: TapeProjection.whole, .typeOnly: TapeProjection.typeOnly]

        mutating func compile(_ projection: JSONProjection) -> Int32 {
            if let index = known[projection] { return index }
            guard case .members(let named, let others) = projection else { return TapeProjection.whole }
            let children = named.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), compile($0.value)) }
            let othersIndex = compile(others)
            let index = Int32(nodes.count)
            var capacity = 4
            while capacity < children.count * 2 { capacity <<= 1 }
            let slotStart = slots.count
            slots += [Int32](repeating: -1, count: capacity)
            for (name, child) in children {
                names.append(Name(offset: Int32(bytes.count), count: Int32(name.count), child: child))
                bytes += name
                var slot = name.withUnsafeBufferPointer { JSONTape.nameHash($0) } & (capacity - 1)
                while slots[slotStart + slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
                slots[slotStart + slot] = Int32(names.count - 1)
            }
            nodes.append(
                Node(
                    isMembers: true,
                    others: othersIndex,
                    count: Int32(children.count),
                    slotStart: Int32(slotStart),
                    slotMask: Int32(capacity - 1)
                )
            )
            known[projection] = index
            return index
        }
    }
}
