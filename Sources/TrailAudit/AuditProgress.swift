/// Where a long archive build or verification is, for a progress display. Reported on the thread doing
/// the work, at most every few thousand records; the handler must return quickly.
public struct AuditProgress: Sendable {
    /// What the run is doing.
    public enum Phase: String, Sendable {
        /// Reading and validating workspace records (archive, first pass).
        case checking
        /// Writing the archive (second pass).
        case writing
        /// Hashing and validating an archive's entries (verify).
        case verifying
    }

    /// What the run is doing.
    public var phase: Phase
    /// The workspace file or archive entry being worked on.
    public var path: String
    /// Records checked so far in this run.
    public var records: Int

    /// Creates a progress report.
    ///
    /// - Parameters:
    ///   - phase: what the run is doing.
    ///   - path: the file or entry.
    ///   - records: records checked so far.
    public init(phase: Phase, path: String, records: Int) {
        self.phase = phase
        self.path = path
        self.records = records
    }
}

/// Receives ``AuditProgress`` reports.
public typealias AuditProgressHandler = @Sendable (AuditProgress) -> Void
