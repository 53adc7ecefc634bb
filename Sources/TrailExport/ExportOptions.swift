import TrailModel

/// The file format of an export.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// Apache Parquet, written by PromptTrail (the default).
    case parquet
    /// gzip-compressed JSON Lines.
    case ndjson
    /// RFC 4180 CSV, optionally gzip-compressed.
    case csv
}

/// How the time-partitioned tables are split into folders.
public enum Partitioning: String, Sendable, Hashable, CaseIterable {
    /// One folder per UTC day of `created_at`: `dt=YYYY-MM-DD`.
    case day
    /// One folder per UTC month: `dt=YYYY-MM`.
    case month
    /// No partition folders.
    case none

    /// The partition folder for a UTC day (`YYYY-MM-DD`), or `nil` without partitioning.
    func folder(forDay day: String) -> String? {
        switch self {
        case .day: "dt=" + day
        case .month: "dt=" + day.prefix(7)
        case .none: nil
        }
    }

    /// The instants a partition folder covers, as `[start, end)` in microseconds.
    func interval(ofFolder folder: String?) -> (start: Int64, end: Int64) {
        guard let folder, folder.hasPrefix("dt=") else { return (.min, .max) }
        let value = String(folder.dropFirst(3))
        switch self {
        case .day:
            let start = RFC3339Timestamp.startOfDay(value) ?? .min
            return (start, start + 86_400_000_000)
        case .month:
            let start = RFC3339Timestamp.startOfDay(value + "-01") ?? .min
            let year = Int64(value.prefix(4)) ?? 1970
            let month = Int64(value.suffix(2)) ?? 1
            let next = RFC3339Timestamp.daysFromCivil(
                year: month == 12 ? year + 1 : year,
                month: month % 12 + 1,
                day: 1
            )
            return (start, next * 86_400_000_000)
        case .none:
            return (.min, .max)
        }
    }
}

/// What to export and how.
public struct ExportOptions: Sendable, Hashable {
    /// The file format.
    public var format: ExportFormat
    /// The partitioning of `traces` and `lineage`.
    public var partitioning: Partitioning
    /// Only partitions that overlap `[since, until)` are written (microseconds since the epoch; `nil` = open).
    public var since: Int64?
    /// See ``since``.
    public var until: Int64?
    /// Only these projects are written; empty means every project of the source.
    public var projects: [String]
    /// Settings of the file writers.
    public var writer: WriterSettings
    /// Whether JSON values copied into JSON-text columns are parsed once to prove they are well-formed.
    public var validatesJSON: Bool

    /// Creates options.
    ///
    /// - Parameters:
    ///   - format: the file format (Parquet by default).
    ///   - partitioning: the partitioning (by day by default).
    ///   - since: the start of the window, inclusive.
    ///   - until: the end of the window, exclusive.
    ///   - projects: the projects to export (all by default).
    ///   - writer: writer settings.
    ///   - validatesJSON: whether JSON values are checked (yes by default).
    public init(
        format: ExportFormat = .parquet,
        partitioning: Partitioning = .day,
        since: Int64? = nil,
        until: Int64? = nil,
        projects: [String] = [],
        writer: WriterSettings = WriterSettings(),
        validatesJSON: Bool = true
    ) {
        self.format = format
        self.partitioning = partitioning
        self.since = since
        self.until = until
        self.projects = projects
        self.writer = writer
        self.validatesJSON = validatesJSON
    }

    /// Whether a partition folder overlaps the window.
    func includes(folder: String?) -> Bool {
        let (start, end) = partitioning.interval(ofFolder: folder)
        return start < (until ?? .max) && end > (since ?? .min)
    }

    /// The file extension of data files.
    var fileExtension: String {
        switch format {
        case .parquet: "parquet"
        case .ndjson: "ndjson.gz"
        case .csv: writer.gzipCSV ? "csv.gz" : "csv"
        }
    }
}
