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
