import GRDB

/// The SQLite implementation of ``TrailStore``: in memory by default, or a file (`--db PATH`).
///
/// Traces keep their serialized `tuor/trace` body beside the indexed columns, so list pages and the
/// export read stored bytes and never re-encode.
package final class SQLiteStore: TrailStore {
    private let database: any DatabaseWriter

    /// Opens (and migrates) a database.
    ///
    /// - Parameter path: a file path, or `nil` for a private in-memory database.
    /// - Throws: ``TrailServerError/storage(operation:cause:)`` when SQLite cannot open or migrate it.
    package init(path: String? = nil) throws {
        do {
            if let path {
                database = try DatabasePool(path: path)
            } else {
                database = try DatabaseQueue()
            }
            try Self.migrator.migrate(database)
        } catch {
            throw TrailServerError.storage(operation: "open \(path ?? "an in-memory database")", cause: error)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE project (id TEXT PRIMARY KEY, org_id TEXT NOT NULL);
                    CREATE TABLE prompt_version (
                        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, version INTEGER NOT NULL, org_id TEXT,
                        content TEXT NOT NULL, source TEXT NOT NULL, parent_id TEXT, rationale TEXT,
                        lineage_event_ids TEXT, created_at TEXT NOT NULL, created_by TEXT,
                        UNIQUE (project_id, version));
                    CREATE TABLE trace (
                        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, status TEXT NOT NULL,
                        model_input TEXT NOT NULL, model_output TEXT NOT NULL, trace_config TEXT,
                        corrected_output TEXT, tags TEXT NOT NULL, created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL, updated_key INTEGER NOT NULL, reviewed_at TEXT,
                        prompt_version_id TEXT, body TEXT NOT NULL);
                    CREATE INDEX trace_by_update ON trace (updated_key, id);
                    CREATE INDEX trace_by_project ON trace (project_id, updated_key, id);
                    CREATE INDEX trace_by_prompt ON trace (prompt_version_id);
                    CREATE TABLE trace_tag (trace_id TEXT NOT NULL, tag_id TEXT NOT NULL,
                        PRIMARY KEY (tag_id, trace_id));
                    CREATE TABLE tag (id TEXT PRIMARY KEY, name TEXT NOT NULL);
                    CREATE TABLE suggestion (
                        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, parent_id TEXT NOT NULL,
                        content TEXT NOT NULL, rationale TEXT NOT NULL, based_on TEXT NOT NULL,
                        created_at TEXT NOT NULL, accepted INTEGER NOT NULL);
                    CREATE TABLE tracia_prompt (
                        id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT,
                        provider TEXT, model TEXT, temperature REAL, top_p REAL, max_output_tokens INTEGER,
                        current_version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                    CREATE TABLE tracia_version (
                        prompt_id TEXT NOT NULL, version INTEGER NOT NULL, messages TEXT NOT NULL, model TEXT,
                        provider TEXT, temperature REAL, created_at TEXT NOT NULL,
                        PRIMARY KEY (prompt_id, version));
                    CREATE TABLE span (
                        span_id TEXT PRIMARY KEY, id TEXT NOT NULL, trace_id TEXT, parent_span_id TEXT,
                        prompt_slug TEXT, prompt_version INTEGER, model TEXT NOT NULL, provider TEXT NOT NULL,
                        input TEXT NOT NULL, variables TEXT NOT NULL, output TEXT, status TEXT NOT NULL,
                        error TEXT, latency_ms INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
                        output_tokens INTEGER NOT NULL, cost REAL, tags TEXT NOT NULL, user_id TEXT,
                        session_id TEXT, created_at TEXT NOT NULL, created_key INTEGER NOT NULL);
                    CREATE INDEX span_by_time ON span (created_key, span_id);
                    """
            )
        }
        migrator.registerMigration("v2: trace tags by trace") { db in
            // Replacing a trace deletes its tag rows by trace id; without this index that is a scan of every
            // tag row, which made loading N traces quadratic.
            try db.execute(sql: "CREATE INDEX trace_tag_by_trace ON trace_tag (trace_id)")
        }
        return migrator
    }

    // MARK: Tuor projects

    package func addProject(_ project: TuorProject) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO project (id, org_id) VALUES (?, ?)",
                arguments: [project.id, project.orgID]
            )
        }
    }

    package func project(id: String) async throws -> TuorProject? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, org_id FROM project WHERE id = ?", arguments: [id]).map {
                TuorProject(id: $0["id"], orgID: $0["org_id"])
            }
        }
    }

    package func projects() async throws -> [TuorProject] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, org_id FROM project ORDER BY id").map {
                TuorProject(id: $0["id"], orgID: $0["org_id"])
            }
        }
    }

    // MARK: Tuor prompts

    package func promptVersions(projectID: String) async throws -> [TuorPromptVersion] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM prompt_version WHERE project_id = ? ORDER BY version",
                arguments: [projectID]
            ).map(Self.promptVersion)
        }
    }

    package func insertPromptVersion(_ version: TuorPromptVersion) async throws {
        try await database.write { db in try Self.insert(version, db) }
    }

    package func appendPromptVersion(
        projectID: String,
        id: String,
        content: String,
        source: String,
        parentID: String?,
        rationale: String?,
        lineageEventIDs: [String]?,
        createdBy: String?,
        at time: VerbatimTimestamp
    ) async throws -> TuorPromptVersion {
        try await database.write { db in
            let latest = try Row.fetchOne(
                db,
                sql: "SELECT id, version FROM prompt_version WHERE project_id = ? ORDER BY version DESC LIMIT 1",
                arguments: [projectID]
            )
            let orgID = try String.fetchOne(db, sql: "SELECT org_id FROM project WHERE id = ?", arguments: [projectID])
            let version = TuorPromptVersion(
                id: id,
                projectID: projectID,
                orgID: orgID,
                version: ((latest?["version"] as Int?) ?? 0) + 1,
                content: content,
                source: source,
                parentID: parentID ?? latest?["id"],
                rationale: rationale,
                lineageEventIDs: lineageEventIDs,
                createdAt: time,
                createdBy: createdBy
            )
            try Self.insert(version, db)
            return version
        }
    }

    private static func insert(_ version: TuorPromptVersion, _ db: Database) throws {
        let lineage = version.lineageEventIDs.map { StoredJSON.text($0) }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO prompt_version (id, project_id, version, org_id, content, source, parent_id,
                    rationale, lineage_event_ids, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                version.id, version.projectID, version.version, version.orgID, version.content, version.source,
                version.parentID, version.rationale, lineage, version.createdAt.text, version.createdBy,
            ]
        )
    }

    private static func promptVersion(_ row: Row) throws -> TuorPromptVersion {
        let lineage: String? = row["lineage_event_ids"]
        return TuorPromptVersion(
            id: row["id"],
            projectID: row["project_id"],
            orgID: row["org_id"],
            version: row["version"],
            content: row["content"],
            source: row["source"],
            parentID: row["parent_id"],
            rationale: row["rationale"],
            lineageEventIDs: try lineage.map { try StoredJSON.strings($0) },
            createdAt: try timestamp(row["created_at"]),
            createdBy: row["created_by"]
        )
    }

    private static func timestamp(_ text: String) throws -> VerbatimTimestamp {
        guard let timestamp = VerbatimTimestamp(text) else {
            throw TrailServerError.storage(
                operation: "read a timestamp",
                cause: CorruptValue(value: text, expected: "an RFC 3339 date-time")
            )
        }
        return timestamp
    }

    /// A stored column that does not hold what the store wrote.
    struct CorruptValue: Error, CustomStringConvertible {
        var value: String
        /// What the column should hold, e.g. "an RFC 3339 date-time".
        var expected: String
        var description: String { "not \(expected): \(value)" }
    }

    // MARK: Tuor traces

    package func putTrace(_ trace: TuorTrace) async throws {
        try await putTraces([trace])
    }

    package func putTraces(_ traces: [TuorTrace]) async throws {
        let rows = traces.map { trace in
            (trace, trace.rendered(), StoredJSON.text(trace.tags))
        }
        try await database.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO trace (id, project_id, status, model_input, model_output, trace_config,
                        corrected_output, tags, created_at, updated_at, updated_key, reviewed_at, prompt_version_id,
                        body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            let clearTags = try db.cachedStatement(sql: "DELETE FROM trace_tag WHERE trace_id = ?")
            let addTag = try db.cachedStatement(sql: "INSERT INTO trace_tag (trace_id, tag_id) VALUES (?, ?)")
            for (trace, body, tags) in rows {
                try insert.execute(arguments: [
                    trace.id, trace.projectID, trace.status.rawValue, trace.modelInput.text, trace.modelOutput.text,
                    trace.traceConfig?.text, trace.correctedOutput?.text, tags, trace.createdAt.text,
                    trace.updatedAt.text, trace.updatedAt.microseconds, trace.reviewedAt?.text,
                    trace.promptVersionID, body,
                ])
                try clearTags.execute(arguments: [trace.id])
                for tag in Set(trace.tags) {
                    try addTag.execute(arguments: [trace.id, tag])
                }
            }
        }
    }

    package func trace(id: String) async throws -> TuorTrace? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM trace WHERE id = ?", arguments: [id]).map(Self.trace)
        }
    }

    package func traceBody(id: String) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM trace WHERE id = ?", arguments: [id])
        }
    }

    package func traceBodies(
        matching query: TraceQuery,
        after cursor: PageCursor?,
        limit: Int
    ) async throws -> [(
        cursor: PageCursor, body: String
    )] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let projectID = query.projectID {
            conditions.append("project_id = ?")
            arguments.append(projectID)
        }
        if !query.statuses.isEmpty {
            let statuses = query.statuses.map(\.rawValue).sorted()
            conditions.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
            arguments.append(contentsOf: statuses.map { $0 as (any DatabaseValueConvertible)? })
        }
        if let tag = query.tag {
            conditions.append("id IN (SELECT trace_id FROM trace_tag WHERE tag_id = ?)")
            arguments.append(tag)
        }
        if let since = query.updatedSince {
            conditions.append("updated_key >= ?")
            arguments.append(since)
        }
        if let until = query.updatedUntil {
            conditions.append("updated_key < ?")
            arguments.append(until)
        }
        if let cursor {
            conditions.append("(updated_key > ? OR (updated_key = ? AND id > ?))")
            arguments.append(contentsOf: [cursor.key, cursor.key, cursor.id] as [(any DatabaseValueConvertible)?])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(limit)
        let sql = "SELECT updated_key, id, body FROM trace \(whereClause) ORDER BY updated_key, id LIMIT ?"
        let statementArguments = StatementArguments(arguments)
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                (PageCursor(key: row["updated_key"], id: row["id"]), row["body"])
            }
        }
    }

    package func reviewedTraces(promptVersionID: String, limit: Int) async throws -> [TuorTrace] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM trace WHERE prompt_version_id = ? AND status != 'pending'
                    ORDER BY updated_key DESC, id DESC LIMIT ?
                    """,
                arguments: [promptVersionID, limit]
            ).map(Self.trace)
        }
    }

    private static func trace(_ row: Row) throws -> TuorTrace {
        let config: String? = row["trace_config"]
        let corrected: String? = row["corrected_output"]
        let reviewed: String? = row["reviewed_at"]
        let tags: String = row["tags"]
        let status: String = row["status"]
        return TuorTrace(
            id: row["id"],
            projectID: row["project_id"],
            status: TuorTraceStatus(rawValue: status) ?? .pending,
            modelInput: JSONText(unchecked: row["model_input"]),
            modelOutput: JSONText(unchecked: row["model_output"]),
            traceConfig: config.map(JSONText.init(unchecked:)),
            correctedOutput: corrected.map(JSONText.init(unchecked:)),
            tags: try StoredJSON.strings(tags),
            createdAt: try timestamp(row["created_at"]),
            updatedAt: try timestamp(row["updated_at"]),
            reviewedAt: try reviewed.map(timestamp),
            promptVersionID: row["prompt_version_id"]
        )
    }

    // MARK: Tags and suggestions

    package func tags() async throws -> [TuorTag] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM tag ORDER BY id").map {
                TuorTag(id: $0["id"], name: $0["name"])
            }
        }
    }

    package func addTag(_ tag: TuorTag) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO tag (id, name) VALUES (?, ?)", arguments: [tag.id, tag.name])
        }
    }

    package func putSuggestion(_ suggestion: RefinementSuggestion) async throws {
        let basedOn = StoredJSON.text(suggestion.basedOnTraceIDs)
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO suggestion (id, project_id, parent_id, content, rationale, based_on,
                        created_at, accepted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    suggestion.id, suggestion.projectID, suggestion.parentID, suggestion.content,
                    suggestion.rationale, basedOn, suggestion.createdAt.text, suggestion.accepted,
                ]
            )
        }
    }

    package func suggestion(id: String) async throws -> RefinementSuggestion? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM suggestion WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let basedOn: String = row["based_on"]
            return RefinementSuggestion(
                id: row["id"],
                projectID: row["project_id"],
                parentID: row["parent_id"],
                content: row["content"],
                rationale: row["rationale"],
                basedOnTraceIDs: try StoredJSON.strings(basedOn),
                createdAt: try Self.timestamp(row["created_at"]),
                accepted: row["accepted"]
            )
        }
    }

    // MARK: Tracia prompts

    package func traciaPrompts() async throws -> [TraciaPrompt] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tracia_prompt ORDER BY slug").map(Self.traciaPrompt)
        }
    }

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

    package func putSpan(_ span: TraciaSpan) async throws {
        try await putSpans([span])
    }

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

    package func span(spanID: String) async throws -> TraciaSpan? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM span WHERE span_id = ?", arguments: [spanID]).map(Self.span)
        }
    }

    package func spans(matching query: SpanQuery, after cursor: PageCursor?, limit: Int) async throws -> [TraciaSpan] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            conditions.append(condition)
            arguments.append(value)
        }
        if let value = query.promptSlug { add("prompt_slug = ?", value) }
        if let value = query.status { add("status = ?", value) }
        if let value = query.startDate { add("created_key >= ?", value) }
        if let value = query.endDate { add("created_key < ?", value) }
        if let value = query.userID { add("user_id = ?", value) }
        if let value = query.sessionID { add("session_id = ?", value) }
        for tag in query.tags { add("EXISTS (SELECT 1 FROM json_each(span.tags) WHERE json_each.value = ?)", tag) }
        if let cursor {
            conditions.append("(created_key < ? OR (created_key = ? AND span_id < ?))")
            arguments.append(contentsOf: [cursor.key, cursor.key, cursor.id] as [(any DatabaseValueConvertible)?])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(limit)
        let sql = "SELECT * FROM span \(whereClause) ORDER BY created_key DESC, span_id DESC LIMIT ?"
        let statementArguments = StatementArguments(arguments)
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map(Self.span)
        }
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
