import Synchronization
public import TrailJSON

/// The schema documents a validator may reference, by absolute URI, plus an optional loader for others.
///
/// ``standard`` holds the JSON Schema meta-schemas (draft 2020-12 and its vocabularies, draft-07) and every
/// bundled PromptTrail schema. Nothing is ever fetched over the network: a reference that neither the
/// documents nor the loader can supply is a ``SchemaError/unresolvableReference(reference:location:)``. Local
/// files are read only through a loader that ``LocalSchemaFiles`` makes, with its limits.
public struct SchemaRegistry: Sendable {
    /// A function that supplies the document at an absolute URI (without fragment), or `nil` if it has none.
    public typealias Loader = @Sendable (String) throws -> JSONValue?

    private var documents: [String: JSONValue]
    private var loaders: [Loader]

    /// Creates a registry.
    ///
    /// - Parameters:
    ///   - documents: documents by absolute URI (a trailing empty fragment is ignored).
    ///   - loader: consulted, after `documents`, for any other URI.
    public init(documents: [String: JSONValue] = [:], loader: Loader? = nil) {
        self.documents = [:]
        self.loaders = loader.map { [$0] } ?? []
        for (uri, document) in documents { self.documents[Self.normalize(uri)] = document }
    }

    /// The meta-schemas and the bundled PromptTrail schemas, each parsed when first looked up
    /// (``EmbeddedDocuments``): a process that checks one schema parses only what that schema references.
    public static let standard: SchemaRegistry = {
        var registry = SchemaRegistry()
        registry.loaders.append { EmbeddedDocuments.shared.document(at: $0) }
        return registry
    }()

    /// The registry with one more document.
    ///
    /// - Parameters:
    ///   - document: the schema document.
    ///   - uri: its absolute URI.
    /// - Returns: the extended registry.
    public func adding(_ document: JSONValue, uri: String) -> SchemaRegistry {
        var copy = self
        copy.documents[Self.normalize(uri)] = document
        return copy
    }

    /// The registry with one more loader, consulted after the existing ones.
    ///
    /// - Parameter loader: the loader.
    /// - Returns: the extended registry.
    public func adding(loader: @escaping Loader) -> SchemaRegistry {
        var copy = self
        copy.loaders.append(loader)
        return copy
    }

    /// The document at `uri`.
    ///
    /// - Parameter uri: an absolute URI (any fragment is ignored).
    /// - Returns: the document, or `nil` when none is known.
    /// - Throws: ``SchemaError/unreadable(source:cause:)`` when a loader fails.
    public func document(at uri: String) throws -> JSONValue? {
        let key = Self.normalize(uri)
        if let document = documents[key] { return document }
        for loader in loaders {
            do {
                if let document = try loader(key) { return document }
            } catch let error as SchemaError {
                throw error
            } catch {
                throw SchemaError.unreadable(source: key, cause: "\(error)")
            }
        }
        return nil
    }

    static func normalize(_ uri: String) -> String {
        URIReference.split(uri).base
    }
}

/// The JSON Schema meta-schemas (their texts are in `embedded`).
enum MetaSchemas {
    static let draft2020 = "https://json-schema.org/draft/2020-12/schema"
    static let draft7 = "http://json-schema.org/draft-07/schema"
}

/// The embedded meta-schemas and bundled schemas by normalized URI, each parsed once, when first asked for.
final class EmbeddedDocuments: Sendable {
    static let shared = EmbeddedDocuments()

    private let parsed = Mutex<[String: JSONValue]>([:])

    private init() {}

    /// The document at the normalized URI `uri`, `nil` when none is embedded there (or its text is not JSON).
    func document(at uri: String) -> JSONValue? {
        if let document = parsed.withLock({ $0[uri] }) { return document }
        let text = MetaSchemas.embedded.first { $0.uri == uri }?.text ?? BundledSchemas.withID(uri)?.text
        guard let text, let document = try? JSONValue(parsing: text) else { return nil }
        parsed.withLock { $0[uri] = document }
        return document
    }
}
