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
final class SchemaResource: @unchecked Sendable {
    let uri: String
    /// The resource's dynamic anchors. Not owned: the nodes hold their resource (see ``SchemaNode``).
    var dynamicAnchors: [String: UnownedNode] = [:]

    init(uri: String) {
        self.uri = uri
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
        }
    }
    /// The type, when `type` is the schema's only keyword (`{"type": "string"}`): checked without entering
    /// the schema, as leaves of a document mostly are.
    private(set) var onlyType: TypeMask?

    init(absoluteLocation: String, resource: SchemaResource) {
        self.absoluteLocation = absoluteLocation
        self.resource = resource
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
}

/// The `properties` keyword: names and subschemas, with a lookup table for large schemas.
///
/// Names match by Unicode scalars, as JSON compares member names (``ScalarKey``), not by Swift's canonical
/// equivalence.
final class PropertySchemas: Sendable {
    let names: [String]
    let nodes: [SchemaNode]
    let lookup: [ScalarKey: Int]

    init(names: [String], nodes: [SchemaNode]) {
        self.names = names
        self.nodes = nodes
        var lookup: [ScalarKey: Int] = [:]
        for (index, name) in names.enumerated() { lookup[ScalarKey(name)] = index }
        self.lookup = lookup
    }

    /// The position of `key`: a linear scan for small schemas (cheaper than hashing), the table otherwise.
    @inline(__always)
    func position(of key: String) -> Int? {
        if names.count > 16 { return lookup[ScalarKey(key)] }
        let length = key.utf8.count
        for index in names.indices where names[index].utf8.count == length && ScalarKey(names[index]) == ScalarKey(key)
        {
            return index
        }
        return nil
    }
}

/// What `additionalProperties` must leave alone: names in `properties` (by Unicode scalars, as
/// ``PropertySchemas`` matches them) and names matching `patternProperties`.
struct AdditionalPropertiesScope: Sendable {
    /// The names: scanned (cheaper) when there are at most 16, hashed when there are more.
    private let names: Set<ScalarKey>
    private let few: [ScalarKey]?
    let patterns: [Pattern]

    init(names: some Sequence<String>, patterns: [Pattern]) {
        let keys = names.map(ScalarKey.init)
        few = keys.count <= 16 ? keys : nil
        self.names = keys.count <= 16 ? [] : Set(keys)
        self.patterns = patterns
    }

    /// Whether `key` is one of the names or matches one of the patterns.
    func covers(_ key: String) -> Bool {
        let scalars = ScalarKey(key)
        if let few {
            let length = key.utf8.count
            for name in few where name.string.utf8.count == length && name == scalars { return true }
        } else if names.contains(scalars) {
            return true
        }
        return patterns.contains { $0.matches(key) }
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
