/// Filters of Tuor's `GET /v1/traces/` and `GET /v1/traces/export`.
package struct TraceQuery: Sendable, Hashable {
    /// `project_id`.
    package var projectID: String?
    /// `status` (any of these).
    package var statuses: Set<TuorTraceStatus> = []
    /// `tag`: the trace carries this tag id.
    package var tag: String?
    /// `updated_since` / `since`: `updated_at` ≥ this instant (microseconds), inclusive.
    package var updatedSince: Int64?
    /// `until`: `updated_at` < this instant (microseconds), exclusive.
    package var updatedUntil: Int64?

    /// Creates a query that matches every trace.
    package init() {}
}

/// Filters of Tracia's `GET /spans`.
package struct SpanQuery: Sendable, Hashable {
    package var promptSlug: String?
    package var status: String?
    /// `startDate`: `createdAt` ≥ this instant (microseconds), inclusive.
    package var startDate: Int64?
    /// `endDate`: `createdAt` < this instant (microseconds), exclusive.
    package var endDate: Int64?
    package var userID: String?
    package var sessionID: String?
    /// `tags`: the span carries every one of these.
    package var tags: [String] = []

    /// Creates a query that matches every span.
    package init() {}
}

/// A change to a Tracia prompt (`PUT /prompts/{slug}`); `nil` leaves a field as it is.
package struct TraciaPromptChange: Sendable, Hashable {
    package var name: String?
    package var slug: String?
    /// `""` clears the description.
    package var description: String?
    package var content: [TraciaMessage]?

    /// Creates an empty change.
    package init() {}
}

/// The outcome of a store operation that can conflict or miss.
package enum StoreOutcome<Value: Sendable>: Sendable {
    case ok(Value)
    case notFound
    case conflict(String)
}

/// Where the emulator keeps its state. ``SQLiteStore`` is the implementation; the protocol keeps the
/// routes independent of SQL and lets tests swap the store.
///
/// Every method is atomic: a read sees no half-applied write, and version numbers never repeat.
package protocol TrailStore: Sendable {
    // MARK: Tuor

    /// Adds a project (no-op if it exists).
    func addProject(_ project: TuorProject) async throws
    /// The project with this id.
    func project(id: String) async throws -> TuorProject?
    /// Every project, by id.
    func projects() async throws -> [TuorProject]

    /// A project's prompt versions, oldest first.
    func promptVersions(projectID: String) async throws -> [TuorPromptVersion]
    /// Stores a version exactly as given (seeding).
    func insertPromptVersion(_ version: TuorPromptVersion) async throws
    /// Appends a new active version: number = previous + 1, parent = the previously active version
    /// unless `parentID` is given.
    func appendPromptVersion(
        projectID: String,
        id: String,
        content: String,
        source: String,
        parentID: String?,
        rationale: String?,
        lineageEventIDs: [String]?,
        createdBy: String?,
        at time: VerbatimTimestamp
    ) async throws -> TuorPromptVersion

    /// Stores a new trace (or replaces one with the same id).
    func putTrace(_ trace: TuorTrace) async throws
    /// Stores many traces in one transaction (seeding and generated data), as ``putTrace(_:)`` would
    /// one by one.
    func putTraces(_ traces: [TuorTrace]) async throws
    /// One trace.
    func trace(id: String) async throws -> TuorTrace?
    /// The serialized `tuor/trace` of one trace.
    func traceBody(id: String) async throws -> String?
    /// Up to `limit` serialized traces matching `query`, ordered by `(updated_at, id)`, after `cursor`.
    func traceBodies(
        matching query: TraceQuery,
        after cursor: PageCursor?,
        limit: Int
    ) async throws -> [(
        cursor: PageCursor, body: String
    )]
    /// Reviewed traces linked to a prompt version, most recently updated first.
    func reviewedTraces(promptVersionID: String, limit: Int) async throws -> [TuorTrace]

    /// Every tag, by id.
    func tags() async throws -> [TuorTag]
    /// Adds a tag (no-op if it exists).
    func addTag(_ tag: TuorTag) async throws

    /// Stores a refinement suggestion.
    func putSuggestion(_ suggestion: RefinementSuggestion) async throws
    /// One suggestion.
    func suggestion(id: String) async throws -> RefinementSuggestion?

    // MARK: Tracia

    /// Every prompt with its current content, by slug.
    func traciaPrompts() async throws -> [TraciaPrompt]
    /// One prompt with its versions, newest first.
    func traciaPrompt(slug: String) async throws -> (prompt: TraciaPrompt, versions: [TraciaPromptVersion])?
    /// Creates a prompt at version 1; `.conflict` when the slug exists.
    func createTraciaPrompt(
        _ prompt: TraciaPrompt,
        content: [TraciaMessage]
    ) async throws -> StoreOutcome<
        TraciaPrompt
    >
    /// Stores a prompt and all its versions exactly as given (seeding).
    func insertTraciaPrompt(_ prompt: TraciaPrompt, versions: [TraciaPromptVersion]) async throws
    /// Applies a change; a new version is made only when the content differs from the current one.
    func updateTraciaPrompt(
        slug: String,
        change: TraciaPromptChange,
        at time: VerbatimTimestamp
    ) async throws
        -> StoreOutcome<TraciaPrompt>
    /// Deletes a prompt and its versions; `false` when there was none.
    func deleteTraciaPrompt(slug: String) async throws -> Bool

    /// Stores a span.
    func putSpan(_ span: TraciaSpan) async throws
    /// Stores many spans in one transaction (seeding and generated data).
    func putSpans(_ spans: [TraciaSpan]) async throws
    /// One span.
    func span(spanID: String) async throws -> TraciaSpan?
    /// Up to `limit` spans matching `query`, newest first (`createdAt` descending, then `spanId`), after `cursor`.
    func spans(matching query: SpanQuery, after cursor: PageCursor?, limit: Int) async throws -> [TraciaSpan]
}
