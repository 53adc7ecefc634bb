/// Writes the rows of one table to one Parquet file, with the writer an export uses, outside an export.
///
/// For checks that feed the writer values directly (round trips through another reader, fuzzing). The file
/// appears at `path` only once ``finish()`` succeeds. Not `Sendable`: a writer belongs to one task.
public final class ParquetTableWriter {
    private let table: TableDefinition
    private let writer: ParquetFileWriter

    /// Starts the file (written to a temporary beside `path` until ``finish()``).
    ///
    /// - Parameters:
    ///   - table: the table whose columns the rows follow.
    ///   - path: where the file appears.
    ///   - settings: row-group size and page compression.
    /// - Throws: ``ExportError/io(operation:path:message:)`` when the file cannot be created.
    public init(table: TableDefinition, path: String, settings: WriterSettings = WriterSettings()) throws {
        self.table = table
        writer = try ParquetFileWriter(table: table, path: path, settings: settings)
    }

    /// The rows appended so far.
    public var rowCount: Int { writer.rowCount }

    /// Appends one row, its values in the table's column order.
    ///
    /// - Parameter row: the values.
    /// - Throws: ``ExportError/invalidValue(table:column:message:)`` when the row has the wrong width or a
    ///   value does not fit its column (the file is then unusable), or ``ExportError/io(operation:path:message:)``.
    public func append(_ row: [ExportValue]) throws {
        guard row.count == table.columns.count else {
            throw ExportError.invalidValue(
                table: table.name,
                column: "*",
                message: "a row of \(row.count) values for \(table.columns.count) columns"
            )
        }
        try writer.append(row)
    }

    /// Writes the last row group and the footer, and moves the file into place.
    ///
    /// - Throws: ``ExportError/io(operation:path:message:)`` when the file cannot be written.
    public func finish() throws {
        try writer.finish().commit()
    }
}
