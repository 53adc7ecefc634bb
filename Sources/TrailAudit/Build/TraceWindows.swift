import TrailModel

/// Each project's window `[since, until)` of trace `created_at`: the traces an archive claims to hold in
/// full. Traces outside it are left out, not quarantined.
struct TraceWindows {
    /// The windows by project id.
    private(set) var byProject: [String: (since: Timestamp?, until: Timestamp?)] = [:]

    /// Each project's window: `--since` (or none) to the earlier of `--until` and the project's trace
    /// high-water mark.
    ///
    /// - Throws: ``AuditError/invalidOption(_:)`` when `since` is not before `until`, or `until` passes a
    ///   project's high-water mark (the archive could not hold that window in full).
    init(since: Timestamp?, until: Timestamp?, description: WorkspaceDescription) throws {
        if let since, let until, !(since < until) {
            throw AuditError.invalidOption("--since \(since) is not before --until \(until)")
        }
        for project in description.projects {
            let mark = description.highWaterMarks[project]
            if let until {
                guard let mark, !(mark < until) else {
                    throw AuditError.invalidOption(
                        "--until \(until) is after what the last pull of \(project) holds in full ("
                            + (mark.map { "its trace high-water mark is \($0)" } ?? "state.json records no pull")
                            + ")"
                    )
                }
            }
            byProject[project] = (since, until ?? mark)
        }
    }

    /// Whether a trace lies in its project's window (a trace whose project has none, or whose time does
    /// not parse, is kept: the schema check reports the latter).
    func contains(_ facts: TraceFacts) -> Bool {
        guard let window = byProject[facts.projectID], let created = Timestamp(facts.createdAt) else { return true }
        return (window.since.map { $0 <= created } ?? true) && (window.until.map { created < $0 } ?? true)
    }
}
