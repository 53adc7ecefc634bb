import TrailJSON

extension TableDefinition {
    /// The table as a BigQuery schema file (`bq load --schema`), a JSON array of fields.
    ///
    /// - Returns: the pretty-printed JSON, ending with a line break.
    public func bigQuerySchema() -> [UInt8] {
        let fields: [JSONValue] = columns.map { column in
            let type: String
            switch column.type {
            case .string, .json, .stringList: type = "STRING"
            case .int64, .int32: type = "INTEGER"
            case .boolean: type = "BOOLEAN"
            case .double: type = "FLOAT"
            case .timestamp: type = "TIMESTAMP"
            }
            let mode = column.type == .stringList ? "REPEATED" : column.isNullable ? "NULLABLE" : "REQUIRED"
            return .object(
                JSONObject([
                    ("name", .string(column.name)),
                    ("type", .string(type)),
                    ("mode", .string(mode)),
                    ("description", .string(column.summary)),
                ])
            )
        }
        return JSONValue.array(fields).serialized(pretty: true) + [0x0A]
    }

    /// SQL dialects for ``createTableStatement(dialect:)``.
    public enum SQLDialect: String, Sendable, CaseIterable {
        /// DuckDB (also PostgreSQL-compatible for every type but the list).
        case duckDB
        /// Snowflake.
        case snowflake
    }

    /// A `CREATE TABLE` statement for the table.
    ///
    /// - Parameter dialect: the SQL dialect.
    /// - Returns: the statement, with a comment per column, ending with a line break.
    public func createTableStatement(dialect: SQLDialect) -> String {
        var lines: [String] = []
        lines.append("-- \(name): \(summary)")
        if isPartitioned {
            lines.append(
                "-- Files sit in Hive-style partitions dt=YYYY-MM-DD (or dt=YYYY-MM); dt is not stored in them."
            )
        }
        lines.append("CREATE TABLE IF NOT EXISTS \(name) (")
        for (index, column) in columns.enumerated() {
            let type: String
            switch (dialect, column.type) {
            case (_, .string), (_, .json): type = "VARCHAR"
            case (_, .int64): type = "BIGINT"
            case (_, .int32): type = "INTEGER"
            case (_, .boolean): type = "BOOLEAN"
            case (_, .double): type = "DOUBLE"
            case (.duckDB, .timestamp): type = "TIMESTAMPTZ"
            case (.snowflake, .timestamp): type = "TIMESTAMP_TZ(6)"
            case (.duckDB, .stringList): type = "VARCHAR[]"
            case (.snowflake, .stringList): type = "ARRAY"
            }
            let constraint = column.isNullable ? "" : " NOT NULL"
            let comma = index == columns.count - 1 ? "" : ","
            lines.append("    \(column.name) \(type)\(constraint)\(comma) -- \(column.summary)")
        }
        lines.append(");")
        return lines.joined(separator: "\n") + "\n"
    }
}
