public import TrailJSON

extension JSONSchemaValidator {
    /// The parts of an instance that ``isValid(_:)-(JSONValue)`` can look at; parse with it
    /// (``JSONParser/parse(_:projection:)-(UnsafeBufferPointer<UInt8>,_)``) to skip building the rest.
    ///
    /// An instance parsed with this projection is valid exactly when the whole instance is, so a caller can
    /// check the cheap form first and parse in full only to report the errors of an invalid one. The analysis
    /// is conservative: a member is left out (kept as an empty value of its type) only when every subschema
    /// that can apply to it checks nothing but its type, or when no subschema applies to it at all. Anything
    /// that depends on content — `enum`, `const`, string and array keywords, `patternProperties`,
    /// `unevaluated*`, `$dynamicRef` — keeps its value whole. `additionalProperties` beside `properties` alone
    /// (no `patternProperties`) keeps every name, and applies its schema to the members the `properties`
    /// beside it do not name: with `false`, a member it forbids fails by its name alone. Compute it once per
    /// validator; it walks the compiled schema.
    public var projection: JSONProjection {
        var analysis = SchemaProjection()
        return analysis.projection(of: [root])
    }
}

/// Works out a ``JSONProjection`` from compiled schema nodes.
struct SchemaProjection {
    /// Projections already worked out, by the set of schemas that apply at a location.
    private var known: [[ObjectIdentifier]: JSONProjection] = [:]
    /// The sets being worked out (a schema that applies to its own members loops).
    private var inProgress: Set<[ObjectIdentifier]> = []

    /// The deepest nesting of members analysed; deeper members are kept whole.
    static let maximumDepth = 64

    /// The projection for a location where `nodes` apply.
    mutating func projection(of nodes: [SchemaNode], depth: Int = 0) -> JSONProjection {
        // Every schema that applies at this same location, through the in-place applicators.
        var applying: [SchemaNode] = []
        var seen = Set<ObjectIdentifier>()
        var pending = nodes
        while let node = pending.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            applying.append(node)
            for keyword in node.keywords {
                switch keyword {
                case .allOf(let children), .anyOf(let children), .oneOf(let children): pending += children
                case .not(let child): pending.append(child)
                case .conditional(let condition, let then, let otherwise):
                    pending.append(condition)
                    if let then { pending.append(then) }
                    if let otherwise { pending.append(otherwise) }
                case .ref(let target): if let node = target.node { pending.append(node) }
                case .dependentSchemas(let pairs, _): pending += pairs.map(\.1)
                case .dynamicRef: return .whole
                default: continue
                }
            }
        }
        let key = seen.sorted()
        if let result = known[key] { return result }
        if inProgress.contains(key) || depth >= Self.maximumDepth { return .whole }

        var members: [String: [SchemaNode]] = [:]
        /// `additionalProperties` schemas, with the names of the `properties` beside them.
        var additional: [(schema: SchemaNode, names: NameTable)] = []
        var needsNames = false
        for node in applying {
            for keyword in node.keywords {
                switch keyword {
                // Types, and numbers (which are always kept).
                case .type, .multipleOf, .minimum, .maximum, .exclusiveMinimum, .exclusiveMaximum:
                    continue
                // In-place applicators: their schemas are in `applying`.
                case .allOf, .anyOf, .oneOf, .not, .conditional, .ref:
                    continue
                // What depends on member names (a projection of members keeps every name).
                case .minProperties, .maxProperties, .required, .dependentRequired, .propertyNames, .dependentSchemas:
                    needsNames = true
                case .properties(let schemas):
                    needsNames = true
                    for (name, child) in zip(schemas.names, schemas.nodes) { members[name, default: []].append(child) }
                case .additionalProperties(let child, let scope) where scope.patterns.isEmpty:
                    needsNames = true
                    additional.append((child, scope.names))
                default:
                    known[key] = .whole
                    return .whole
                }
            }
        }
        guard needsNames else {
            known[key] = .typeOnly
            return .typeOnly
        }
        // A member named by some `properties` is additional to every `additionalProperties` whose own
        // `properties` do not name it; a member no `properties` names is additional to all of them.
        for (schema, names) in additional {
            for name in members.keys where names.position(of: name) == nil { members[name]?.append(schema) }
        }
        inProgress.insert(key)
        var named: [String: JSONProjection] = [:]
        for (name, children) in members { named[name] = projection(of: children, depth: depth + 1) }
        let others = additional.isEmpty ? .typeOnly : projection(of: additional.map(\.schema), depth: depth + 1)
        inProgress.remove(key)
        let result = JSONProjection.members(named, others: others)
        known[key] = result
        return result
    }
}
