import GRDB

extension SQLiteStore {
    // MARK: Tuor projects

    /// Where the emulator keeps its state. ``SQLiteStore`` is the implementation; the protocol keeps the
    /// routes independent of SQL and lets tests swap the store.
    ///
    /// Every method is atomic: a read sees no half-applied write, and version numbers never repeat.
    /// Adds a project (no-op if it exists).
    package func addProject(_ project: TuorProject) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO project (id, org_id) VALUES (?, ?)",
                arguments: [project.id, project.orgID]
            )
        }
    }

    /// The project with this id.
    package func project(id: String) async throws -> TuorProject? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, org_id FROM project WHERE id = ?", arguments: [id]).map {
                TuorProject(id: $0["id"], orgID: $0["org_id"])
            }
        }
    }

    /// Every project, by id.
    package func projects() async throws -> [TuorProject] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, org_id FROM project ORDER BY id").map {
                TuorProject(id: $0["id"], orgID: $0["org_id"])
            }
        }
    }

    // MARK: Tuor prompts

    /// A project's prompt versions, oldest first.
    package func promptVersions(projectID: String) async throws -> [TuorPromptVersion] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM prompt_version WHERE project_id = ? ORDER BY version",
                arguments: [projectID]
            ).map(Self.promptVersion)
        }
    }

    /// Stores a version exactly as given (seeding).
    package func insertPromptVersion(_ version: TuorPromptVersion) async throws {
        try await database.write { db in try Self.insert(version, db) }
    }

    /// Appends a new active version: number = previous + 1, parent = the previously active version
    /// unless `parentID` is given.
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

    // MARK: Tuor traces

    /// Stores a new trace (or replaces one with the same id).
    package func putTrace(_ trace: TuorTrace) async throws {
        try await putTraces([trace])
    }

    /// Stores many traces in one transaction (seeding and generated data), as ``putTrace(_:)`` would
    /// one by one.
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

    /// One trace.
    package func trace(id: String) async throws -> TuorTrace? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM trace WHERE id = ?", arguments: [id]).map(Self.trace)
        }
    }

    /// The serialized `tuor/trace` of one trace.
    package func traceBody(id: String) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM trace WHERE id = ?", arguments: [id])
        }
    }

    /// Up to `limit` serialized traces matching `query`, ordered by `(updated_at, id)`, after `cursor`.
    package func traceBodies(
        matching query: TraceQuery,
        after cursor: PageCursor?,
        limit: Int
    ) async throws -> [(
        cursor: PageCursor, body: String
    )] {
        let (sql, arguments) = Self.traceBodiesStatement(matching: query, after: cursor, limit: limit)
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (PageCursor(key: row["updated_key"], id: row["id"]), row["body"])
            }
        }
    }

    /// The SQL of ``traceBodies(matching:after:limit:)``.
    static func traceBodiesStatement(
        matching query: TraceQuery,
        after cursor: PageCursor?,
        limit: Int
    ) -> (sql: String, arguments: StatementArguments) {
        var page = KeysetPageQuery(table: "trace", columns: "updated_key, id, body", key: "updated_key", id: "id")
        if let projectID = query.projectID { page.filter("project_id = ?", projectID) }
        if !query.statuses.isEmpty {
            let statuses = query.statuses.map(\.rawValue).sorted()
            page.filter(
                "status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))",
                statuses.map { $0 as (any DatabaseValueConvertible)? }
            )
        }
        if let tag = query.tag { page.filter("id IN (SELECT trace_id FROM trace_tag WHERE tag_id = ?)", tag) }
        if let since = query.updatedSince { page.filter("updated_key >= ?", since) }
        if let until = query.updatedUntil { page.filter("updated_key < ?", until) }
        return page.statement(after: cursor, limit: limit)
    }

    /// Reviewed traces linked to a prompt version, most recently updated first.
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

    /// Every tag, by id.
    package func tags() async throws -> [TuorTag] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM tag ORDER BY id").map {
                TuorTag(id: $0["id"], name: $0["name"])
            }
        }
    }

    /// Adds a tag (no-op if it exists).
    package func addTag(_ tag: TuorTag) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO tag (id, name) VALUES (?, ?)", arguments: [tag.id, tag.name])
        }
    }

    /// Stores a refinement suggestion.
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

    /// One suggestion.
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
}
