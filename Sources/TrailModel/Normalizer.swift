public import TrailJSON

/// Turns upstream objects into PromptTrail records by the tables of docs/workspace-format.md.
///
/// Every normalized member is derived from the payload (and, for Tracia, the prompt that encloses a
/// version); the payload itself is kept verbatim as `source_payload`. A payload that cannot be normalized
/// or hashed is refused with the reasons, never dropped.
public enum Normalizer {
    // MARK: Tuor

    /// Normalizes a Tuor prompt version object (the `active` object or a `history` item).
    ///
    /// - Parameters:
    ///   - payload: the upstream object.
    ///   - projectID: the project it was listed under; a payload naming another project is refused.
    /// - Returns: the record, or the reasons it cannot be made.
    public static func tuorPromptVersion(
        _ payload: JSONValue,
        projectID: String
    ) -> Result<PromptVersionRecord, RecordRefusal> {
        guard let object = payload.objectValue else { return .failure(RecordRefusal(at: "", "not an object")) }
        guard let id = nonEmptyString(object["id"]) else { return .failure(RecordRefusal(at: "/id", "no id")) }
        guard object["project_id"]?.stringValue == projectID else {
            return .failure(RecordRefusal(at: "/project_id", "the version belongs to another project"))
        }
        guard let version = object["version"]?.int64Value, version >= 1 else {
            return .failure(RecordRefusal(at: "/version", "no version number"))
        }
        guard let createdText = object["created_at"]?.stringValue, let created = Timestamp(createdText) else {
            return .failure(RecordRefusal(at: "/created_at", "no RFC 3339 created_at"))
        }
        guard let content = object["content"]?.stringValue else {
            return .failure(RecordRefusal(at: "/content", "content is not a string"))
        }
        let bytes = Array(content.utf8)
        let members: [(String, JSONValue)] = [
            ("record_type", "prompt_version"),
            ("format_version", 1),
            ("source", .string(Source.tuor.rawValue)),
            ("project_id", .string(projectID)),
            ("prompt_version_id", .string(id)),
            ("prompt_key", .null),
            ("version", .number(JSONNumber(version))),
            ("is_active", object["is_active"] ?? .null),
            ("parent_id", object["parent_id"] ?? .null),
            ("created_at", .string(createdText)),
            ("created_by", object["created_by"] ?? .null),
            ("origin", object["source"] ?? .null),
            ("rationale", object["rationale"] ?? .null),
            ("content", .string(content)),
            ("content_sha256", .string(ContentHash.sha256Hex(bytes))),
            ("content_bytes", .number(JSONNumber(bytes.count))),
            ("model", .null),
            ("provider", .null),
            ("temperature", .null),
            ("top_p", .null),
            ("max_output_tokens", .null),
            ("source_payload", payload),
        ]
        return .success(
            PromptVersionRecord(
                projectID: projectID,
                id: id,
                key: nil,
                version: version,
                createdAt: created,
                json: .object(JSONObject(members))
            )
        )
    }

    /// Normalizes a Tuor trace object (an export line or a list item).
    ///
    /// - Parameters:
    ///   - payload: the upstream object.
    ///   - projectID: the project it was pulled for; a payload naming another project is refused.
    /// - Returns: the record, or the reasons it cannot be made.
    public static func tuorTrace(_ payload: JSONValue, projectID: String) -> Result<TraceRecord, RecordRefusal> {
        guard let object = payload.objectValue else { return .failure(RecordRefusal(at: "", "not an object")) }
        guard let id = nonEmptyString(object["id"]) else { return .failure(RecordRefusal(at: "/id", "no id")) }
        guard object["project_id"]?.stringValue == projectID else {
            return .failure(RecordRefusal(at: "/project_id", "the trace belongs to another project"))
        }
        guard let createdText = object["created_at"]?.stringValue, let created = Timestamp(createdText) else {
            return .failure(RecordRefusal(at: "/created_at", "no RFC 3339 created_at"))
        }
        var updated: Timestamp?
        let updatedValue = object["updated_at"] ?? .null
        if let updatedText = updatedValue.stringValue {
            guard let parsed = Timestamp(updatedText) else {
                return .failure(RecordRefusal(at: "/updated_at", "updated_at is not RFC 3339"))
            }
            updated = parsed
        }
        let modelOutput = object["model_output"] ?? .null
        let hash: String
        switch ContentHash.canonical(modelOutput, at: "/model_output") {
        case .success(let digest): hash = digest.sha256
        case .failure(let refusal): return .failure(refusal)
        }
        let config = object["trace_config"]?.objectValue
        let members: [(String, JSONValue)] = [
            ("record_type", "trace"),
            ("format_version", 1),
            ("source", .string(Source.tuor.rawValue)),
            ("project_id", .string(projectID)),
            ("trace_id", .string(id)),
            ("created_at", .string(createdText)),
            ("updated_at", updatedValue),
            ("status", object["status"] ?? .null),
            ("model", config?["model"] ?? .null),
            ("prompt_version_id", config?["prompt_version_id"] ?? .null),
            ("prompt_version", .null),
            ("internal_run_id", config?["internal_run_id"] ?? .null),
            ("tags", object["tags"] ?? .array([])),
            ("model_input", object["model_input"] ?? .null),
            ("model_output", modelOutput),
            ("corrected_output", object["corrected_output"] ?? .null),
            ("final_output", object["final_output"] ?? .null),
            ("output_sha256", .string(hash)),
            ("source_payload", payload),
        ]
        return .success(
            TraceRecord(
                projectID: projectID,
                id: id,
                createdAt: created,
                updatedAt: updated,
                json: .object(JSONObject(members))
            )
        )
    }

    // MARK: Tracia

    /// Normalizes every version of a Tracia prompt object (`GET /prompts/{slug}`).
    ///
    /// Tracia's API serves only the current version. A prompt object yields that version, with the prompt
    /// object as the payload; its `created_at` is the prompt's `createdAt` for version 1 and its
    /// `updatedAt` otherwise (the version existed by then). The Python SDK also models a `versions` array
    /// (the emulator serves it with `--tracia-versions`); when present, each of its `PromptVersion` objects
    /// becomes a version, kept as its own `source_payload`. `prompt_version_id` is `<prompt id>@<version>`.
    ///
    /// - Parameters:
    ///   - prompt: the prompt object.
    ///   - projectID: the workspace project the account is mirrored into.
    /// - Returns: one result per version, or a single refusal when the prompt itself is unusable.
    public static func traciaPromptVersions(
        _ prompt: JSONValue,
        projectID: String
    ) -> [Result<PromptVersionRecord, RecordRefusal>] {
        guard let object = prompt.objectValue else { return [.failure(RecordRefusal(at: "", "not an object"))] }
        guard let promptID = nonEmptyString(object["id"]) else {
            return [.failure(RecordRefusal(at: "/id", "no prompt id"))]
        }
        guard let slug = nonEmptyString(object["slug"]) else {
            return [.failure(RecordRefusal(at: "/slug", "no slug"))]
        }
        guard let current = object["currentVersion"]?.int64Value else {
            return [.failure(RecordRefusal(at: "/currentVersion", "no current version"))]
        }
        if let versions = object["versions"]?.arrayValue {
            return versions.map { version in
                traciaVersion(version, promptID: promptID, slug: slug, current: current, projectID: projectID)
            }
        }
        var fallback = JSONObject()
        fallback["version"] = .number(JSONNumber(current))
        fallback["messages"] = object["content"] ?? .null
        for key in ["model", "provider", "temperature", "topP", "maxOutputTokens"] {
            if let value = object[key] { fallback[key] = value }
        }
        // Tracia serves no version objects, so a version's creation time is not known. Version 1 was made
        // with the prompt (`createdAt`); a later one existed by the prompt's `updatedAt` when PromptTrail
        // first observed it. The workspace keeps that first observation and never rewrites it.
        fallback["createdAt"] = (current == 1 ? object["createdAt"] : nil) ?? object["updatedAt"] ?? .null
        return [
            traciaVersion(
                .object(fallback),
                promptID: promptID,
                slug: slug,
                current: current,
                projectID: projectID,
                payload: prompt
            )
        ]
    }

    static func traciaVersion(
        _ version: JSONValue,
        promptID: String,
        slug: String,
        current: Int64,
        projectID: String,
        payload: JSONValue? = nil
    ) -> Result<PromptVersionRecord, RecordRefusal> {
        guard let object = version.objectValue else { return .failure(RecordRefusal(at: "", "not an object")) }
        guard let number = object["version"]?.int64Value, number >= 1 else {
            return .failure(RecordRefusal(at: "/version", "no version number"))
        }
        guard let createdText = object["createdAt"]?.stringValue, let created = Timestamp(createdText) else {
            return .failure(RecordRefusal(at: "/createdAt", "no RFC 3339 createdAt"))
        }
        let messages = object["messages"] ?? .null
        guard messages.arrayValue != nil else {
            return .failure(RecordRefusal(at: "/messages", "messages is not an array"))
        }
        let digest: (sha256: String, bytes: Int)
        switch ContentHash.canonical(messages, at: "/messages") {
        case .success(let value): digest = value
        case .failure(let refusal): return .failure(refusal)
        }
        let id = promptVersionID(promptID: promptID, version: number)
        let members: [(String, JSONValue)] = [
            ("record_type", "prompt_version"),
            ("format_version", 1),
            ("source", .string(Source.tracia.rawValue)),
            ("project_id", .string(projectID)),
            ("prompt_version_id", .string(id)),
            ("prompt_key", .string(slug)),
            ("version", .number(JSONNumber(number))),
            ("is_active", .bool(number == current)),
            ("parent_id", .null),
            ("created_at", .string(createdText)),
            ("created_by", .null),
            ("origin", .null),
            ("rationale", .null),
            ("content", messages),
            ("content_sha256", .string(digest.sha256)),
            ("content_bytes", .number(JSONNumber(digest.bytes))),
            ("model", object["model"] ?? .null),
            ("provider", object["provider"] ?? .null),
            ("temperature", object["temperature"] ?? .null),
            ("top_p", object["topP"] ?? .null),
            ("max_output_tokens", object["maxOutputTokens"] ?? .null),
            ("source_payload", payload ?? version),
        ]
        return .success(
            PromptVersionRecord(
                projectID: projectID,
                id: id,
                key: slug,
                version: number,
                createdAt: created,
                json: .object(JSONObject(members))
            )
        )
    }

    /// Tracia's version id: `<prompt id>@<version>` (Tracia has no per-version id).
    ///
    /// - Parameters:
    ///   - promptID: the prompt's `id`.
    ///   - version: the version number.
    /// - Returns: e.g. `clx1abc123@4`.
    public static func promptVersionID(promptID: String, version: Int64) -> String {
        promptID + "@" + String(version)
    }

    /// Normalizes a full Tracia span (`GET /spans/{spanId}`).
    ///
    /// - Parameters:
    ///   - payload: the span object.
    ///   - projectID: the workspace project the account is mirrored into.
    ///   - promptIDs: prompt ids by slug, to link the span to `<prompt id>@<promptVersion>`; a span whose
    ///     slug is not among them keeps `prompt_version` but gets a null `prompt_version_id`.
    /// - Returns: the record, or the reasons it cannot be made.
    public static func traciaSpan(
        _ payload: JSONValue,
        projectID: String,
        promptIDs: [String: String]
    ) -> Result<TraceRecord, RecordRefusal> {
        guard let object = payload.objectValue else { return .failure(RecordRefusal(at: "", "not an object")) }
        guard let id = nonEmptyString(object["spanId"]) else {
            return .failure(RecordRefusal(at: "/spanId", "no span id"))
        }
        guard let createdText = object["createdAt"]?.stringValue, let created = Timestamp(createdText) else {
            return .failure(RecordRefusal(at: "/createdAt", "no RFC 3339 createdAt"))
        }
        let output = object["output"] ?? .null
        let hash: String
        switch ContentHash.canonical(output, at: "/output") {
        case .success(let digest): hash = digest.sha256
        case .failure(let refusal): return .failure(refusal)
        }
        let promptVersion = object["promptVersion"] ?? .null
        var versionID = JSONValue.null
        if let slug = object["promptSlug"]?.stringValue, let number = promptVersion.int64Value,
            let promptID = promptIDs[slug]
        {
            versionID = .string(promptVersionID(promptID: promptID, version: number))
        }
        let members: [(String, JSONValue)] = [
            ("record_type", "trace"),
            ("format_version", 1),
            ("source", .string(Source.tracia.rawValue)),
            ("project_id", .string(projectID)),
            ("trace_id", .string(id)),
            ("created_at", .string(createdText)),
            ("updated_at", .null),
            ("status", object["status"] ?? .null),
            ("model", object["model"] ?? .null),
            ("prompt_version_id", versionID),
            ("prompt_version", promptVersion),
            ("internal_run_id", .null),
            ("tags", object["tags"] ?? .array([])),
            ("model_input", object["input"] ?? .null),
            ("model_output", output),
            ("corrected_output", .null),
            ("final_output", .null),
            ("output_sha256", .string(hash)),
            ("source_payload", payload),
        ]
        return .success(
            TraceRecord(
                projectID: projectID,
                id: id,
                createdAt: created,
                updatedAt: nil,
                json: .object(JSONObject(members))
            )
        )
    }

    static func nonEmptyString(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return text
    }
}
