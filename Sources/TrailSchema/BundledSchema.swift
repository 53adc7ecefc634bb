/// A JSON Schema document shipped with PromptTrail, embedded in every binary.
///
/// The `schemas/` folder at the package root is the single source of truth; `scripts/embed-schemas.py`
/// regenerates the embedded copy, and a test proves the two are byte-identical.
public struct BundledSchema: Sendable, Hashable {
    /// The path below `schemas/`, e.g. `tuor/prompt-create-request.json`.
    public let path: String
    /// The schema's `$id`, e.g. `https://schemas.prompttrail.dev/tuor/prompt-create-request/v1.json`.
    public let id: String
    /// The document's exact text (UTF-8).
    public let text: String

    /// The short name used on the command line: the path without `.json`, e.g. `tuor/prompt-create-request`.
    public var name: String {
        path.hasSuffix(".json") ? String(path.dropLast(5)) : path
    }

    /// The group the schema belongs to: `tuor`, `tracia`, `prompttrail` or `meta`.
    public var group: String {
        path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    }

    /// Creates a bundled schema record.
    ///
    /// - Parameters:
    ///   - path: the path below `schemas/`.
    ///   - id: the `$id`.
    ///   - text: the document's text.
    public init(path: String, id: String, text: String) {
        self.path = path
        self.id = id
        self.text = text
    }
}

/// The registry of schemas bundled with PromptTrail.
public enum BundledSchemas {
    /// Every bundled schema, sorted by path.
    public static var all: [BundledSchema] { embedded }

    /// The schema with the given short name (`tuor/trace`) or path (`tuor/trace.json`).
    ///
    /// - Parameter name: a short name or path below `schemas/`.
    /// - Returns: the schema, or `nil` if none has that name.
    public static func named(_ name: String) -> BundledSchema? {
        embedded.first { $0.name == name || $0.path == name }
    }

    /// The schema whose `$id` is `id` (a trailing empty fragment `#` is ignored).
    ///
    /// - Parameter id: an absolute URI.
    /// - Returns: the schema, or `nil` if none has that `$id`.
    public static func withID(_ id: String) -> BundledSchema? {
        let id = id.hasSuffix("#") ? String(id.dropLast()) : id
        return embedded.first { $0.id == id }
    }
}
