/// Writes the rows of one output file of a table, in one format.
///
/// Rows go in with ``append(_:)``; ``finish()`` completes the temporary file and returns it hashed, ready
/// to be committed or discarded. Not `Sendable`: a writer belongs to one task.
protocol TableFileWriter: AnyObject {
    /// The rows appended so far.
    var rowCount: Int { get }
    /// Appends one row (values in the table's column order).
    func append(_ row: [ExportValue]) throws
    /// Completes the file.
    func finish() throws -> OutputFile
}

/// The settings shared by the file writers.
public struct WriterSettings: Sendable, Hashable {
    /// Page compression for Parquet.
    public var parquetCompression: PageCompression
    /// The zlib level for gzip, 1 (fastest) to 9 (smallest).
    public var compressionLevel: Int
    /// A row group is closed after this many rows.
    public var rowGroupRows: Int
    /// A row group is closed once its buffered values reach about this many bytes.
    public var rowGroupBytes: Int
    /// Whether CSV files are gzip-compressed.
    public var gzipCSV: Bool

    /// Creates writer settings.
    ///
    /// - Parameters:
    ///   - parquetCompression: Parquet page compression (gzip by default).
    ///   - compressionLevel: the gzip level (6 by default).
    ///   - rowGroupRows: most rows per Parquet row group (131,072 by default).
    ///   - rowGroupBytes: most buffered bytes per row group (32 MiB by default).
    ///   - gzipCSV: whether CSV is gzip-compressed (no by default).
    public init(
        parquetCompression: PageCompression = .gzip,
        compressionLevel: Int = 6,
        rowGroupRows: Int = 131_072,
        rowGroupBytes: Int = 32 << 20,
        gzipCSV: Bool = false
    ) {
        self.parquetCompression = parquetCompression
        self.compressionLevel = max(1, min(9, compressionLevel))
        self.rowGroupRows = max(1, rowGroupRows)
        self.rowGroupBytes = max(1 << 16, rowGroupBytes)
        self.gzipCSV = gzipCSV
    }
}
