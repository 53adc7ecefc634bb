import TrailJSON

/// Compiles the keywords of one schema object, checking each keyword's value as it goes.
struct KeywordCompiler {
    let compiler: SchemaCompiler
    let object: JSONObject
    let location: SchemaLocation
    let context: SubschemaContext
    let node: SchemaNode
    var usedUnevaluated = false
    var usedDynamicReference = false

    init(
        compiler: SchemaCompiler,
        object: JSONObject,
        location: SchemaLocation,
        context: SubschemaContext,
        node: SchemaNode
    ) {
        self.compiler = compiler
        self.object = object
        self.location = location
        self.context = context
        self.node = node
    }

    // MARK: Helpers

    func at(_ keyword: String) -> String {
        let separator = node.absoluteLocation.hasSuffix("#") ? "/" : "/"
        return node.absoluteLocation + separator + JSONPointer.escape(keyword)
    }

    func invalid(_ keyword: String, _ message: String) -> SchemaError {
        SchemaError.invalidKeyword(location: at(keyword), message: message)
    }

    func child(_ tokens: String...) throws -> SchemaNode {
        try compiler.compile(SchemaLocation(document: location.document, pointer: location.pointer + tokens))
    }

    func schemaValue(_ keyword: String, _ value: JSONValue) throws {
        switch value {
        case .object, .bool: return
        default: throw invalid(keyword, "\(keyword) must be a schema (an object or a boolean), found \(value.typeName)")
        }
    }

    func nonNegativeInteger(_ keyword: String, _ value: JSONValue) throws -> Int {
        guard case .number(let number) = value, number.isInteger, number.doubleValue >= 0 else {
            throw invalid(keyword, "\(keyword) must be a non-negative integer, found \(describe(value))")
        }
        return number.int64Value.map { Int(clamping: $0) } ?? Int.max
    }

    func number(_ keyword: String, _ value: JSONValue) throws -> JSONNumber {
        guard case .number(let number) = value else {
            throw invalid(keyword, "\(keyword) must be a number, found \(describe(value))")
        }
        return number
    }

    func schemaArray(_ keyword: String, _ value: JSONValue, allowEmpty: Bool = false) throws -> [SchemaNode] {
        guard case .array(let elements) = value, allowEmpty || !elements.isEmpty else {
            throw invalid(keyword, "\(keyword) must be a non-empty array of schemas, found \(describe(value))")
        }
        var nodes: [SchemaNode] = []
        for index in elements.indices {
            try schemaValue("\(keyword)/\(index)", elements[index])
            nodes.append(try child(keyword, String(index)))
        }
        return nodes
    }

    func schemaMap(_ keyword: String, _ value: JSONValue) throws -> [(String, SchemaNode)] {
        guard case .object(let members) = value else {
            throw invalid(keyword, "\(keyword) must be an object whose values are schemas, found \(describe(value))")
        }
        var pairs: [(String, SchemaNode)] = []
        for (name, member) in zip(members.keys, members.values) {
            try schemaValue("\(keyword)/\(name)", member)
            pairs.append((name, try child(keyword, name)))
        }
        return pairs
    }

    func stringArray(_ keyword: String, _ value: JSONValue) throws -> [String] {
        guard case .array(let elements) = value else {
            throw invalid(keyword, "\(keyword) must be an array of strings, found \(describe(value))")
        }
        var strings: [String] = []
        for element in elements {
            guard let string = element.stringValue else {
                throw invalid(keyword, "\(keyword) must be an array of strings, found \(describe(element)) in it")
            }
            strings.append(string)
        }
        return strings
    }

    func pattern(_ keyword: String, _ source: String) throws -> Pattern {
        do {
            return try Pattern(source, deferringEngine: compiler.defersPatternEngine)
        } catch let error as Pattern.CompileError {
            throw invalid(keyword, "\"\(source)\" is not a valid regular expression: \(error.message)")
        } catch {
            throw invalid(keyword, "\"\(source)\" is not a valid regular expression")
        }
    }

    // MARK: Keywords

    mutating func compile() throws -> [Keyword] {
        let dialect = context.dialect
        let vocabularies = context.vocabularies
        if dialect == .draft7, let reference = object["$ref"] {
            return [try compileReference(reference)]
        }
        let applicator = vocabularies.contains(.applicator)
        let validation = vocabularies.contains(.validation)
        var keywords: [Keyword] = []
        var trailing: [Keyword] = []

        for (key, value) in zip(object.keys, object.values) {
            switch key {
            case "$ref":
                keywords.append(try compileReference(value))
            case "$dynamicRef" where dialect == .draft2020, "$recursiveRef" where dialect == .draft2019:
                keywords.append(try compileDynamicReference(key, value))
            case "$schema", "$id", "$anchor", "$dynamicAnchor":
                guard value.stringValue != nil else {
                    throw invalid(key, "\(key) must be a string, found \(describe(value))")
                }

            // Validation vocabulary.
            case "type" where validation:
                keywords.append(.type(try typeMask(value)))
            case "enum" where validation:
                guard case .array(let elements) = value else {
                    throw invalid(key, "enum must be an array, found \(describe(value))")
                }
                keywords.append(.enumeration(elements))
            case "const" where validation:
                keywords.append(.constant(Boxed(value)))
            case "multipleOf" where validation:
                let divisor = try number(key, value)
                guard divisor.doubleValue > 0 else { throw invalid(key, "multipleOf must be greater than 0") }
                keywords.append(.multipleOf(Boxed(divisor)))
            case "minimum" where validation: keywords.append(.minimum(Boxed(try number(key, value))))
            case "maximum" where validation: keywords.append(.maximum(Boxed(try number(key, value))))
            case "exclusiveMinimum" where validation:
                if case .bool = value, dialect == .draft7 { continue }
                keywords.append(.exclusiveMinimum(Boxed(try number(key, value))))
            case "exclusiveMaximum" where validation:
                if case .bool = value, dialect == .draft7 { continue }
                keywords.append(.exclusiveMaximum(Boxed(try number(key, value))))
            case "minLength" where validation: keywords.append(.minLength(try nonNegativeInteger(key, value)))
            case "maxLength" where validation: keywords.append(.maxLength(try nonNegativeInteger(key, value)))
            case "maxUtf8Bytes" where vocabularies.contains(.limits):
                keywords.append(.maxUtf8Bytes(try nonNegativeInteger(key, value)))
            case "pattern" where validation:
                guard let source = value.stringValue else {
                    throw invalid(key, "pattern must be a string, found \(describe(value))")
                }
                keywords.append(.pattern(try pattern(key, source)))
            case "minItems" where validation: keywords.append(.minItems(try nonNegativeInteger(key, value)))
            case "maxItems" where validation: keywords.append(.maxItems(try nonNegativeInteger(key, value)))
            case "uniqueItems" where validation:
                guard let flag = value.boolValue else {
                    throw invalid(key, "uniqueItems must be a boolean, found \(describe(value))")
                }
                if flag { keywords.append(.uniqueItems) }
            case "minProperties" where validation:
                keywords.append(.minProperties(try nonNegativeInteger(key, value)))
            case "maxProperties" where validation:
                keywords.append(.maxProperties(try nonNegativeInteger(key, value)))
            case "required" where validation:
                let names = try stringArray(key, value)
                if !names.isEmpty { keywords.append(.required(names)) }
            case "dependentRequired" where validation && dialect != .draft7:
                guard case .object(let members) = value else {
                    throw invalid(key, "dependentRequired must be an object, found \(describe(value))")
                }
                var pairs: [(String, [String])] = []
                for (name, member) in zip(members.keys, members.values) {
                    pairs.append((name, try stringArray("\(key)/\(name)", member)))
                }
                keywords.append(.dependentRequired(pairs, name: .dependentRequired))
            case "minContains", "maxContains":
                if validation && dialect != .draft7 { _ = try nonNegativeInteger(key, value) }
            case "format":
                guard let name = value.stringValue else {
                    throw invalid(key, "format must be a string, found \(describe(value))")
                }
                let asserting = compiler.assertFormats || vocabularies.contains(.formatAssertion)
                if asserting, let format = Format(name: name, dialect: dialect) {
                    keywords.append(.format(Boxed(format)))
                }
            case "contentEncoding", "contentMediaType":
                if dialect == .draft7 && compiler.assertFormats && key == "contentMediaType"
                    || dialect == .draft7 && compiler.assertFormats && key == "contentEncoding"
                        && object["contentMediaType"] == nil
                {
                    keywords.append(
                        .format(
                            Boxed(
                                Format.content(
                                    encoding: object["contentEncoding"]?.stringValue,
                                    mediaType: object["contentMediaType"]?.stringValue
                                )
                            )
                        )
                    )
                }

            // Applicator vocabulary.
            case "properties" where applicator:
                let pairs = try schemaMap(key, value)
                keywords.append(.properties(PropertySchemas(names: pairs.map(\.0), nodes: pairs.map(\.1))))
            case "patternProperties" where applicator:
                let pairs = try schemaMap(key, value)
                keywords.append(.patternProperties(try pairs.map { (try pattern(key, $0.0), $0.1) }))
            case "additionalProperties" where applicator:
                try schemaValue(key, value)
                let names = object["properties"]?.objectValue?.keys ?? []
                let patterns = try (object["patternProperties"]?.objectValue?.keys ?? []).map { try pattern(key, $0) }
                keywords.append(
                    .additionalProperties(
                        try child(key),
                        AdditionalPropertiesScope(names: names, patterns: patterns)
                    )
                )
            case "propertyNames" where applicator:
                try schemaValue(key, value)
                keywords.append(.propertyNames(try child(key)))
            case "dependentSchemas" where applicator && dialect != .draft7:
                keywords.append(.dependentSchemas(try schemaMap(key, value), name: .dependentSchemas))
            case "dependencies" where applicator:
                guard case .object(let members) = value else {
                    throw invalid(key, "dependencies must be an object, found \(describe(value))")
                }
                var required: [(String, [String])] = []
                var schemas: [(String, SchemaNode)] = []
                for (name, member) in zip(members.keys, members.values) {
                    if case .array = member {
                        required.append((name, try stringArray("\(key)/\(name)", member)))
                    } else {
                        try schemaValue("\(key)/\(name)", member)
                        schemas.append((name, try child(key, name)))
                    }
                }
                if !required.isEmpty { keywords.append(.dependentRequired(required, name: .dependencies)) }
                if !schemas.isEmpty { keywords.append(.dependentSchemas(schemas, name: .dependencies)) }
            case "prefixItems" where applicator && dialect == .draft2020:
                keywords.append(.prefixItems(try schemaArray(key, value), name: .prefixItems))
            case "items" where applicator:
                if dialect == .draft2020 {
                    try schemaValue(key, value)
                    let start = object["prefixItems"]?.arrayValue?.count ?? 0
                    keywords.append(.items(try child(key), start: start, name: .items))
                } else if case .array = value {
                    keywords.append(.prefixItems(try schemaArray(key, value, allowEmpty: true), name: .items))
                } else {
                    try schemaValue(key, value)
                    keywords.append(.items(try child(key), start: 0, name: .items))
                }
            case "additionalItems" where applicator && dialect != .draft2020:
                if case .array(let prefix) = object["items"] {
                    try schemaValue(key, value)
                    keywords.append(.items(try child(key), start: prefix.count, name: .additionalItems))
                }
            case "contains" where applicator:
                try schemaValue(key, value)
                var minimum = 1
                var maximum: Int?
                if dialect != .draft7 && validation {
                    if let value = object["minContains"] { minimum = try nonNegativeInteger("minContains", value) }
                    if let value = object["maxContains"] { maximum = try nonNegativeInteger("maxContains", value) }
                }
                keywords.append(.contains(try child(key), min: minimum, max: maximum))
            case "allOf" where applicator: keywords.append(.allOf(try schemaArray(key, value)))
            case "anyOf" where applicator: keywords.append(.anyOf(try schemaArray(key, value)))
            case "oneOf" where applicator: keywords.append(.oneOf(try schemaArray(key, value)))
            case "not" where applicator:
                try schemaValue(key, value)
                keywords.append(.not(try child(key)))
            case "if" where applicator:
                try schemaValue(key, value)
                let then = try object["then"].map { try schemaValue("then", $0) } != nil ? try child("then") : nil
                let otherwise = try object["else"].map { try schemaValue("else", $0) } != nil ? try child("else") : nil
                // Compiled even without then/else: a passing "if" still contributes annotations.
                keywords.append(.conditional(if: try child(key), then: then, else: otherwise))
            case "$defs" where dialect != .draft7, "definitions":
                guard case .object = value else {
                    throw invalid(key, "\(key) must be an object whose values are schemas, found \(describe(value))")
                }

            // Unevaluated vocabulary: evaluated last, after every annotation is in.
            case "unevaluatedItems" where vocabularies.contains(.unevaluated) && dialect != .draft7:
                try schemaValue(key, value)
                usedUnevaluated = true
                trailing.append(.unevaluatedItems(try child(key)))
            case "unevaluatedProperties" where vocabularies.contains(.unevaluated) && dialect != .draft7:
                try schemaValue(key, value)
                usedUnevaluated = true
                trailing.append(.unevaluatedProperties(try child(key)))
            default:
                continue
            }
        }
        return keywords + trailing
    }

    func typeMask(_ value: JSONValue) throws -> TypeMask {
        func single(_ name: String) throws -> TypeMask {
            guard let mask = TypeMask.names.first(where: { $0.0 == name })?.1 else {
                throw invalid(
                    "type",
                    "\"\(name)\" is not a JSON Schema type (null, boolean, object, array, number, string, integer)"
                )
            }
            return mask
        }
        switch value {
        case .string(let name):
            return try single(name)
        case .array(let elements):
            var mask: TypeMask = []
            for element in elements {
                guard let name = element.stringValue else {
                    throw invalid(
                        "type",
                        "type must be a string or an array of strings, found \(describe(element)) in it"
                    )
                }
                mask.formUnion(try single(name))
            }
            return mask
        default:
            throw invalid("type", "type must be a string or an array of strings, found \(describe(value))")
        }
    }

    func compileReference(_ value: JSONValue) throws -> Keyword {
        guard let reference = value.stringValue else {
            throw invalid("$ref", "$ref must be a string, found \(describe(value))")
        }
        let absolute = URIReference.resolve(reference, against: context.base)
        let target = ReferenceTarget()
        target.node = try compiler.compile(try compiler.locate(absolute, from: at("$ref")))
        return .ref(target)
    }

    mutating func compileDynamicReference(_ key: String, _ value: JSONValue) throws -> Keyword {
        guard let reference = value.stringValue else {
            throw invalid(key, "\(key) must be a string, found \(describe(value))")
        }
        usedDynamicReference = true
        if key == "$recursiveRef" {
            let absolute = URIReference.resolve(reference, against: context.base)
            let target = ReferenceTarget()
            target.node = try compiler.compile(try compiler.locate(absolute, from: at(key)))
            return .ref(target)
        }
        let absolute = URIReference.resolve(reference, against: context.base)
        let targetLocation = try compiler.locate(absolute, from: at(key))
        let target = try compiler.compile(targetLocation)
        var anchor: String?
        if let fragment = URIReference.split(absolute).fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
            let document = compiler.documents[targetLocation.document],
            JSONPointer(tokens: targetLocation.pointer).resolve(in: document)?["$dynamicAnchor"]?.stringValue
                == fragment
        {
            anchor = fragment
        }
        return .dynamicRef(DynamicReference(target: target, anchor: anchor))
    }
}

/// A short rendering of a JSON value for messages: compact JSON, cut at 60 characters.
func describe(_ value: JSONValue) -> String {
    let text = value.serializedString()
    if text.count <= 60 { return text }
    return String(text.prefix(57)) + "…"
}
