/// A Tuor project: created by seeding or generation (Tuor creates projects in its Console only).
package struct TuorProject: Sendable, Hashable {
    /// `proj_…`.
    package var id: String
    /// The owning organization, echoed as `org_id` on prompt versions.
    package var orgID: String

    /// Creates a project value.
    ///
    /// - Parameters:
    ///   - id: the project id.
    ///   - orgID: the organization id.
    package init(id: String, orgID: String) {
        self.id = id
        self.orgID = orgID
    }
}

/// One saved version of a Tuor project's prompt (`tuor/prompt-version` without `is_active`, which
/// depends on the versions saved after it).
package struct TuorPromptVersion: Sendable, Hashable {
    package var id: String
    package var projectID: String
    package var orgID: String?
    package var version: Int
    package var content: String
    /// `manual` or `refinement` (the emulator's values); seeded data may carry others.
    package var source: String
    package var parentID: String?
    package var rationale: String?
    package var lineageEventIDs: [String]?
    package var createdAt: VerbatimTimestamp
    package var createdBy: String?

    /// The wire object.
    ///
    /// - Parameter isActive: whether this is the project's active version.
    /// - Returns: the serialized `tuor/prompt-version` object.
    func rendered(isActive: Bool) -> String {
        var writer = JSONWriter(capacity: content.utf8.count + 256)
        render(into: &writer, isActive: isActive)
        return writer.output
    }

    func render(into writer: inout JSONWriter, isActive: Bool) {
        writer.beginObject()
        writer.field("id", id)
        writer.field("project_id", projectID)
        writer.field("org_id", orgID)
        writer.key("version")
        writer.int(version)
        writer.field("content", content)
        writer.field("source", source)
        writer.key("is_active")
        writer.bool(isActive)
        writer.field("parent_id", parentID)
        writer.field("rationale", rationale)
        writer.key("lineage_event_ids")
        if let lineageEventIDs {
            writer.beginArray()
            for id in lineageEventIDs { writer.string(id) }
            writer.endArray()
        } else {
            writer.raw("null")
        }
        writer.field("created_at", createdAt.text)
        writer.field("created_by", createdBy)
        writer.endObject()
    }
}

/// A Tuor trace's review state.
package enum TuorTraceStatus: String, Sendable, CaseIterable {
    case pending, approved, rejected, corrected

    /// Whether the trace has a verdict (the export's "reviewed" set).
    package var isReviewed: Bool { self != .pending }
}

/// A Tuor trace, stored with its payloads as serialized JSON.
package struct TuorTrace: Sendable, Hashable {
    package var id: String
    package var projectID: String
    package var status: TuorTraceStatus
    package var modelInput: JSONText
    package var modelOutput: JSONText
    package var traceConfig: JSONText?
    package var correctedOutput: JSONText?
    package var tags: [String]
    package var createdAt: VerbatimTimestamp
    package var updatedAt: VerbatimTimestamp
    package var reviewedAt: VerbatimTimestamp?
    /// `trace_config.prompt_version_id`, kept beside the payload for refinement queries.
    package var promptVersionID: String?

    /// What downstream should trust: `model_output` if approved, `corrected_output` if corrected.
    package var finalOutput: JSONText? {
        switch status {
        case .approved: return modelOutput
        case .corrected: return correctedOutput
        case .pending, .rejected: return nil
        }
    }

    /// The `tuor/trace` object.
    func rendered() -> String {
        var writer = JSONWriter(
            capacity: modelInput.text.utf8.count + modelOutput.text.utf8.count
                + (traceConfig?.text.utf8.count ?? 0) * 1 + (correctedOutput?.text.utf8.count ?? 0) * 2 + 320
        )
        writer.beginObject()
        writer.field("id", id)
        writer.field("project_id", projectID)
        writer.field("status", status.rawValue)
        writer.key("model_input")
        writer.json(modelInput)
        writer.key("model_output")
        writer.json(modelOutput)
        // Sent without trace_config, a trace is served without it, as it was ingested.
        if let traceConfig {
            writer.key("trace_config")
            writer.json(traceConfig)
        }
        writer.key("corrected_output")
        writer.json(correctedOutput)
        writer.key("final_output")
        writer.json(finalOutput)
        writer.key("tags")
        writer.beginArray()
        for tag in tags { writer.string(tag) }
        writer.endArray()
        writer.field("created_at", createdAt.text)
        writer.field("updated_at", updatedAt.text)
        writer.field("reviewed_at", reviewedAt?.text)
        writer.endObject()
        return writer.output
    }
}

/// A Tuor tag (`tuor/tag`).
package struct TuorTag: Sendable, Hashable {
    /// `tag_…`.
    package var id: String
    /// Display name.
    package var name: String

    /// Creates a tag.
    package init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// The `tuor/tag` object.
    func rendered() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("id", id)
        writer.field("name", name)
        writer.endObject()
        return writer.output
    }
}

/// A refinement suggestion made by `POST /v1/projects/{id}/prompts/refine`.
package struct RefinementSuggestion: Sendable, Hashable {
    package var id: String
    package var projectID: String
    package var parentID: String
    package var content: String
    package var rationale: String
    package var basedOnTraceIDs: [String]
    package var createdAt: VerbatimTimestamp
    package var accepted: Bool

    /// The `tuor/refine-response` object.
    func rendered() -> String {
        var writer = JSONWriter(capacity: content.utf8.count + 256)
        writer.beginObject()
        writer.field("suggestion_id", id)
        writer.field("content", content)
        writer.field("rationale", rationale)
        writer.key("based_on_trace_ids")
        writer.beginArray()
        for id in basedOnTraceIDs { writer.string(id) }
        writer.endArray()
        writer.field("parent_id", parentID)
        writer.field("created_at", createdAt.text)
        writer.endObject()
        return writer.output
    }
}
