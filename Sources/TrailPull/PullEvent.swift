/// Progress of a pull, for a live line or log lines. Sent from several tasks; observers must be
/// thread-safe.
public enum PullEvent: Sendable {
    /// A project's pull started.
    case started(project: String)
    /// A project made progress: records received so far, pages or batches so far.
    case progress(project: String, records: Int, batches: Int)
    /// A request was tried again.
    case retried(reason: String)
    /// A project's pull ended (with an error message when it could not complete).
    case finished(project: String, summary: PullSummary.Project)
}
