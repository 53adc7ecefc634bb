import GRDB

/// Where the emulator keeps its state: SQLite, in memory by default, or a file (`--db PATH`).
///
/// Every method is atomic: a read sees no half-applied write, and version numbers never repeat. The
/// Tuor methods are in `SQLiteStore+Tuor.swift`, the Tracia ones in `SQLiteStore+Tracia.swift`.
///
/// Traces keep their serialized `tuor/trace` body beside the indexed columns, so list pages and the
/// export read stored bytes and never re-encode.
package final class SQLiteStore: Sendable {
    let database: any DatabaseWriter

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

    static func timestamp(_ text: String) throws -> VerbatimTimestamp {
        guard let timestamp = VerbatimTimestamp(text) else {
            throw TrailServerError.storage(
                operation: "read a timestamp",
                cause: CorruptValue(value: text, expected: "an RFC 3339 date-time")
            )
        }
        return timestamp
    }

    /// SQLite's plan for a statement (`EXPLAIN QUERY PLAN`), one detail per step, for tests that check a
    /// listing reads an index range rather than scanning.
    func queryPlan(_ statement: (sql: String, arguments: StatementArguments)) async throws -> [String] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments).map {
                $0["detail"]
            }
        }
    }

    /// A stored column that does not hold what the store wrote.
    struct CorruptValue: Error, CustomStringConvertible {
        var value: String
        /// What the column should hold, e.g. "an RFC 3339 date-time".
        var expected: String
        var description: String { "not \(expected): \(value)" }
    }
}
