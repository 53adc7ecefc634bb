/// One cell of an exported row.
public enum ExportValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// Text (also JSON text for ``ColumnType/json`` columns).
    case string(String)
    /// An integer (``ColumnType/int64`` and ``ColumnType/int32`` columns).
    case integer(Int64)
    /// A Boolean.
    case boolean(Bool)
    /// A double.
    case double(Double)
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// A list of strings.
    case stringList([String])
}
