/// Linked traces counted for the auditor page and the tally a run at a time (the traces of one block of a trace
/// file): they share a project and a day, and each names one of a few versions, so the page's and the tally's
/// tables, whose keys are hashed on every update, are updated once per project, version and review status rather
/// than once per trace. The other traces are added one by one, in order, for the samples they fill.
struct TraceCountBatch {
    private struct Entry {
        var projectID: String
        var promptVersionID: String
        var reviewStatus: String?
        var day: String
        var count: Int
        /// The first trace counted here, the page's example of its project when it has none yet.
        var example: (trace: String, outputSHA256: String)
    }

    /// In the order of their first traces, so that each project's example is its first linked trace.
    private var entries: [Entry] = []

    /// Whether no trace is counted.
    var isEmpty: Bool { entries.isEmpty }

    /// Counts a linked trace of `day`.
    mutating func addLinked(_ trace: TraceFacts, day: String) {
        guard let version = trace.promptVersionID else { preconditionFailure("a linked trace names a version") }
        // The latest combinations first; a run has a handful, compared as strings (cheaper than hashing them), the
        // short review status (compared in registers) first.
        for index in entries.indices.reversed() {
            if entries[index].reviewStatus == trace.reviewStatus && entries[index].promptVersionID == version
                && entries[index].projectID == trace.projectID && entries[index].day == day
            {
                entries[index].count += 1
                return
            }
        }
        entries.append(
            Entry(
                projectID: trace.projectID,
                promptVersionID: version,
                reviewStatus: trace.reviewStatus,
                day: day,
                count: 1,
                example: (trace.traceID, trace.outputSHA256)
            )
        )
    }

    /// Adds the traces counted to `page` and `tally`, and starts over.
    mutating func flush(into page: inout AuditPageData, tally: inout ArchiveTally) {
        for entry in entries {
            page.addLinked(
                projectID: entry.projectID,
                promptVersionID: entry.promptVersionID,
                reviewStatus: entry.reviewStatus,
                day: entry.day,
                count: entry.count,
                example: entry.example
            )
            tally.count(
                projectID: entry.projectID,
                promptVersionID: entry.promptVersionID,
                status: .linked,
                traces: entry.count
            )
        }
        entries.removeAll(keepingCapacity: true)
    }
}
