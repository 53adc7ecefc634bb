/// The type of a column, declared once and mapped to every output: Parquet, CSV, NDJSON, BigQuery and SQL.
public enum ColumnType: String, Sendable, Hashable, CaseIterable {
    /// UTF-8 text (Parquet `BYTE_ARRAY` with the `STRING` logical type).
    case string
    /// JSON text kept as a string (a string column whose values are compact JSON documents).
    case json
    /// A signed 64-bit integer.
    case int64
    /// A signed 32-bit integer.
    case int32
    /// `true` or `false`.
    case boolean
    /// An IEEE 754 double.
    case double
    /// An instant in UTC with microsecond precision (Parquet `TIMESTAMP(isAdjustedToUTC=true, MICROS)`).
    case timestamp
    /// A list of strings (Parquet 3-level `LIST` of `STRING`; a JSON array in CSV).
    case stringList
}

/// One column of a table: name, type, nullability and meaning.
public struct Column: Sendable, Hashable {
    /// The column name, the same in every format.
    public var name: String
    /// The type.
    public var type: ColumnType
    /// Whether the column can hold nulls (a list column is never null; it may be empty).
    public var isNullable: Bool
    /// What the column holds, emitted into the BigQuery schema and the SQL comments.
    public var summary: String

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - name: the column name.
    ///   - type: the type.
    ///   - isNullable: whether nulls are allowed.
    ///   - summary: a one-line description.
    public init(_ name: String, _ type: ColumnType, isNullable: Bool = false, summary: String) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.summary = summary
    }
}
