import TrailJSON

/// The JSON Schema dialect a schema resource is written in.
enum Dialect: Sendable {
    case draft7
    case draft2019
    case draft2020
}

/// The vocabularies in force for a schema resource (from its meta-schema's `$vocabulary`).
struct Vocabularies: OptionSet, Sendable, Hashable {
    let rawValue: UInt16
    static let core = Vocabularies(rawValue: 1 << 0)
    static let applicator = Vocabularies(rawValue: 1 << 1)
    static let unevaluated = Vocabularies(rawValue: 1 << 2)
    static let validation = Vocabularies(rawValue: 1 << 3)
    static let formatAnnotation = Vocabularies(rawValue: 1 << 4)
    static let formatAssertion = Vocabularies(rawValue: 1 << 5)
    static let content = Vocabularies(rawValue: 1 << 6)
    static let metaData = Vocabularies(rawValue: 1 << 7)
    static let limits = Vocabularies(rawValue: 1 << 8)

    static let standard: Vocabularies = [
        .core, .applicator, .unevaluated, .validation, .formatAnnotation, .content, .metaData,
    ]

    static let byURI: [String: Vocabularies] = [
        "https://json-schema.org/draft/2020-12/vocab/core": .core,
        "https://json-schema.org/draft/2020-12/vocab/applicator": .applicator,
        "https://json-schema.org/draft/2020-12/vocab/unevaluated": .unevaluated,
        "https://json-schema.org/draft/2020-12/vocab/validation": .validation,
        "https://json-schema.org/draft/2020-12/vocab/format-annotation": .formatAnnotation,
        "https://json-schema.org/draft/2020-12/vocab/format-assertion": .formatAssertion,
        "https://json-schema.org/draft/2020-12/vocab/content": .content,
        "https://json-schema.org/draft/2020-12/vocab/meta-data": .metaData,
        "https://json-schema.org/draft/2019-09/vocab/core": .core,
        "https://json-schema.org/draft/2019-09/vocab/applicator": [.applicator, .unevaluated],
        "https://json-schema.org/draft/2019-09/vocab/validation": .validation,
        "https://json-schema.org/draft/2019-09/vocab/format": .formatAnnotation,
        "https://json-schema.org/draft/2019-09/vocab/content": .content,
        "https://json-schema.org/draft/2019-09/vocab/meta-data": .metaData,
        "https://schemas.prompttrail.dev/vocab/limits/v1": .limits,
    ]
}

/// A schema resource (a document root or a subschema with `$id`): the unit of `$dynamicRef`'s dynamic scope.
///
/// Mutable only while the compiler builds it; immutable (and so safe to share) once compilation returns.
final class SchemaResource: @unchecked Sendable, Equatable {
    let uri: String
    /// The resource's dynamic anchors. Not owned: the nodes hold their resource (see ``SchemaNode``).
    var dynamicAnchors: [String: UnownedNode] = [:]

    init(uri: String) {
        self.uri = uri
    }

    /// The same resource (identity: one resource is one object).
    static func == (a: SchemaResource, b: SchemaResource) -> Bool {
        a === b
    }
}

/// One compiled (sub)schema: its keywords, ready to evaluate.
///
/// Nodes form a graph (references can loop), so they are classes. A node owns its subschemas, whose edges
/// only go deeper into a document and never loop; the edges that can loop — `$ref`, `$dynamicRef` and a
/// resource's dynamic anchors — do not own their target, so that a compiled schema is freed with its
/// validator. Every node of a graph is kept alive by the compiler while it builds the graph, and then by
/// the ``JSONSchemaValidator`` (its `graph`), which outlives every evaluation.
///
/// Mutable only while the compiler builds them; immutable (and so safe to share across threads) once
/// compilation returns.
final class SchemaNode: @unchecked Sendable {
    /// `base-uri#/json/pointer` of this schema inside its resource.
    let absoluteLocation: String
    let resource: SchemaResource
    /// For boolean schemas, their value.
    var boolean: Bool?
    var keywords: [Keyword] = [] {
        didSet {
            if keywords.count == 1, case .type(let mask) = keywords[0] { onlyType = mask } else { onlyType = nil }
            _ = program.deinitialize()
            program.deallocate()
            program = .allocate(capacity: keywords.count)
            _ = program.initialize(from: keywords)
        }
    }
    /// The keywords again, in memory the node owns: what evaluation reads. Reading a buffer pointer from the
    /// node retains nothing, where reading the array would retain its storage for every instance evaluated,
    /// from every thread at once.
    private(set) var program = UnsafeMutableBufferPointer<Keyword>.allocate(capacity: 0)
    /// The type, when `type` is the schema's only keyword (`{"type": "string"}`): checked without entering
    /// the schema, as leaves of a document mostly are.
    private(set) var onlyType: TypeMask?

    init(absoluteLocation: String, resource: SchemaResource) {
        self.absoluteLocation = absoluteLocation
        self.resource = resource
    }

    deinit {
        _ = program.deinitialize()
        program.deallocate()
    }
}

/// A node that something refers to without owning it (see ``SchemaNode``).
struct UnownedNode: @unchecked Sendable {
    unowned(unsafe) let node: SchemaNode
}

/// A `$ref` target, filled in once the target is compiled (it may be the referring schema itself). Not
/// owned (see ``SchemaNode``).
final class ReferenceTarget: @unchecked Sendable {
    unowned(unsafe) var node: SchemaNode?
}

/// A `$dynamicRef`: its static target (not owned, see ``SchemaNode``), and the dynamic anchor name when the
/// target declares one.
final class DynamicReference: @unchecked Sendable {
    unowned(unsafe) let target: SchemaNode
    let anchor: String?

    init(target: SchemaNode, anchor: String?) {
        self.target = target
        self.anchor = anchor
    }

    /// The schema it refers to in the dynamic scope `scope` (see ``DynamicScope/target(_:anchor:anchors:)``).
    func target(in scope: DynamicScope<SchemaResource>) -> SchemaNode {
        scope.target(target, anchor: anchor) { $0.dynamicAnchors[$1]?.node }
    }
}

/// Member names to look up by their UTF-8 bytes (Unicode scalars, as JSON compares member names), not by
/// Swift's canonical equivalence: scanned when there are at most 16, hashed when there are more.
///
/// The names are flat (their bytes one after another, and where each is), so that a ``TapeProgram`` can copy
/// the table into its own buffers and look names up with the same ``lookup(_:bytes:spans:slots:)``.
struct NameTable: Sendable {
    /// Where a name's bytes are.
    struct Span {
        var offset: Int32
        var count: Int32
    }

    /// The names' UTF-8 bytes, one after another (and one byte more).
    let bytes: [UInt8]
    /// Each name's place in `bytes`, in the order given.
    let spans: [Span]
    /// Positions in `spans` by hash, -1 where empty (open addressing, probed linearly); empty when scanned.
    let slots: [Int32]

    init(_ names: some Sequence<String>) {
        var bytes: [UInt8] = []
        var spans: [Span] = []
        for name in names {
            spans.append(Span(offset: Int32(bytes.count), count: Int32(name.utf8.count)))
            bytes.append(contentsOf: name.utf8)
        }
        // One byte past the names, so that the buffer has an address even when every name is empty.
        bytes.append(0)
        self.bytes = bytes
        self.spans = spans
        guard spans.count > 16 else {
            slots = []
            return
        }
        var capacity = 32
        while capacity < spans.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        bytes.withUnsafeBufferPointer { bytes in
            spans.withUnsafeBufferPointer { spans in
                for position in spans.indices {
                    let name = Self.name(spans[position], bytes.baseAddress!)
                    var slot = JSONTape.nameHash(name) & (capacity - 1)
                    while slots[slot] >= 0 {
                        // A repeated name keeps its first position.
                        if Self.equal(Self.name(spans[Int(slots[slot])], bytes.baseAddress!), name) { break }
                        slot = (slot + 1) & (capacity - 1)
                    }
                    if slots[slot] < 0 { slots[slot] = Int32(position) }
                }
            }
        }
        self.slots = slots
    }

    /// The position of the first name whose UTF-8 bytes are `key`.
    @inline(__always)
    func position(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { bytes in
            spans.withUnsafeBufferPointer { spans in
                slots.withUnsafeBufferPointer { Self.lookup(key, bytes: bytes.baseAddress!, spans: spans, slots: $0) }
            }
        }
    }

    /// The position of the first name that is `key`.
    func position(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { position(of: $0) }
    }

    /// The position of the first name whose UTF-8 bytes are `key`, in a table laid out as ``NameTable`` lays
    /// one out: names in `bytes` at `spans`, and `slots` empty or the hashed positions.
    @inline(__always)
    static func lookup(
        _ key: UnsafeBufferPointer<UInt8>,
        bytes: UnsafePointer<UInt8>,
        spans: UnsafeBufferPointer<Span>,
        slots: UnsafeBufferPointer<Int32>
    ) -> Int? {
        if slots.isEmpty {
            for position in spans.indices where Int(spans[position].count) == key.count {
                if equal(name(spans[position], bytes), key) { return position }
            }
            return nil
        }
        let mask = slots.count - 1
        var slot = JSONTape.nameHash(key) & mask
        while slots[slot] >= 0 {
            let position = Int(slots[slot])
            if equal(name(spans[position], bytes), key) { return position }
            slot = (slot + 1) & mask
        }
        return nil
    }

    @inline(__always)
    private static func name(_ span: Span, _ bytes: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes + Int(span.offset), count: Int(span.count))
    }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        JSONTape.sameBytes(a, b)
    }
}

/// The `properties` keyword: names and subschemas.
final class PropertySchemas: Sendable {
    let names: [String]
    let nodes: [SchemaNode]
    let table: NameTable

    init(names: [String], nodes: [SchemaNode]) {
        self.names = names
        self.nodes = nodes
        table = NameTable(names)
    }

    /// The position of `key` (see ``NameTable``).
    @inline(__always)
    func position(of key: String) -> Int? {
        table.position(of: key)
    }
}

/// What `additionalProperties` must leave alone: names in `properties` (matched as ``NameTable`` matches
/// them) and names matching `patternProperties`.
struct AdditionalPropertiesScope: Sendable {
    let names: NameTable
    let patterns: [Pattern]

    init(names: some Sequence<String>, patterns: [Pattern]) {
        self.names = NameTable(names)
        self.patterns = patterns
    }

    /// Whether `key` is one of the names or matches one of the patterns.
    func covers(_ key: String) -> Bool {
        names.position(of: key) != nil || patterns.contains { $0.matches(key) }
    }
}

/// JSON types as a bit set (`integer` is a subset of `number`).
struct TypeMask: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeMask(rawValue: 1 << 0)
    static let boolean = TypeMask(rawValue: 1 << 1)
    static let object = TypeMask(rawValue: 1 << 2)
    static let array = TypeMask(rawValue: 1 << 3)
    static let number = TypeMask(rawValue: 1 << 4)
    static let string = TypeMask(rawValue: 1 << 5)
    static let integer = TypeMask(rawValue: 1 << 6)

    static let names: [(String, TypeMask)] = [
        ("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array), ("number", .number),
        ("string", .string), ("integer", .integer),
    ]

    var description: String {
        let parts = Self.names.filter { contains($0.1) }.map(\.0)
        if parts.count <= 1 { return parts.first ?? "nothing" }
        return parts.dropLast().joined(separator: ", ") + " or " + parts.last!
    }
}

/// A keyword's operand (a number, a `const` value, a format), boxed so that ``Keyword`` stays small (see
/// there).
final class Boxed<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// How a keyword whose name differs between drafts was spelled, for keyword locations: a one-byte tag, so
/// that ``Keyword`` stays small (see there).
enum KeywordSpelling: String, Sendable {
    case dependentRequired
    case dependentSchemas
    case dependencies
    case prefixItems
    case items
    case additionalItems
}

/// One compiled keyword. An enum, so evaluation is a `switch` without dynamic dispatch.
///
/// Its payloads are kept to three words (numbers boxed, draft spellings a tag): a larger enum is passed
/// indirectly, and the evaluator then copies every keyword it reads through the type's value witness.
enum Keyword: Sendable {
    case type(TypeMask)
    case enumeration([JSONValue])
    case constant(Boxed<JSONValue>)
    case multipleOf(Boxed<JSONNumber>)
    case minimum(Boxed<JSONNumber>)
    case maximum(Boxed<JSONNumber>)
    case exclusiveMinimum(Boxed<JSONNumber>)
    case exclusiveMaximum(Boxed<JSONNumber>)
    case minLength(Int)
    case maxLength(Int)
    case maxUtf8Bytes(Int)
    case pattern(Pattern)
    case format(Boxed<Format>)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case minProperties(Int)
    case maxProperties(Int)
    case required([String])
    case dependentRequired([(String, [String])], name: KeywordSpelling)
    case properties(PropertySchemas)
    case patternProperties([(Pattern, SchemaNode)])
    case additionalProperties(SchemaNode, AdditionalPropertiesScope)
    case propertyNames(SchemaNode)
    case dependentSchemas([(String, SchemaNode)], name: KeywordSpelling)
    case prefixItems([SchemaNode], name: KeywordSpelling)
    case items(SchemaNode, start: Int, name: KeywordSpelling)
    case contains(SchemaNode, min: Int, max: Int?)
    case allOf([SchemaNode])
    case anyOf([SchemaNode])
    case oneOf([SchemaNode])
    case not(SchemaNode)
    case conditional(if: SchemaNode, then: SchemaNode?, else: SchemaNode?)
    case ref(ReferenceTarget)
    case dynamicRef(DynamicReference)
    case unevaluatedItems(SchemaNode)
    case unevaluatedProperties(SchemaNode)

    /// The keyword's name, as it appears in keyword locations.
    var name: String {
        switch self {
        case .type: "type"
        case .enumeration: "enum"
        case .constant: "const"
        case .multipleOf: "multipleOf"
        case .minimum: "minimum"
        case .maximum: "maximum"
        case .exclusiveMinimum: "exclusiveMinimum"
        case .exclusiveMaximum: "exclusiveMaximum"
        case .minLength: "minLength"
        case .maxLength: "maxLength"
        case .maxUtf8Bytes: "maxUtf8Bytes"
        case .pattern: "pattern"
        case .format: "format"
        case .minItems: "minItems"
        case .maxItems: "maxItems"
        case .uniqueItems: "uniqueItems"
        case .minProperties: "minProperties"
        case .maxProperties: "maxProperties"
        case .required: "required"
        case .dependentRequired(_, let name): name.rawValue
        case .properties: "properties"
        case .patternProperties: "patternProperties"
        case .additionalProperties: "additionalProperties"
        case .propertyNames: "propertyNames"
        case .dependentSchemas(_, let name): name.rawValue
        case .prefixItems(_, let name): name.rawValue
        case .items(_, _, let name): name.rawValue
        case .contains: "contains"
        case .allOf: "allOf"
        case .anyOf: "anyOf"
        case .oneOf: "oneOf"
        case .not: "not"
        case .conditional: "if"
        case .ref: "$ref"
        case .dynamicRef: "$dynamicRef"
        case .unevaluatedItems: "unevaluatedItems"
        case .unevaluatedProperties: "unevaluatedProperties"
        }
    }
}
