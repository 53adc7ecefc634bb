import GRDB

/// One page of a listing: filter conditions with their arguments, then the rows after a cursor in
/// `(key, id)` order, as SQL.
///
/// The cursor is a row value, `(key, id) > (?, ?)` (or `<` newest first), which SQLite reads as a range
/// of the listing's index. The same condition spelt `key > ? OR (key = ? AND id > ?)` is checked row by
/// row from the start of the range, so each page would cost as much as every page before it
/// (`StoreQueryPlanTests`).
struct KeysetPageQuery {
    private let table: String
    private let columns: String
    private let key: String
    private let id: String
    private let descending: Bool
    private var conditions: [String] = []
    private var arguments: [(any DatabaseValueConvertible)?] = []

    /// - Parameters:
    ///   - table: the table listed.
    ///   - columns: the columns selected.
    ///   - key: the sort key column.
    ///   - id: the tie-breaking id column.
    ///   - descending: newest first.
    init(table: String, columns: String, key: String, id: String, descending: Bool = false) {
        self.table = table
        self.columns = columns
        self.key = key
        self.id = id
        self.descending = descending
    }

    /// Adds a condition and the values of its placeholders.
    mutating func filter(_ condition: String, _ values: [(any DatabaseValueConvertible)?]) {
        conditions.append(condition)
        arguments.append(contentsOf: values)
    }

    /// Adds a condition with one placeholder.
    mutating func filter(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
        filter(condition, [value])
    }

    /// The statement of the page of at most `limit` rows after `cursor`.
    func statement(after cursor: PageCursor?, limit: Int) -> (sql: String, arguments: StatementArguments) {
        var conditions = conditions
        var arguments = arguments
        if let cursor {
            conditions.append("(\(key), \(id)) \(descending ? "<" : ">") (?, ?)")
            arguments += [cursor.key, cursor.id]
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order = descending ? "\(key) DESC, \(id) DESC" : "\(key), \(id)"
        arguments.append(limit)
        return (
            "SELECT \(columns) FROM \(table)\(whereClause) ORDER BY \(order) LIMIT ?", StatementArguments(arguments)
        )
    }
}
