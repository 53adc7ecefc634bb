import Synchronization
public import TrailJSON

/// Settings for compiling a schema.
public struct ValidationOptions: Sendable, Hashable {
    /// Check `format` as an assertion (date-time, email, uri, …) instead of an annotation.
    public var assertFormats: Bool
    /// Check the schema against its meta-schema before compiling it, so a schema that is not a schema is a
    /// ``SchemaError/notASchema(metaSchema:errors:)`` naming the bad keyword.
    public var validateSchema: Bool
    /// The dialect for a schema without `$schema`.
    public var defaultDialect: SchemaDialect

    /// Creates settings.
    ///
    /// - Parameters:
    ///   - assertFormats: check `format` (off by default, as the specification says).
    ///   - validateSchema: check the schema against its meta-schema (on by default).
    ///   - defaultDialect: the dialect when `$schema` is absent (draft 2020-12 by default).
    public init(assertFormats: Bool = false, validateSchema: Bool = true, defaultDialect: SchemaDialect = .draft2020) {
        self.assertFormats = assertFormats
        self.validateSchema = validateSchema
        self.defaultDialect = defaultDialect
    }
}

/// The JSON Schema drafts the validator implements.
public enum SchemaDialect: String, Sendable, Hashable, CaseIterable {
    /// JSON Schema draft 2020-12.
    case draft2020 = "https://json-schema.org/draft/2020-12/schema"
    /// JSON Schema draft-07.
    case draft7 = "http://json-schema.org/draft-07/schema"

    var dialect: Dialect {
        switch self {
        case .draft2020: .draft2020
        case .draft7: .draft7
        }
    }
}

/// A compiled JSON Schema (draft 2020-12 or draft-07), ready to validate any number of instances from any
/// number of threads.
///
/// Compile once and reuse: compilation indexes `$id`s and anchors, resolves every `$ref` through the
/// ``SchemaRegistry`` (never the network), checks the schema against its meta-schema, and turns each
/// keyword into an evaluation step.
public struct JSONSchemaValidator: Sendable {
    let root: SchemaNode
    /// Every compiled node: references between nodes do not own their targets (they can loop), so the
    /// validator does.
    let graph: [SchemaNode]
    /// The same schema laid out for checking tapes (its root is schema 0).
    let program: TapeProgram
    private let tracksAnnotations: Bool
    private let usesDynamicScope: Bool
    /// The schema's absolute URI (its `$id`, or the URI it was compiled under).
    public let schemaURI: String

    /// Compiles a schema.
    ///
    /// - Parameters:
    ///   - schema: the schema document.
    ///   - uri: the URI the document was retrieved from (a `file:` URL for a local file), used as the base for
    ///     relative references when the schema has no `$id`.
    ///   - registry: where referenced documents come from.
    ///   - options: compilation settings.
    /// - Throws: ``SchemaError`` when the schema is malformed, is not a schema, or refers to something unknown.
    public init(
        schema: JSONValue,
        uri: String? = nil,
        registry: SchemaRegistry = .standard,
        options: ValidationOptions = ValidationOptions()
    ) throws {
        try self.init(schema: schema, uri: uri, registry: registry, options: options, defersPatternEngine: false)
    }

    /// Compiles `schema`; with `defersPatternEngine`, patterns only the regular-expression engine matches
    /// are compiled by it when first matched (``Pattern/init(_:deferringEngine:)``), for a schema embedded in
    /// the binary, whose patterns are known to compile.
    init(
        schema: JSONValue,
        uri: String?,
        registry: SchemaRegistry,
        options: ValidationOptions,
        defersPatternEngine: Bool
    ) throws {
        let retrievalURI = uri ?? (schema["$id"]?.stringValue).map(SchemaRegistry.normalize) ?? "urn:prompttrail:schema"
        if options.validateSchema {
            try Self.checkAgainstMetaSchema(schema, registry: registry, options: options, uri: retrievalURI)
        }
        let compiler = SchemaCompiler(
            registry: registry,
            assertFormats: options.assertFormats,
            defersPatternEngine: defersPatternEngine
        )
        root = try compiler.compileRoot(schema, uri: retrievalURI, defaultDialect: options.defaultDialect.dialect)
        graph = compiler.graph
        program = TapeProgram(root: root)
        tracksAnnotations = compiler.usesUnevaluated
        usesDynamicScope = compiler.usesDynamicReferences
        schemaURI = root.resource.uri
    }

    /// Compiles a bundled PromptTrail schema.
    ///
    /// - Parameters:
    ///   - bundled: the schema.
    ///   - options: compilation settings.
    /// - Throws: ``SchemaError`` when the schema cannot be compiled.
    public init(bundled: BundledSchema, options: ValidationOptions = ValidationOptions()) throws {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bundled.text)
        } catch {
            throw SchemaError.unreadable(source: bundled.path, cause: "\(error)")
        }
        try self.init(schema: document, uri: bundled.id, options: options)
    }

    /// Validates an instance, collecting every error with its locations.
    ///
    /// - Parameter instance: the JSON value to check.
    /// - Returns: the verdict and the errors.
    public func validate(_ instance: JSONValue) -> ValidationResult {
        var evaluator = Evaluator(collect: true, track: tracksAnnotations, scoped: usesDynamicScope)
        var annotations = Annotations()
        let valid = evaluator.evaluate(root, instance, &annotations)
        return ValidationResult(isValid: valid, errors: valid ? [] : evaluator.errors)
    }

    /// Whether an instance is valid; stops at the first failure and builds no error messages.
    ///
    /// - Parameter instance: the JSON value to check.
    /// - Returns: `true` when valid.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = Evaluator(collect: false, track: tracksAnnotations, scoped: usesDynamicScope)
        var annotations = Annotations()
        return evaluator.evaluate(root, instance, &annotations)
    }

    /// Whether a document parsed into a tape is valid: the verdict ``isValid(_:)-(JSONValue)`` gives its
    /// value, reached without building the value.
    ///
    /// - Parameter tape: the document.
    /// - Returns: `true` when valid.
    public func isValid(_ tape: JSONTape) -> Bool {
        guard !tape.nodes.isEmpty else { return false }
        return TapeView.with(tape) { view in
            withExtendedLifetime(program) {
                var evaluator = TapeEvaluator(
                    tape: view,
                    program: program,
                    track: program.tracksAnnotations,
                    scoped: usesDynamicScope
                )
                var annotations = Annotations()
                return evaluator.evaluate(0, 0, &annotations)
            }
        }
    }

    // MARK: Meta-schema check

    private static let metaValidators = Mutex<[String: JSONSchemaValidator]>([:])

    private static func checkAgainstMetaSchema(
        _ schema: JSONValue,
        registry: SchemaRegistry,
        options: ValidationOptions,
        uri: String
    ) throws {
        let metaURI = SchemaRegistry.normalize(schema["$schema"]?.stringValue ?? options.defaultDialect.rawValue)
        if case .object(let object) = schema, object["$schema"] != nil, object["$schema"]?.stringValue == nil {
            throw SchemaError.invalidKeyword(location: uri + "#/$schema", message: "$schema must be a string")
        }
        guard
            [MetaSchemas.draft2020, MetaSchemas.draft7].contains(metaURI)
                || (try? registry.document(at: metaURI)) != nil
        else {
            if metaURI.hasPrefix("https://json-schema.org/") || metaURI.hasPrefix("http://json-schema.org/") { return }
            throw SchemaError.unknownMetaSchema(uri: metaURI, location: uri + "#/$schema")
        }
        // An embedded meta-schema is compiled once per process, from the embedded copy (its patterns are known
        // to compile, so the engine starts only if one is matched); any other from the caller's registry.
        let embedded = try? SchemaRegistry.standard.document(at: metaURI)
        let cacheable = embedded != nil
        var validator = cacheable ? metaValidators.withLock { $0[metaURI] } : nil
        if validator == nil {
            guard let document = try embedded ?? registry.document(at: metaURI) else {
                throw SchemaError.unknownMetaSchema(uri: metaURI, location: uri + "#/$schema")
            }
            let compiled = try JSONSchemaValidator(
                schema: document,
                uri: metaURI,
                registry: cacheable ? .standard : registry,
                options: ValidationOptions(validateSchema: false),
                defersPatternEngine: cacheable
            )
            if cacheable { metaValidators.withLock { $0[metaURI] = compiled } }
            validator = compiled
        }
        guard let validator, !validator.isValid(schema) else { return }
        throw SchemaError.notASchema(metaSchema: metaURI, errors: validator.validate(schema).errors)
    }
}
