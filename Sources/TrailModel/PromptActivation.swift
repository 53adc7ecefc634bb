public import TrailJSON

/// Which version of a prompt the upstream called active (Tuor's `is_active`) or current (Tracia's
/// `currentVersion`) when a pull looked: one line of `activations/<project_id>.jsonl` once stamped with
/// the observation time (docs/workspace-format.md).
public struct PromptActivation: Sendable, Hashable {
    /// Tracia: the prompt's `id`. Tuor: `nil` (a project has one prompt history).
    public var promptID: String?
    /// Tracia: the prompt's slug at this observation. Tuor: `nil`.
    public var promptKey: String?
    /// The active or current version's `prompt_version_id`; `nil` when there is none (a Tuor project with
    /// no saved prompt, or a prompt no longer listed).
    public var promptVersionID: String?
    /// The active or current version's number.
    public var version: Int64?
    /// Tracia: the prompt's `updatedAt`. Tuor: `nil`.
    public var upstreamUpdatedAt: String?
    /// Tracia: the prompt's metadata at this observation (the prompt object without `content` and
    /// `versions`). Tuor: `.null`.
    public var metadata: JSONValue

    /// Creates an activation.
    ///
    /// - Parameters:
    ///   - promptID: the prompt id (Tracia).
    ///   - promptKey: the slug (Tracia).
    ///   - promptVersionID: the active version's id.
    ///   - version: its number.
    ///   - upstreamUpdatedAt: the prompt's `updatedAt` (Tracia).
    ///   - metadata: the prompt's metadata (Tracia).
    public init(
        promptID: String?,
        promptKey: String?,
        promptVersionID: String?,
        version: Int64?,
        upstreamUpdatedAt: String? = nil,
        metadata: JSONValue = .null
    ) {
        self.promptID = promptID
        self.promptKey = promptKey
        self.promptVersionID = promptVersionID
        self.version = version
        self.upstreamUpdatedAt = upstreamUpdatedAt
        self.metadata = metadata
    }

    /// The prompt this activation is about: the Tracia prompt id, or `""` for a Tuor project's one history.
    public var promptIdentity: String { promptID ?? "" }

    /// The activation of a Tracia prompt object (`GET /prompts/{slug}`), or `nil` when it has no id.
    ///
    /// - Parameter prompt: the prompt object.
    /// - Returns: the activation.
    public static func tracia(_ prompt: JSONValue) -> PromptActivation? {
        guard let object = prompt.objectValue, let id = object["id"]?.stringValue, !id.isEmpty else { return nil }
        let current = object["currentVersion"]?.int64Value
        var metadata = JSONObject()
        for (key, value) in object where key != "content" && key != "versions" { metadata[key] = value }
        return PromptActivation(
            promptID: id,
            promptKey: object["slug"]?.stringValue,
            promptVersionID: current.map { Normalizer.promptVersionID(promptID: id, version: $0) },
            version: current,
            upstreamUpdatedAt: object["updatedAt"]?.stringValue,
            metadata: .object(metadata)
        )
    }

    /// The same prompt, no longer listed by the upstream.
    public var gone: PromptActivation {
        PromptActivation(promptID: promptID, promptKey: promptKey, promptVersionID: nil, version: nil)
    }

    /// Whether `other` says the same thing about the prompt (version, slug and metadata), whatever the time.
    ///
    /// - Parameter other: another observation of the same prompt.
    /// - Returns: `true` when nothing changed.
    public func isSameState(as other: PromptActivation) -> Bool {
        promptVersionID == other.promptVersionID && promptKey == other.promptKey && metadata == other.metadata
    }

    /// The `prompttrail/activation` record for this observation.
    ///
    /// - Parameters:
    ///   - source: the platform.
    ///   - projectID: the workspace project.
    ///   - observedAt: when this pull observed it.
    ///   - previouslyObservedAt: when the pull before it observed the project's prompts (the change, if
    ///     any, happened after that), or `nil` for the first observation.
    /// - Returns: the record.
    public func record(
        source: Source,
        projectID: String,
        observedAt: String,
        previouslyObservedAt: String?
    ) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        return .object(
            JSONObject([
                ("record_type", "prompt_activation"),
                ("format_version", 1),
                ("source", .string(source.rawValue)),
                ("project_id", .string(projectID)),
                ("prompt_id", text(promptID)),
                ("prompt_key", text(promptKey)),
                ("prompt_version_id", text(promptVersionID)),
                ("version", version.map { .number(JSONNumber($0)) } ?? .null),
                ("observed_at", .string(observedAt)),
                ("previously_observed_at", text(previouslyObservedAt)),
                ("upstream_updated_at", text(upstreamUpdatedAt)),
                ("metadata", metadata),
            ])
        )
    }

    /// Reads a stored `prompttrail/activation` line back; `nil` when it is not one.
    ///
    /// - Parameter json: a parsed line.
    public init?(stored json: JSONValue) {
        guard json["record_type"]?.stringValue == "prompt_activation" else { return nil }
        self.init(
            promptID: json["prompt_id"]?.stringValue,
            promptKey: json["prompt_key"]?.stringValue,
            promptVersionID: json["prompt_version_id"]?.stringValue,
            version: json["version"]?.int64Value,
            upstreamUpdatedAt: json["upstream_updated_at"]?.stringValue,
            metadata: json["metadata"] ?? .null
        )
    }
}
