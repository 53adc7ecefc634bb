import GRDB

extension SQLiteStore {
    // MARK: Tracia prompts

    /// Every prompt with its current content, by slug.
    package func traciaPrompts() async throws -> [TraciaPrompt] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tracia_prompt ORDER BY slug").map(Self.traciaPrompt)
        }
    }

    /// One prompt with its versions, newest first.
    package func traciaPrompt(slug: String) async throws -> (prompt: TraciaPrompt, versions: [TraciaPromptVersion])? {
        try await database.read { db in try Self.traciaPrompt(slug: slug, db) }
    }

    private static func traciaPrompt(
        slug: String,
        _ db: Database
    ) throws -> (
        prompt: TraciaPrompt, versions: [TraciaPromptVersion]
    )? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tracia_prompt WHERE slug = ?", arguments: [slug])
        else { return nil }
        let prompt = try traciaPrompt(row)
        let versions = try Row.fetchAll(
            db,
            sql: "SELECT * FROM tracia_version WHERE prompt_id = ? ORDER BY version DESC",
            arguments: [prompt.id]
        ).map(traciaVersion)
        return (prompt, versions)
    }

    /// Creates a prompt at version 1; `.conflict` when the slug exists.
    package func createTraciaPrompt(
        _ prompt: TraciaPrompt,
        content: [TraciaMessage]
    ) async throws -> StoreOutcome<
        TraciaPrompt
    > {
        let messages = StoredJSON.text(content)
        return try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM tracia_prompt WHERE slug = ?", arguments: [prompt.slug])
                ?? false
            {
                return .conflict("Prompt with slug already exists: \(prompt.slug)")
            }
            try Self.insert(prompt, db)
            try db.execute(
                sql: """
                    INSERT INTO tracia_version (prompt_id, version, messages, model, provider, temperature, created_at)
                    VALUES (?, 1, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    prompt.id, messages, prompt.model, prompt.provider, prompt.temperature, prompt.createdAt.text,
                ]
            )
            return .ok(prompt)
        }
    }

    /// Stores a prompt and all its versions exactly as given (seeding).
    package func insertTraciaPrompt(_ prompt: TraciaPrompt, versions: [TraciaPromptVersion]) async throws {
        let encoded = versions.map { StoredJSON.text($0.messages) }
        try await database.write { db in
            try Self.insert(prompt, db)
            for (version, messages) in zip(versions, encoded) {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO tracia_version (prompt_id, version, messages, model, provider,
                            temperature, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        prompt.id, version.version, messages, version.model, version.provider, version.temperature,
                        version.createdAt.text,
                    ]
                )
            }
        }
    }

    /// Applies a change; a new version is made only when the content differs from the current one.
    package func updateTraciaPrompt(
        slug: String,
        change: TraciaPromptChange,
        at time: VerbatimTimestamp
    ) async throws
        -> StoreOutcome<TraciaPrompt>
    {
        let newMessages = change.content.map { StoredJSON.text($0) }
        return try await database.write { db in
            guard let (current, versions) = try Self.traciaPrompt(slug: slug, db) else { return .notFound }
            var prompt = current
            if let newSlug = change.slug, newSlug != slug {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM tracia_prompt WHERE slug = ?", arguments: [newSlug])
                    ?? false
                {
                    return .conflict("Prompt with slug already exists: \(newSlug)")
                }
                prompt.slug = newSlug
            }
            if let name = change.name { prompt.name = name }
            if let description = change.description { prompt.description = description.isEmpty ? nil : description }
            if let content = change.content, let newMessages, content != versions.first?.messages {
                prompt.currentVersion += 1
                try db.execute(
                    sql: """
                        INSERT INTO tracia_version (prompt_id, version, messages, model, provider, temperature,
                            created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        prompt.id, prompt.currentVersion, newMessages, prompt.model, prompt.provider,
                        prompt.temperature, time.text,
                    ]
                )
            }
            if prompt != current {
                prompt.updatedAt = time
                try Self.insert(prompt, db)
            }
            return .ok(prompt)
        }
    }

    /// Deletes a prompt and its versions; `false` when there was none.
    package func deleteTraciaPrompt(slug: String) async throws -> Bool {
        try await database.write { db in
            guard
                let id = try String.fetchOne(db, sql: "SELECT id FROM tracia_prompt WHERE slug = ?", arguments: [slug])
            else { return false }
            try db.execute(sql: "DELETE FROM tracia_version WHERE prompt_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM tracia_prompt WHERE id = ?", arguments: [id])
            return true
        }
    }

    private static func insert(_ prompt: TraciaPrompt, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO tracia_prompt (id, slug, name, description, provider, model, temperature, top_p,
                    max_output_tokens, current_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                prompt.id, prompt.slug, prompt.name, prompt.description, prompt.provider, prompt.model,
                prompt.temperature, prompt.topP, prompt.maxOutputTokens, prompt.currentVersion, prompt.createdAt.text,
                prompt.updatedAt.text,
            ]
        )
    }

    private static func traciaPrompt(_ row: Row) throws -> TraciaPrompt {
        TraciaPrompt(
            id: row["id"],
            slug: row["slug"],
            name: row["name"],
            description: row["description"],
            provider: row["provider"],
            model: row["model"],
            temperature: row["temperature"],
            topP: row["top_p"],
            maxOutputTokens: row["max_output_tokens"],
            currentVersion: row["current_version"],
            createdAt: try timestamp(row["created_at"]),
            updatedAt: try timestamp(row["updated_at"])
        )
    }

    private static func traciaVersion(_ row: Row) throws -> TraciaPromptVersion {
        let messages: String = row["messages"]
        return TraciaPromptVersion(
            promptID: row["prompt_id"],
            version: row["version"],
            messages: try StoredJSON.messages(messages),
            model: row["model"],
            provider: row["provider"],
            temperature: row["temperature"],
            createdAt: try timestamp(row["created_at"])
        )
    }

    // MARK: Tracia spans

    /// Stores a span.
    package func putSpan(_ span: TraciaSpan) async throws {
        try await putSpans([span])
    }

    /// Stores many spans in one transaction (seeding and generated data).
    package func putSpans(_ spans: [TraciaSpan]) async throws {
        let rows = spans.map { span in
            (span, StoredJSON.text(span.tags))
        }
        try await database.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO span (span_id, id, trace_id, parent_span_id, prompt_slug, prompt_version,
                        model, provider, input, variables, output, status, error, latency_ms, input_tokens,
                        output_tokens, cost, tags, user_id, session_id, created_at, created_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for (span, tags) in rows {
                try insert.execute(arguments: [
                    span.spanID, span.id, span.traceID, span.parentSpanID, span.promptSlug, span.promptVersion,
                    span.model, span.provider, span.input.text, span.variables.text, span.output, span.status,
                    span.error, span.latencyMs, span.inputTokens, span.outputTokens, span.cost, tags, span.userID,
                    span.sessionID, span.createdAt.text, span.createdAt.microseconds,
                ])
            }
        }
    }

    /// One span.
    package func span(spanID: String) async throws -> TraciaSpan? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM span WHERE span_id = ?", arguments: [spanID]).map(Self.span)
        }
    }

    /// Up to `limit` spans matching `query`, newest first (`createdAt` descending, then `spanId`), after `cursor`.
    package func spans(matching query: SpanQuery, after cursor: PageCursor?, limit: Int) async throws -> [TraciaSpan] {
        let (sql, arguments) = Self.spansStatement(matching: query, after: cursor, limit: limit)
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.span)
        }
    }

    /// The SQL of ``spans(matching:after:limit:)``.
    static func spansStatement(
        matching query: SpanQuery,
        after cursor: PageCursor?,
        limit: Int
    ) -> (sql: String, arguments: StatementArguments) {
        var page = KeysetPageQuery(table: "span", columns: "*", key: "created_key", id: "span_id", descending: true)
        if let value = query.promptSlug { page.filter("prompt_slug = ?", value) }
        if let value = query.status { page.filter("status = ?", value) }
        if let value = query.startDate { page.filter("created_key >= ?", value) }
        if let value = query.endDate { page.filter("created_key < ?", value) }
        if let value = query.userID { page.filter("user_id = ?", value) }
        if let value = query.sessionID { page.filter("session_id = ?", value) }
        for tag in query.tags {
            page.filter("EXISTS (SELECT 1 FROM json_each(span.tags) WHERE json_each.value = ?)", tag)
        }
        return page.statement(after: cursor, limit: limit)
    }

    private static func span(_ row: Row) throws -> TraciaSpan {
        let tags: String = row["tags"]
        return TraciaSpan(
            id: row["id"],
            spanID: row["span_id"],
            traceID: row["trace_id"],
            parentSpanID: row["parent_span_id"],
            promptSlug: row["prompt_slug"],
            promptVersion: row["prompt_version"],
            model: row["model"],
            provider: row["provider"],
            input: JSONText(unchecked: row["input"]),
            variables: JSONText(unchecked: row["variables"]),
            output: row["output"],
            status: row["status"],
            error: row["error"],
            latencyMs: row["latency_ms"],
            inputTokens: row["input_tokens"],
            outputTokens: row["output_tokens"],
            cost: row["cost"],
            tags: try StoredJSON.strings(tags),
            userID: row["user_id"],
            sessionID: row["session_id"],
            createdAt: try timestamp(row["created_at"])
        )
    }
}
