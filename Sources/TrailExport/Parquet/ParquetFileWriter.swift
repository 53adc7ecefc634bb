/// Writes one Parquet file: row groups of bounded size, then the footer.
///
/// Rows are buffered column by column until the row group reaches ``WriterSettings/rowGroupRows`` rows or
/// ``WriterSettings/rowGroupBytes`` bytes; the group is then encoded, compressed and written, so memory
/// holds at most one row group. Not `Sendable`.
final class ParquetFileWriter: TableFileWriter {
    private let table: TableDefinition
    private let file: OutputFile
    private let settings: WriterSettings
    private let chunks: [ParquetColumnChunk]
    private let compressor: PageCompressor
    private var rowGroups: [Parquet.RowGroup] = []
    private(set) var rowCount = 0
    private var bufferedRows = 0

    /// The `created_by` string of the footer; no build details, so that equal data give equal bytes.
    static let createdBy = "PromptTrail trail-export version 0.1.0"

    init(table: TableDefinition, path: String, settings: WriterSettings) throws {
        self.table = table
        self.settings = settings
        self.chunks = table.columns.map(ParquetColumnChunk.init(column:))
        compressor = try PageCompressor(settings.parquetCompression, level: settings.pageLevel)
        file = try OutputFile(path: path)
        try file.write(Array("PAR1".utf8))
    }

    func append(_ row: [ExportValue]) throws {
        precondition(row.count == chunks.count, "row width differs from the table's column count")
        for (chunk, value) in zip(chunks, row) {
            try chunk.append(value, table: table.name)
        }
        rowCount += 1
        bufferedRows += 1
        if bufferedRows >= settings.rowGroupRows
            || chunks.reduce(0, { $0 + $1.bufferedBytes }) >= settings.rowGroupBytes
        {
            try flushRowGroup()
        }
    }

    private func flushRowGroup() throws {
        guard bufferedRows > 0 else { return }
        var columns: [Parquet.ColumnChunk] = []
        for chunk in chunks {
            columns.append(try chunk.write(to: file, compressor: compressor))
            chunk.reset()
        }
        rowGroups.append(
            Parquet.RowGroup(columns: columns, rowCount: Int64(bufferedRows), ordinal: Int16(rowGroups.count))
        )
        bufferedRows = 0
    }

    func finish() throws -> OutputFile {
        try flushRowGroup()
        var schema = [Parquet.SchemaElement(name: "schema", childCount: Int32(chunks.count))]
        for chunk in chunks { schema.append(contentsOf: chunk.schemaElements) }
        let footer = Parquet.fileMetadata(
            schema: schema,
            rowGroups: rowGroups,
            leafCount: chunks.count,
            keyValues: [("prompttrail.table", table.name)],
            createdBy: Self.createdBy
        )
        try file.write(footer)
        var length = UInt32(footer.count).littleEndian
        try file.write(withUnsafeBytes(of: &length) { Array($0) })
        try file.write(Array("PAR1".utf8))
        try file.finish()
        return file
    }
}
