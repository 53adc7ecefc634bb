import TrailJSON

/// A compiled schema laid out for ``TapeEvaluator``: every schema and keyword of a validator's ``SchemaNode``
/// graph as plain values in flat buffers, referring to subschemas, names and operands by index.
///
/// Reading a ``Keyword`` retains its payload (a subschema, a table of properties, a boxed number), and every
/// thread evaluating the same schema then updates the same reference counts. An ``Instruction`` is a few
/// integers: evaluation reads it without retaining anything, so threads share the program without writing
/// to it. Operands that are Swift values (numbers, patterns, `enum` values) live in tables the program owns
/// and are borrowed in place.
///
/// Built once, with the validator; immutable, and so safe to share, once built.
final class TapeProgram: @unchecked Sendable {
    /// One schema: its instructions, or its value when it is `true` or `false`.
    struct Schema {
        /// The range of its instructions in ``Code/instructions``.
        var first: Int32
        var count: Int32
        /// Its resource, in ``Code/anchors`` (`$dynamicRef`'s dynamic scope).
        var resource: Int32
        /// -1 for a schema with keywords, else the boolean schema's value (0 or 1).
        var boolean: Int8
        /// The type, when `type` is the schema's only keyword (see ``SchemaNode/onlyType``).
        var onlyType: TypeMask?
        /// Its keywords as one ``NumberRange`` in ``Code/ranges``, when they can be; -1 otherwise.
        var range: Int32 = -1
    }

    /// A schema whose keywords are only `type` and the numeric bounds, each bound exactly a `Double`: what the
    /// `items` of an array of numbers usually are. A number node that is exactly a `Double` is checked against
    /// it in two comparisons, without entering the schema and running its keywords one by one.
    struct NumberRange {
        /// What `type` allows; every type when the schema has no `type`.
        var types = TypeMask(rawValue: 0x7F)
        var lower = -Double.infinity
        var lowerExclusive = false
        var upper = Double.infinity
        var upperExclusive = false

        /// Whether `value` (a finite `Double`) satisfies every bound, as `minimum`, `exclusiveMinimum`,
        /// `maximum` and `exclusiveMaximum` compare it.
        @inline(__always)
        func contains(_ value: Double) -> Bool {
            (lowerExclusive ? lower < value : !(value < lower)) && (upperExclusive ? value < upper : !(upper < value))
        }

        /// Adds a lower bound: the tighter one is kept, and of two equal bounds the exclusive one.
        mutating func bound(below bound: Double, exclusive: Bool) {
            if bound > lower || (bound == lower && exclusive) {
                lower = bound
                lowerExclusive = exclusive
            }
        }

        /// Adds an upper bound: the tighter one is kept, and of two equal bounds the exclusive one.
        mutating func bound(above bound: Double, exclusive: Bool) {
            if bound < upper || (bound == upper && exclusive) {
                upper = bound
                upperExclusive = exclusive
            }
        }
    }

    /// What an instruction does: one per kind of ``Keyword`` (`const` is laid out as an `enum` of one value).
    enum Opcode: UInt8 {
        case type, enumeration, multipleOf, minimum, maximum, exclusiveMinimum, exclusiveMaximum
        case minLength, maxLength, maxUtf8Bytes, pattern, format
        case minItems, maxItems, uniqueItems, minProperties, maxProperties, required, dependentRequired
        case properties, patternProperties, additionalProperties, propertyNames, dependentSchemas
        case prefixItems, items, contains, allOf, anyOf, oneOf, not, conditional, ref, dynamicRef
        case unevaluatedItems, unevaluatedProperties
    }

    /// One keyword. What `a`, `b` and `c` hold depends on the opcode (see ``TapeProgram/Builder``); a
    /// subschema is an index into ``Code/schemas``, -1 where there is none.
    struct Instruction {
        var opcode: Opcode
        var mask = TypeMask()
        var a: Int32 = -1
        var b = 0
        var c = 0
    }

    /// The program's buffers, at an address of their own. Plain pointers: an evaluator reads them through
    /// ``reference`` without retaining the program (the program outlives every evaluation).
    let code: UnsafeMutablePointer<Code>

    /// What an evaluator reads the program through. An evaluator that held the 256 bytes of ``Code`` itself had
    /// them copied for every call of a method of theirs inside its own mutating methods.
    var reference: CodeReference { CodeReference(code: UnsafePointer(code)) }

    /// The patterns ``Code/patterns`` refers to without retaining them.
    private let patterns: [Pattern]

    /// Whether evaluation must collect annotations: an `unevaluatedItems` or `unevaluatedProperties` is left
    /// whose evaluated items or members depend on the instance. One whose names are known is laid out as
    /// `additionalProperties` over them (``Builder/evaluatedNames(_:)``).
    let tracksAnnotations: Bool

    /// Lays out the graph reachable from `root`, which becomes schema 0.
    init(root: SchemaNode) {
        var builder = Builder()
        builder.build(from: root)
        code = .allocate(capacity: 1)
        code.initialize(to: Code(builder))
        patterns = builder.patterns
        tracksAnnotations = builder.instructions.contains {
            $0.opcode == .unevaluatedItems || $0.opcode == .unevaluatedProperties
        }
    }

    deinit {
        code.pointee.free()
        code.deinitialize(count: 1)
        code.deallocate()
    }

    /// A ``NameTable`` copied into the program: its names' bytes from ``Code/nameBytes`` at `bytes`, their
    /// spans (relative to `bytes`) from ``Code/names`` at `spans`, and its `slotCount` slots from
    /// ``Code/indices`` at `slots`.
    struct NameSet {
        var bytes: Int32
        var spans: Int32
        var count: Int32
        var slots: Int32
        var slotCount: Int32
    }

    /// What a `properties` instruction also checks in its one pass over an object's members, when the schema's
    /// `additionalProperties` leaves alone exactly the names of `properties` (no `patternProperties`) and its
    /// `required` names are all among them: those keywords then need no pass of their own.
    struct ObjectCheck {
        /// `additionalProperties`' schema, applied to every member `properties` does not name; -1 for none.
        var additional: Int32 = -1
        /// Where in ``Code/indices`` one flag per `properties` name says whether it is required; -1 for none.
        var requiredFlags: Int32 = -1
        /// How many distinct names are required: members with a required name must number this many.
        var requiredCount = 0
    }

    /// What `additionalProperties` leaves alone (see ``AdditionalPropertiesScope``): a ``NameSet``, and
    /// `patternCount` patterns whose indices are in ``Code/indices`` at `patterns`.
    struct Scope {
        var names: Int32
        var patterns: Int32
        var patternCount: Int32
    }

    /// The program's tables.
    struct Code {
        let schemas: Table<Schema>
        let instructions: Table<Instruction>
        /// Lists of indices that instructions point into: subschemas, names, patterns.
        let indices: Table<Int32>
        /// Member names' UTF-8 bytes, and where each name is in them.
        let nameBytes: Table<UInt8>
        let names: Table<NameTable.Span>
        let nameSets: Table<NameSet>
        let numbers: Table<JSONNumber>
        /// Each number as a `Double` when that is exactly its value, else NaN: what `minimum` and the like
        /// compare a number node with when the node's value is an exact `Double` too.
        let bounds: Table<Double>
        /// The schemas' ``NumberRange``s (``Schema/range``).
        let ranges: Table<NumberRange>
        /// What fused `properties` instructions also check (their `c`; -1 where none).
        let objectChecks: Table<ObjectCheck>
        /// `enum` and `const` values other than strings.
        let valueLists: Table<[JSONValue]>
        /// Not retained: the program keeps them (a retain would be a write every thread makes).
        let patterns: Table<Unmanaged<Pattern>>
        let formats: Table<Format>
        let scopes: Table<Scope>
        /// Each resource's dynamic anchors: anchor name → schema.
        let anchors: Table<[String: Int32]>
        let anchorNames: Table<String>

        init(_ builder: Builder) {
            schemas = Table(builder.schemas)
            instructions = Table(builder.instructions)
            indices = Table(builder.indices)
            nameBytes = Table(builder.nameBytes)
            names = Table(builder.names)
            nameSets = Table(builder.nameSets)
            numbers = Table(builder.numbers)
            bounds = Table(builder.numbers.map(Self.exactDouble))
            ranges = Table(builder.ranges)
            objectChecks = Table(builder.objectChecks)
            valueLists = Table(builder.valueLists)
            patterns = Table(builder.patterns.map { Unmanaged.passUnretained($0) })
            formats = Table(builder.formats)
            scopes = Table(builder.scopes)
            anchors = Table(builder.anchors)
            anchorNames = Table(builder.anchorNames)
        }

        func free() {
            schemas.free()
            instructions.free()
            indices.free()
            nameBytes.free()
            names.free()
            nameSets.free()
            numbers.free()
            bounds.free()
            ranges.free()
            objectChecks.free()
            valueLists.free()
            patterns.free()
            formats.free()
            scopes.free()
            anchors.free()
            anchorNames.free()
        }

        /// `number` as a `Double` when that is exactly its value (a double, or an integer within ±2^53), else NaN.
        static func exactDouble(_ number: JSONNumber) -> Double {
            guard number.exactLiteral == nil else { return .nan }
            if let integer = number.int64Value, integer.magnitude > 1 << 53 { return .nan }
            return number.doubleValue
        }
    }

    /// ``Code`` as an evaluator reads it: the tables every schema and member lookup reads held here (so that
    /// reading one is one load), the others through a pointer. Small enough to be copied in registers.
    struct CodeReference {
        let code: UnsafePointer<Code>
        let schemas: Table<Schema>
        let instructions: Table<Instruction>
        let indices: Table<Int32>
        let nameBytes: Table<UInt8>
        let names: Table<NameTable.Span>
        let nameSets: Table<NameSet>

        init(code: UnsafePointer<Code>) {
            self.code = code
            schemas = code.pointee.schemas
            instructions = code.pointee.instructions
            indices = code.pointee.indices
            nameBytes = code.pointee.nameBytes
            names = code.pointee.names
            nameSets = code.pointee.nameSets
        }

        var numbers: Table<JSONNumber> { code.pointee.numbers }
        var bounds: Table<Double> { code.pointee.bounds }
        var ranges: Table<NumberRange> { code.pointee.ranges }
        var objectChecks: Table<ObjectCheck> { code.pointee.objectChecks }
        var valueLists: Table<[JSONValue]> { code.pointee.valueLists }
        var formats: Table<Format> { code.pointee.formats }
        var anchors: Table<[String: Int32]> { code.pointee.anchors }
        var anchorNames: Table<String> { code.pointee.anchorNames }

        /// The UTF-8 bytes of name `index`.
        @inline(__always)
        func name(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
            let span = names[index]
            return UnsafeBufferPointer(
                start: nameBytes.base.baseAddress! + Int(span.offset),
                count: Int(span.count)
            )
        }

        /// The UTF-8 bytes of the name at `position` in name set `index`.
        @inline(__always)
        func name(inSet index: Int32, at position: Int) -> UnsafeBufferPointer<UInt8> {
            let set = nameSets[index]
            let span = names[set.spans + Int32(position)]
            return UnsafeBufferPointer(
                start: nameBytes.base.baseAddress! + Int(set.bytes) + Int(span.offset),
                count: Int(span.count)
            )
        }

        /// The position in name set `index` of the name whose UTF-8 bytes are `key`.
        @inline(__always)
        func position(of key: UnsafeBufferPointer<UInt8>, in index: Int32) -> Int? {
            let set = nameSets[index]
            return NameTable.lookup(
                key,
                bytes: nameBytes.base.baseAddress! + Int(set.bytes),
                spans: UnsafeBufferPointer(
                    start: names.base.baseAddress! + Int(set.spans),
                    count: Int(set.count)
                ),
                slots: UnsafeBufferPointer(
                    start: indices.base.baseAddress! + Int(set.slots),
                    count: Int(set.slotCount)
                )
            )
        }

        /// Whether the pattern `index` matches `key`.
        @inline(__always)
        func matches(_ index: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
            code.pointee.patterns[index]._withUnsafeGuaranteedRef { $0.matches(utf8: key) }
        }

        /// Whether scope `index` covers the member name whose UTF-8 bytes are `key`, as
        /// ``AdditionalPropertiesScope/covers(_:)-(UnsafeBufferPointer<UInt8>)`` says.
        @inline(__always)
        func covers(_ index: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
            let scope = code.pointee.scopes[index]
            if position(of: key, in: scope.names) != nil { return true }
            for offset in 0..<scope.patternCount where matches(indices[scope.patterns + offset], key) {
                return true
            }
            return false
        }
    }

    /// Values in memory the program owns, read in place: a subscript lends the element without copying it.
    struct Table<Element> {
        let base: UnsafeMutableBufferPointer<Element>

        init(_ elements: [Element]) {
            // One element more than asked for, so that the base address is never nil.
            base = .allocate(capacity: elements.count + 1)
            _ = base.initialize(from: elements)
        }

        func free() {
            _ = base.extracting(..<(base.count - 1)).deinitialize()
            base.deallocate()
        }

        @inline(__always)
        subscript(index: Int32) -> Element {
            unsafeAddress { UnsafePointer(base.baseAddress! + Int(index)) }
        }
    }
}

extension TapeProgram {
    /// Lays out a ``SchemaNode`` graph: each node reached becomes a ``Schema``, numbered in the order first
    /// reached, and its keywords ``Instruction``s.
    ///
    /// Operands, by opcode:
    /// - `type`: `mask`. Limits (`minLength`, `maxItems`, …): `b`. Numbers, `pattern`, `format`: `a`, an
    ///   index into their table. `enum` and `const`: `a` the values other than strings, `b` a ``NameSet`` of
    ///   the strings.
    /// - `required`: `a` the first of `b` name indices in ``Code/indices``. `dependentRequired`: `a`
    ///   the first index of `b` groups, each a property's name, a count *n*, and *n* names.
    /// - `properties`: `a` a ``NameSet``, `b` the first of its schemas in the indices, in the table's order.
    ///   `patternProperties`: `a` the first of `b` (pattern, schema) pairs. `additionalProperties`: `a` the
    ///   schema, `b` the scope. `dependentSchemas`: `a` the first of `b` (name, schema) pairs.
    /// - `allOf`, `anyOf`, `oneOf`, `prefixItems`: `a` the first of `b` schemas; for `anyOf` and `oneOf`, `c` the
    ///   discriminator (see `discriminator(_:)`), or -1. `items`: `a` the schema, `b`
    ///   the first index it applies to. `contains`: `a` the schema, `b` the minimum, `c` the maximum.
    /// - `not`, `propertyNames`, `$ref`, `unevaluated*`: `a` the schema. `if`: `a` the condition, `b` and `c`
    ///   `then` and `else`. `$dynamicRef`: `a` the static target, `b` the anchor's name (-1 for none).
    struct Builder {
        var schemas: [Schema] = []
        var instructions: [Instruction] = []
        var indices: [Int32] = []
        var nameBytes: [UInt8] = []
        var names: [NameTable.Span] = []
        var nameSets: [NameSet] = []
        var numbers: [JSONNumber] = []
        var ranges: [NumberRange] = []
        var objectChecks: [ObjectCheck] = []
        var valueLists: [[JSONValue]] = []
        var patterns: [Pattern] = []
        var formats: [Format] = []
        var scopes: [Scope] = []
        var anchors: [[String: Int32]] = []
        var anchorNames: [String] = []

        private var schemaIndex: [ObjectIdentifier: Int32] = [:]
        private var resourceIndex: [ObjectIdentifier: Int32] = [:]
        private var nameIndex: [String: Int32] = [:]
        private var pending: [SchemaNode] = []

        mutating func build(from root: SchemaNode) {
            _ = schema(root)
            var next = 0
            while next < pending.count {
                lay(pending[next], at: next)
                next += 1
            }
        }

        /// The index of `node`, numbering it (and queueing it to be laid out) the first time.
        ///
        /// A schema that is only a `$ref` to a schema of its own resource (`{"$ref": "#/$defs/node"}`, a
        /// recursive tree's `items`) is numbered as its target: entering it would change nothing but the depth
        /// count (the dynamic scope gains the same resource either way), and each element of the tree would
        /// otherwise enter two schemas.
        private mutating func schema(_ node: SchemaNode) -> Int32 {
            var node = node
            var hops = 0
            while hops < 64, node.boolean == nil, node.keywords.count == 1, case .ref(let target) = node.keywords[0],
                let next = target.node, next !== node, next.resource === node.resource
            {
                node = next
                hops += 1
            }
            if let index = schemaIndex[ObjectIdentifier(node)] { return index }
            let index = Int32(pending.count)
            schemaIndex[ObjectIdentifier(node)] = index
            pending.append(node)
            schemas.append(Schema(first: 0, count: 0, resource: -1, boolean: -1, onlyType: nil))
            return index
        }

        private mutating func resource(_ resource: SchemaResource) -> Int32 {
            if let index = resourceIndex[ObjectIdentifier(resource)] { return index }
            let index = Int32(anchors.count)
            resourceIndex[ObjectIdentifier(resource)] = index
            anchors.append([:])
            for (name, anchor) in resource.dynamicAnchors {
                let target = schema(anchor.node)
                anchors[Int(index)][name] = target
            }
            return index
        }

        private mutating func name(_ name: String) -> Int32 {
            if let index = nameIndex[name] { return index }
            let index = Int32(names.count)
            nameIndex[name] = index
            names.append(NameTable.Span(offset: Int32(nameBytes.count), count: Int32(name.utf8.count)))
            nameBytes.append(contentsOf: name.utf8)
            return index
        }

        /// Copies `table` into the program's buffers.
        private mutating func nameSet(_ table: NameTable) -> Int32 {
            nameSets.append(
                NameSet(
                    bytes: Int32(nameBytes.count),
                    spans: Int32(names.count),
                    count: Int32(table.spans.count),
                    slots: Int32(indices.count),
                    slotCount: Int32(table.slots.count)
                )
            )
            nameBytes.append(contentsOf: table.bytes)
            names.append(contentsOf: table.spans)
            indices.append(contentsOf: table.slots)
            return Int32(nameSets.count - 1)
        }

        /// `enum` (and `const`, an `enum` of one): its strings as a name set, looked up by bytes, and its other
        /// values in a list, compared node by node.
        private mutating func enumeration(_ list: [JSONValue]) -> Instruction {
            let strings = nameSet(NameTable(list.compactMap(\.stringValue)))
            valueLists.append(list.filter { $0.stringValue == nil })
            return Instruction(opcode: .enumeration, a: Int32(valueLists.count - 1), b: Int(strings))
        }

        private mutating func pattern(_ pattern: Pattern) -> Int32 {
            patterns.append(pattern)
            return Int32(patterns.count - 1)
        }

        private mutating func list(_ nodes: [SchemaNode]) -> (Int32, Int) {
            let first = Int32(indices.count)
            for node in nodes {
                let index = schema(node)
                indices.append(index)
            }
            return (first, nodes.count)
        }

        /// For the branches of an `anyOf` or `oneOf`, a member whose value some of them fix with `properties`
        /// (`{"properties": {"kind": {"const": "retrieval"}}}`): the first index of the member's name and then,
        /// for each branch, the string its value must be (a name index), or -1 where the branch fixes none;
        /// -1 when fewer than two branches fix the same member.
        ///
        /// A branch whose `properties` requires another string of a member the instance has is false whatever
        /// else it holds (every keyword of a schema must hold), so the evaluator skips it without entering it.
        private mutating func discriminator(_ nodes: [SchemaNode]) -> Int {
            // For each branch, the members it fixes to a string.
            let fixed = nodes.map { node -> [String: String] in
                guard node.boolean == nil else { return [:] }
                var members: [String: String] = [:]
                for keyword in node.keywords {
                    guard case .properties(let properties) = keyword else { continue }
                    for (name, member) in zip(properties.names, properties.nodes) where member.boolean == nil {
                        for constraint in member.keywords {
                            switch constraint {
                            case .constant(let boxed):
                                if case .string(let value) = boxed.value { members[name] = value }
                            case .enumeration(let values) where values.count == 1:
                                if case .string(let value) = values[0] { members[name] = value }
                            default:
                                break
                            }
                        }
                    }
                }
                return members
            }
            var counts: [String: Int] = [:]
            for members in fixed { for name in members.keys { counts[name, default: 0] += 1 } }
            // The member most branches fix (the first name in byte order among equals, for a stable program).
            guard
                let (member, count) = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                count >= 2
            else { return -1 }
            let first = indices.count
            indices.append(name(member))
            for members in fixed { indices.append(members[member].map { name($0) } ?? -1) }
            return first
        }

        private mutating func optional(_ node: SchemaNode?) -> Int {
            node.map { Int(schema($0)) } ?? -1
        }

        private mutating func lay(_ node: SchemaNode, at index: Int) {
            let resource = resource(node.resource)
            if let flag = node.boolean {
                schemas[index] = Schema(first: 0, count: 0, resource: resource, boolean: flag ? 1 : 0, onlyType: nil)
                return
            }
            // Instructions of one schema are contiguous: build them first, then append them.
            var laid: [Instruction] = []
            var keywords = Self.inliningReferences(node).map { keyword in
                // `unevaluatedProperties` whose evaluated names are known before evaluation is
                // `additionalProperties` over those names, and needs no annotations.
                guard case .unevaluatedProperties(let subschema) = keyword, let names = Self.evaluatedNames(node)
                else { return keyword }
                return Keyword.additionalProperties(subschema, AdditionalPropertiesScope(names: names, patterns: []))
            }
            let fused = fuseObjectKeywords(&keywords)
            for keyword in keywords {
                if case .properties(let properties) = keyword, let fused {
                    laid.append(self.properties(properties, check: fused))
                } else {
                    laid.append(instruction(keyword))
                }
            }
            // Cheapest first: a schema holds when all its keywords hold, so the order changes no verdict, only
            // how soon a failing one is found (a `oneOf` branch rejected by `required` before its `$ref` is
            // entered). `unevaluated*` stay last, after every keyword whose annotations they read.
            laid = laid.enumerated().sorted {
                ($0.element.opcode.cost, $0.offset) < ($1.element.opcode.cost, $1.offset)
            }
            .map(\.element)
            let first = Int32(instructions.count)
            instructions.append(contentsOf: laid)
            schemas[index] = Schema(
                first: first,
                count: Int32(laid.count),
                resource: resource,
                boolean: -1,
                onlyType: node.onlyType,
                range: numberRange(laid)
            )
        }

        /// `node`'s keywords, with each `$ref` to a schema of its own resource that holds only `type`,
        /// `required` and `properties` replaced by those keywords, merged with `node`'s own (no name in both
        /// `properties`, the same `type`): the same verdicts, since a schema holds when its keywords and its
        /// `$ref`'s all hold, and the dynamic scope gains the same resource either way; but one pass over an
        /// object's members, which `additionalProperties` can join (a `oneOf` branch that extends a base).
        static func inliningReferences(_ node: SchemaNode) -> [Keyword] {
            var keywords = node.keywords
            var index = 0
            while index < keywords.count {
                if case .ref(let target) = keywords[index], let referenced = target.node, referenced !== node,
                    referenced.boolean == nil, referenced.resource === node.resource,
                    let merged = merging(referenced.keywords, into: keywords, replacing: index)
                {
                    keywords = merged
                } else {
                    index += 1
                }
            }
            return keywords
        }

        /// `keywords` without the one at `replaced`, and with `extra` merged in; `nil` when some keyword of
        /// `extra` cannot be.
        private static func merging(_ extra: [Keyword], into keywords: [Keyword], replacing replaced: Int) -> [Keyword]?
        {
            var result = keywords
            result.remove(at: replaced)
            for keyword in extra {
                switch keyword {
                case .type(let mask):
                    let existing = result.firstIndex { if case .type = $0 { true } else { false } }
                    if let existing {
                        guard case .type(let own) = result[existing], own == mask else { return nil }
                    } else {
                        result.append(keyword)
                    }
                case .required(let names):
                    let existing = result.firstIndex { if case .required = $0 { true } else { false } }
                    if let existing, case .required(let own) = result[existing] {
                        result[existing] = .required(own + names.filter { !own.contains($0) })
                    } else {
                        result.append(keyword)
                    }
                case .properties(let properties):
                    let existing = result.firstIndex { if case .properties = $0 { true } else { false } }
                    if let existing, case .properties(let own) = result[existing] {
                        guard Set(own.names).isDisjoint(with: properties.names) else { return nil }
                        result[existing] = .properties(
                            PropertySchemas(names: own.names + properties.names, nodes: own.nodes + properties.nodes)
                        )
                    } else {
                        result.append(keyword)
                    }
                default:
                    return nil
                }
            }
            return result
        }

        /// The member names that `node`'s keywords other than `unevaluatedProperties` evaluate in an instance
        /// that passes them, when that does not depend on the instance: names of `properties`, in `node` and
        /// in what its `$ref`s and `allOf` apply in place. `nil` when some keyword evaluates members the
        /// instance decides (`patternProperties`, `additionalProperties`, `anyOf`, `oneOf`, `if`,
        /// `dependentSchemas`, `$dynamicRef`, a nested `unevaluatedProperties`): annotations are then tracked.
        ///
        /// Keywords that fail make the schema fail whatever `unevaluatedProperties` says, so only the names
        /// of an instance that passes them matter; `not` and `propertyNames` keep no annotations, and the
        /// array keywords' are about items.
        static func evaluatedNames(_ node: SchemaNode) -> Set<String>? {
            var names: Set<String> = []
            var visited: Set<ObjectIdentifier> = []
            return collectNames(node, into: &names, visited: &visited, root: true) ? names : nil
        }

        private static func collectNames(
            _ node: SchemaNode,
            into names: inout Set<String>,
            visited: inout Set<ObjectIdentifier>,
            root: Bool
        ) -> Bool {
            // A boolean schema evaluates nothing; a schema met again adds no name.
            guard node.boolean == nil, visited.insert(ObjectIdentifier(node)).inserted else { return true }
            for keyword in node.keywords {
                switch keyword {
                case .properties(let properties):
                    names.formUnion(properties.names)
                case .ref(let target):
                    guard let next = target.node, collectNames(next, into: &names, visited: &visited, root: false)
                    else { return false }
                case .allOf(let nodes):
                    for next in nodes where !collectNames(next, into: &names, visited: &visited, root: false) {
                        return false
                    }
                case .unevaluatedProperties:
                    if !root { return false }
                case .patternProperties, .additionalProperties, .dependentSchemas, .anyOf, .oneOf, .conditional,
                    .dynamicRef:
                    return false
                default:
                    continue
                }
            }
            return true
        }

        /// `laid` as a ``NumberRange`` in ``ranges``, when it is only `type` and at least one numeric bound,
        /// every bound exactly a `Double`; else -1.
        private mutating func numberRange(_ laid: [Instruction]) -> Int32 {
            var range = NumberRange()
            var bounded = false
            for instruction in laid {
                if instruction.opcode == .type {
                    range.types.formIntersection(instruction.mask)
                    continue
                }
                switch instruction.opcode {
                case .minimum, .exclusiveMinimum, .maximum, .exclusiveMaximum:
                    let bound = Code.exactDouble(numbers[Int(instruction.a)])
                    guard !bound.isNaN else { return -1 }
                    switch instruction.opcode {
                    case .minimum: range.bound(below: bound, exclusive: false)
                    case .exclusiveMinimum: range.bound(below: bound, exclusive: true)
                    case .maximum: range.bound(above: bound, exclusive: false)
                    default: range.bound(above: bound, exclusive: true)
                    }
                default:
                    return -1
                }
                bounded = true
            }
            guard bounded else { return -1 }
            ranges.append(range)
            return Int32(ranges.count - 1)
        }

        /// `properties`, with what it also checks when fused (``ObjectCheck``); `c` is -1 otherwise.
        private mutating func properties(_ properties: PropertySchemas, check: ObjectCheck?) -> Instruction {
            let names = nameSet(properties.table)
            let (first, _) = list(properties.nodes)
            guard let check else { return Instruction(opcode: .properties, a: names, b: Int(first), c: -1) }
            objectChecks.append(check)
            return Instruction(opcode: .properties, a: names, b: Int(first), c: objectChecks.count - 1)
        }

        /// Takes out of `keywords` the `additionalProperties` and `required` that the schema's `properties` can
        /// check in its own pass (see ``ObjectCheck``), and returns what it must check; `nil` when there is none.
        private mutating func fuseObjectKeywords(_ keywords: inout [Keyword]) -> ObjectCheck? {
            let propertyKeywords = keywords.compactMap { keyword -> PropertySchemas? in
                if case .properties(let properties) = keyword { return properties } else { return nil }
            }
            guard propertyKeywords.count == 1, let properties = propertyKeywords.first else { return nil }
            let names = Set(properties.names)
            var check = ObjectCheck()
            var fusedAny = false
            var remaining: [Keyword] = []
            for keyword in keywords {
                switch keyword {
                case .additionalProperties(let node, let scope)
                where check.additional < 0 && scope.patterns.isEmpty && scope.names.spans.count == names.count
                    && names.allSatisfy({ scope.names.position(of: $0) != nil }):
                    check.additional = schema(node)
                    fusedAny = true
                case .required(let required) where check.requiredFlags < 0 && required.allSatisfy(names.contains):
                    let requiredNames = Set(required)
                    check.requiredFlags = Int32(indices.count)
                    check.requiredCount = requiredNames.count
                    for name in properties.names {
                        indices.append(requiredNames.contains(name) ? 1 : 0)
                    }
                    fusedAny = true
                default:
                    remaining.append(keyword)
                }
            }
            guard fusedAny else { return nil }
            keywords = remaining
            return check
        }

        private mutating func number(_ value: JSONNumber) -> Int32 {
            numbers.append(value)
            return Int32(numbers.count - 1)
        }

        private mutating func instruction(_ keyword: Keyword) -> Instruction {
            switch keyword {
            case .type(let mask):
                return Instruction(opcode: .type, mask: mask)
            case .enumeration(let list):
                return enumeration(list)
            case .constant(let boxed):
                return enumeration([boxed.value])
            case .multipleOf(let boxed): return Instruction(opcode: .multipleOf, a: number(boxed.value))
            case .minimum(let boxed): return Instruction(opcode: .minimum, a: number(boxed.value))
            case .maximum(let boxed): return Instruction(opcode: .maximum, a: number(boxed.value))
            case .exclusiveMinimum(let boxed): return Instruction(opcode: .exclusiveMinimum, a: number(boxed.value))
            case .exclusiveMaximum(let boxed): return Instruction(opcode: .exclusiveMaximum, a: number(boxed.value))
            case .minLength(let limit): return Instruction(opcode: .minLength, b: limit)
            case .maxLength(let limit): return Instruction(opcode: .maxLength, b: limit)
            case .maxUtf8Bytes(let limit): return Instruction(opcode: .maxUtf8Bytes, b: limit)
            case .pattern(let pattern):
                return Instruction(opcode: .pattern, a: self.pattern(pattern))
            case .format(let boxed):
                formats.append(boxed.value)
                return Instruction(opcode: .format, a: Int32(formats.count - 1))
            case .minItems(let limit): return Instruction(opcode: .minItems, b: limit)
            case .maxItems(let limit): return Instruction(opcode: .maxItems, b: limit)
            case .uniqueItems: return Instruction(opcode: .uniqueItems)
            case .minProperties(let limit): return Instruction(opcode: .minProperties, b: limit)
            case .maxProperties(let limit): return Instruction(opcode: .maxProperties, b: limit)
            case .required(let required):
                let first = Int32(indices.count)
                for property in required {
                    let index = name(property)
                    indices.append(index)
                }
                return Instruction(opcode: .required, a: first, b: required.count)
            case .dependentRequired(let groups, _):
                let first = Int32(indices.count)
                for (property, dependencies) in groups {
                    let index = name(property)
                    indices.append(index)
                    indices.append(Int32(dependencies.count))
                    for dependency in dependencies {
                        let index = name(dependency)
                        indices.append(index)
                    }
                }
                return Instruction(opcode: .dependentRequired, a: first, b: groups.count)
            case .properties(let properties):
                return self.properties(properties, check: nil)
            case .patternProperties(let pairs):
                let first = Int32(indices.count)
                for (pattern, node) in pairs {
                    let patternIndex = self.pattern(pattern)
                    let index = schema(node)
                    indices.append(patternIndex)
                    indices.append(index)
                }
                return Instruction(opcode: .patternProperties, a: first, b: pairs.count)
            case .additionalProperties(let node, let scope):
                let names = nameSet(scope.names)
                let patterns = scope.patterns.map { self.pattern($0) }
                scopes.append(Scope(names: names, patterns: Int32(indices.count), patternCount: Int32(patterns.count)))
                indices.append(contentsOf: patterns)
                return Instruction(opcode: .additionalProperties, a: schema(node), b: scopes.count - 1)
            case .propertyNames(let node):
                return Instruction(opcode: .propertyNames, a: schema(node))
            case .dependentSchemas(let pairs, _):
                let first = Int32(indices.count)
                for (property, node) in pairs {
                    let nameIndex = name(property)
                    let index = schema(node)
                    indices.append(nameIndex)
                    indices.append(index)
                }
                return Instruction(opcode: .dependentSchemas, a: first, b: pairs.count)
            case .prefixItems(let nodes, _):
                let (first, count) = list(nodes)
                return Instruction(opcode: .prefixItems, a: first, b: count)
            case .items(let node, let start, _):
                return Instruction(opcode: .items, a: schema(node), b: start)
            case .contains(let node, let minimum, let maximum):
                return Instruction(opcode: .contains, a: schema(node), b: minimum, c: maximum ?? Int.max)
            case .allOf(let nodes):
                let (first, count) = list(nodes)
                return Instruction(opcode: .allOf, a: first, b: count)
            case .anyOf(let nodes):
                let (first, count) = list(nodes)
                return Instruction(opcode: .anyOf, a: first, b: count, c: discriminator(nodes))
            case .oneOf(let nodes):
                let (first, count) = list(nodes)
                return Instruction(opcode: .oneOf, a: first, b: count, c: discriminator(nodes))
            case .not(let node):
                return Instruction(opcode: .not, a: schema(node))
            case .conditional(let condition, let then, let otherwise):
                let index = schema(condition)
                return Instruction(opcode: .conditional, a: index, b: optional(then), c: optional(otherwise))
            case .ref(let target):
                return Instruction(opcode: .ref, a: target.node.map { schema($0) } ?? -1)
            case .dynamicRef(let reference):
                var anchor = -1
                if let name = reference.anchor {
                    anchorNames.append(name)
                    anchor = anchorNames.count - 1
                }
                return Instruction(opcode: .dynamicRef, a: schema(reference.target), b: anchor)
            case .unevaluatedItems(let node):
                return Instruction(opcode: .unevaluatedItems, a: schema(node))
            case .unevaluatedProperties(let node):
                return Instruction(opcode: .unevaluatedProperties, a: schema(node))
            }
        }
    }
}

extension TapeProgram.Opcode {
    /// The order in which a schema's instructions run (see ``TapeProgram/Builder``): checks on the value
    /// itself, then checks that scan a string or an array, then subschemas of members and elements, then
    /// subschemas of the whole value, and `unevaluated*` last.
    var cost: Int {
        switch self {
        case .type, .enumeration, .multipleOf, .minimum, .maximum, .exclusiveMinimum, .exclusiveMaximum, .minLength,
            .maxLength, .maxUtf8Bytes, .minItems, .maxItems, .minProperties, .maxProperties, .required,
            .dependentRequired:
            0
        case .pattern, .format, .uniqueItems:
            1
        case .properties, .patternProperties, .additionalProperties, .propertyNames, .dependentSchemas, .prefixItems,
            .items, .contains:
            2
        case .allOf, .anyOf, .oneOf, .not, .conditional, .ref, .dynamicRef:
            3
        case .unevaluatedItems, .unevaluatedProperties:
            4
        }
    }
}
