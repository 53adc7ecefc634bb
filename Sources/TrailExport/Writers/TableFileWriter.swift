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
    /// The level for Parquet pages (zstd 1–19, gzip 1–9) and for gzip-compressed NDJSON and CSV (1–9);
    /// `nil` takes each codec's default (zstd 3, gzip 6).
    public var compressionLevel: Int?
    /// A row group is closed after this many rows.
    public var rowGroupRows: Int
    /// A row group is closed once its buffered values reach about this many bytes.
    public var rowGroupBytes: Int
    /// Whether CSV files are gzip-compressed.
    public var gzipCSV: Bool

    /// Creates writer settings.
    ///
    /// - Parameters:
    ///   - parquetCompression: Parquet page compression (zstd by default).
    ///   - compressionLevel: the level, or `nil` for each codec's default.
    ///   - rowGroupRows: most rows per Parquet row group (131,072 by default).
    ///   - rowGroupBytes: most buffered bytes per row group (32 MiB by default).
    ///   - gzipCSV: whether CSV is gzip-compressed (no by default).
    public init(
        parquetCompression: PageCompression = .zstd,
        compressionLevel: Int? = nil,
        rowGroupRows: Int = 131_072,
        rowGroupBytes: Int = 32 << 20,
        gzipCSV: Bool = false
    ) {
        self.parquetCompression = parquetCompression
        self.compressionLevel = compressionLevel
        self.rowGroupRows = max(1, rowGroupRows)
        self.rowGroupBytes = max(1 << 16, rowGroupBytes)
        self.gzipCSV = gzipCSV
    }

    /// The level of Parquet pages, within the codec's range.
    var pageLevel: Int {
        let levels = parquetCompression.levels
        return min(max(compressionLevel ?? levels.default, levels.range.lowerBound), levels.range.upperBound)
    }

    /// The gzip level of NDJSON and CSV files, 1 to 9.
    var gzipLevel: Int {
        min(max(compressionLevel ?? 6, 1), 9)
    }
}
