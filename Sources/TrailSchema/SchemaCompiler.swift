import TrailJSON

/// A subschema's place: the document it is in and the JSON Pointer from that document's root.
struct SchemaLocation: Hashable {
    var document: String
    var pointer: [String]
}

/// What a subschema inherits from its surroundings.
struct SubschemaContext {
    var base: String
    var resourcePointer: [String]
    var dialect: Dialect
    var vocabularies: Vocabularies
    var resource: SchemaResource
}

/// Builds the node graph for a schema: indexes documents (`$id`, anchors), resolves references through the
/// registry, and compiles every reachable subschema once.
final class SchemaCompiler {
    let registry: SchemaRegistry
    let assertFormats: Bool
    /// Whether patterns the regular-expression engine must match are compiled by it only when first matched
    /// (``Pattern/init(_:deferringEngine:)``): for the embedded meta-schemas, whose patterns are known to compile.
    let defersPatternEngine: Bool
    private(set) var documents: [String: JSONValue] = [:]
    private var resources: [String: SchemaLocation] = [:]
    private var anchors: [String: SchemaLocation] = [:]
    private var contexts: [SchemaLocation: SubschemaContext] = [:]
    private var resourceObjects: [String: SchemaResource] = [:]
    private var dynamicAnchorLocations: [(SchemaResource, String, SchemaLocation)] = []
    private var compiled: [SchemaLocation: SchemaNode] = [:]
    private var dialectCache: [String: (Dialect, Vocabularies)] = [:]
    /// Every node compiled so far: what keeps the graph alive, as its references do not.
    var graph: [SchemaNode] { Array(compiled.values) }
    private(set) var usesUnevaluated = false
    private(set) var usesDynamicReferences = false

    init(registry: SchemaRegistry, assertFormats: Bool, defersPatternEngine: Bool = false) {
        self.registry = registry
        self.assertFormats = assertFormats
        self.defersPatternEngine = defersPatternEngine
    }

    // MARK: Entry points

    /// Indexes a root document and compiles it.
    func compileRoot(_ document: JSONValue, uri: String, defaultDialect: Dialect) throws -> SchemaNode {
        try index(document, uri: uri, defaultDialect: defaultDialect)
        let root = try compile(SchemaLocation(document: uri, pointer: []))
        try finish()
        try checkCycles(from: root)
        return root
    }

    /// Compiles the dynamic anchors of every indexed resource, so `$dynamicRef` can find them at run time.
    private func finish() throws {
        guard usesDynamicReferences else { return }
        var done = 0
        while done < dynamicAnchorLocations.count {
            let (resource, name, location) = dynamicAnchorLocations[done]
            resource.dynamicAnchors[name] = UnownedNode(node: try compile(location))
            done += 1
        }
    }

    // MARK: Dialects

    func dialect(forMetaSchema uri: String, at location: String, depth: Int = 0) throws -> (Dialect, Vocabularies) {
        let key = SchemaRegistry.normalize(uri)
        if let cached = dialectCache[key] { return cached }
        let result: (Dialect, Vocabularies)
        switch key {
        case MetaSchemas.draft2020: result = (.draft2020, .standard)
        case "https://json-schema.org/draft/2019-09/schema": result = (.draft2019, .standard)
        case MetaSchemas.draft7, "http://json-schema.org/draft-06/schema", "http://json-schema.org/draft-04/schema":
            result = (.draft7, .standard)
        default:
            guard depth < 8, let document = try registry.document(at: key) else {
                throw SchemaError.unknownMetaSchema(uri: uri, location: location)
            }
            var base: (Dialect, Vocabularies) = (.draft2020, .standard)
            if let parent = document["$schema"]?.stringValue, SchemaRegistry.normalize(parent) != key {
                base = try dialect(forMetaSchema: parent, at: location, depth: depth + 1)
            }
            if let declared = document["$vocabulary"]?.objectValue {
                var vocabularies: Vocabularies = [.core]
                for (vocabulary, required) in zip(declared.keys, declared.values) {
                    if let known = Vocabularies.byURI[vocabulary] {
                        vocabularies.insert(known)
                    } else if required.boolValue == true {
                        throw SchemaError.invalidKeyword(
                            location: key + "#/$vocabulary",
                            message: "the meta-schema requires the unknown vocabulary \(vocabulary)"
                        )
                    }
                }
                base.1 = vocabularies
            }
            result = base
        }
        dialectCache[key] = result
        return result
    }

    // MARK: Indexing

    func index(_ document: JSONValue, uri: String, defaultDialect: Dialect = .draft2020) throws {
        let uri = SchemaRegistry.normalize(uri)
        guard documents[uri] == nil else { return }
        documents[uri] = document
        let resource = resourceObject(uri)
        resources[uri] = SchemaLocation(document: uri, pointer: [])
        var dialect = defaultDialect
        var vocabularies = Vocabularies.standard
        if let metaSchema = document["$schema"]?.stringValue {
            (dialect, vocabularies) = try self.dialect(forMetaSchema: metaSchema, at: uri + "#/$schema")
        }
        let context = SubschemaContext(
            base: uri,
            resourcePointer: [],
            dialect: dialect,
            vocabularies: vocabularies,
            resource: resource
        )
        try walk(document, location: SchemaLocation(document: uri, pointer: []), context: context)
    }

    private func resourceObject(_ uri: String) -> SchemaResource {
        if let existing = resourceObjects[uri] { return existing }
        let resource = SchemaResource(uri: uri)
        resourceObjects[uri] = resource
        return resource
    }

    private func walk(_ value: JSONValue, location: SchemaLocation, context inherited: SubschemaContext) throws {
        guard case .object(let object) = value else {
            contexts[location] = inherited
            return
        }
        var context = inherited
        if location.pointer.isEmpty == false, object["$id"] != nil, let metaSchema = object["$schema"]?.stringValue {
            (context.dialect, context.vocabularies) = try dialect(
                forMetaSchema: metaSchema,
                at: context.base + "#" + JSONPointer(tokens: context.resourcePointer).uriFragment
            )
        }
        let refOverrides = context.dialect == .draft7 && object["$ref"] != nil
        if let id = object["$id"]?.stringValue, !refOverrides {
            if context.dialect == .draft7 && id.hasPrefix("#") {
                anchors[context.base + id] = location
            } else {
                let resolved = URIReference.split(URIReference.resolve(id, against: context.base))
                if resolved.base != context.base || location.pointer.isEmpty {
                    context.base = resolved.base
                    context.resource = resourceObject(resolved.base)
                    context.resourcePointer = []
                    if resources[resolved.base] == nil { resources[resolved.base] = location }
                }
                if let fragment = resolved.fragment, !fragment.isEmpty, !fragment.hasPrefix("/") {
                    anchors[resolved.base + "#" + fragment] = location
                }
            }
        }
        if context.dialect != .draft7 {
            if let anchor = object["$anchor"]?.stringValue {
                anchors[context.base + "#" + anchor] = location
            }
            if let anchor = object["$dynamicAnchor"]?.stringValue {
                anchors[context.base + "#" + anchor] = location
                dynamicAnchorLocations.append((context.resource, anchor, location))
            }
        }
        contexts[location] = context

        for (key, child) in zip(object.keys, object.values) {
            var childContext = context
            childContext.resourcePointer.append(key)
            var childLocation = location
            childLocation.pointer.append(key)
            switch Self.subschemaShape(key, dialect: context.dialect) {
            case .none:
                continue
            case .single:
                try walk(child, location: childLocation, context: childContext)
            case .array:
                if case .array(let elements) = child {
                    for index in elements.indices {
                        var elementContext = childContext
                        elementContext.resourcePointer.append(String(index))
                        var elementLocation = childLocation
                        elementLocation.pointer.append(String(index))
                        try walk(elements[index], location: elementLocation, context: elementContext)
                    }
                } else {
                    try walk(child, location: childLocation, context: childContext)
                }
            case .map:
                if case .object(let members) = child {
                    for (name, member) in zip(members.keys, members.values) {
                        var memberContext = childContext
                        memberContext.resourcePointer.append(name)
                        var memberLocation = childLocation
                        memberLocation.pointer.append(name)
                        try walk(member, location: memberLocation, context: memberContext)
                    }
                }
            }
        }
    }

    enum SubschemaShape {
        case none
        case single
        case array
        case map
    }

    static func subschemaShape(_ keyword: String, dialect: Dialect) -> SubschemaShape {
        switch keyword {
        case "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else":
            return .single
        case "items":
            return dialect == .draft2020 ? .single : .array
        case "additionalItems":
            return dialect == .draft2020 ? .none : .single
        case "unevaluatedItems", "unevaluatedProperties", "contentSchema":
            return dialect == .draft7 ? .none : .single
        case "allOf", "anyOf", "oneOf":
            return .array
        case "prefixItems":
            return dialect == .draft2020 ? .array : .none
        case "properties", "patternProperties", "definitions":
            return .map
        case "$defs", "dependentSchemas":
            return dialect == .draft7 ? .none : .map
        case "dependencies":
            return .map
        default:
            return .none
        }
    }

    // MARK: Resolution

    /// Finds the subschema an absolute URI reference denotes, loading its document when needed.
    func locate(_ reference: String, from location: String) throws -> SchemaLocation {
        let (base, fragment) = URIReference.split(reference)
        if resources[base] == nil {
            let loaded: JSONValue?
            do {
                loaded = try registry.document(at: base)
            } catch SchemaError.unloadableReference(let uri, "", let reason) {
                throw SchemaError.unloadableReference(reference: uri, location: location, reason: reason)
            }
            guard let document = loaded else {
                throw SchemaError.unresolvableReference(reference: reference, location: location)
            }
            try index(document, uri: base)
        }
        guard let resource = resources[base] else {
            throw SchemaError.unresolvableReference(reference: reference, location: location)
        }
        guard let fragment, !fragment.isEmpty else { return resource }
        if fragment.hasPrefix("/") {
            guard let pointer = try? JSONPointer(parsing: fragment), let document = documents[resource.document],
                JSONPointer(tokens: resource.pointer + pointer.tokens).resolve(in: document) != nil
            else {
                throw SchemaError.unresolvableReference(reference: reference, location: location)
            }
            return SchemaLocation(document: resource.document, pointer: resource.pointer + pointer.tokens)
        }
        guard let anchor = anchors[base + "#" + fragment] else {
            throw SchemaError.unresolvableReference(reference: reference, location: location)
        }
        return anchor
    }

    private func context(for location: SchemaLocation) -> SubschemaContext? {
        if let context = contexts[location] { return context }
        // A location inside an unknown keyword: inherit from the nearest indexed ancestor.
        var ancestor = location
        var suffix: [String] = []
        while let last = ancestor.pointer.popLast() {
            suffix.insert(last, at: 0)
            if var context = contexts[ancestor] {
                context.resourcePointer += suffix
                return context
            }
        }
        return nil
    }

    // MARK: Compilation

    func compile(_ location: SchemaLocation) throws -> SchemaNode {
        if let node = compiled[location] { return node }
        if StackGuard.isLow() {
            throw SchemaError.invalidKeyword(
                location: location.document + "#" + JSONPointer(tokens: location.pointer).uriFragment,
                message: "the schema nests \(location.pointer.count) levels deep, more than this thread's stack holds"
            )
        }
        guard let document = documents[location.document], let context = context(for: location),
            let value = JSONPointer(tokens: location.pointer).resolve(in: document)
        else {
            throw SchemaError.unresolvableReference(
                reference: location.document + "#" + JSONPointer(tokens: location.pointer).uriFragment,
                location: location.document
            )
        }
        let node = SchemaNode(
            absoluteLocation: context.base + "#" + JSONPointer(tokens: context.resourcePointer).uriFragment,
            resource: context.resource
        )
        compiled[location] = node
        switch value {
        case .bool(let flag):
            node.boolean = flag
        case .object(let object):
            node.keywords = try compileKeywords(object, location: location, context: context, node: node)
        default:
            throw SchemaError.invalidKeyword(
                location: node.absoluteLocation,
                message: "a schema must be an object or a boolean, found \(value.typeName)"
            )
        }
        return node
    }

    private func compileKeywords(
        _ object: JSONObject,
        location: SchemaLocation,
        context: SubschemaContext,
        node: SchemaNode
    ) throws -> [Keyword] {
        var compiler = KeywordCompiler(
            compiler: self,
            object: object,
            location: location,
            context: context,
            node: node
        )
        let keywords = try compiler.compile()
        if compiler.usedUnevaluated { usesUnevaluated = true }
        if compiler.usedDynamicReference { usesDynamicReferences = true }
        return keywords
    }

    // MARK: Cycles

    /// Rejects reference loops that never move into the instance (`{"$ref": "#"}`, `allOf` back to itself, …).
    private func checkCycles(from root: SchemaNode) throws {
        var state: [ObjectIdentifier: Int] = [:]  // 1 = on the stack, 2 = done
        var stack: [(SchemaNode, [SchemaNode], Int)] = []
        func inPlaceChildren(_ node: SchemaNode) -> [SchemaNode] {
            var children: [SchemaNode] = []
            for keyword in node.keywords {
                switch keyword {
                case .allOf(let nodes), .anyOf(let nodes), .oneOf(let nodes): children += nodes
                case .not(let child): children.append(child)
                case .conditional(let condition, let then, let otherwise):
                    children.append(condition)
                    if let then { children.append(then) }
                    if let otherwise { children.append(otherwise) }
                case .dependentSchemas(let pairs, _): children += pairs.map(\.1)
                case .ref(let target): if let node = target.node { children.append(node) }
                case .dynamicRef(let reference): children.append(reference.target)
                default: break
                }
            }
            return children
        }
        for start in compiled.values where state[ObjectIdentifier(start)] == nil {
            state[ObjectIdentifier(start)] = 1
            stack.append((start, inPlaceChildren(start), 0))
            while !stack.isEmpty {
                let (node, children, next) = stack[stack.count - 1]
                if next == children.count {
                    state[ObjectIdentifier(node)] = 2
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].2 += 1
                let child = children[next]
                switch state[ObjectIdentifier(child)] {
                case 1: throw SchemaError.referenceCycle(location: child.absoluteLocation)
                case 2: continue
                default:
                    state[ObjectIdentifier(child)] = 1
                    stack.append((child, inPlaceChildren(child), 0))
                }
            }
        }
        _ = root
    }
}
