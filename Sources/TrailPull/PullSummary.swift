public import TrailJSON

/// What a pull did, per project and in total: the final summary and `--summary-json`.
public struct PullSummary: Sendable {
    /// How the pull ended.
    public enum Status: String, Sendable {
        /// Every stream ran to its end and nothing was refused.
        case complete
        /// Every stream ran to its end; some records went to quarantine.
        case quarantined
        /// At least one stream could not be completed (the workspace is consistent and resumable).
        case failed
    }

    /// One project's counts.
    public struct Project: Sendable {
        /// New records (prompt versions and traces).
        public var new = 0
        /// Replaced records.
        public var updated = 0
        /// Records received again unchanged.
        public var unchanged = 0
        /// Records sent to quarantine.
        public var quarantined = 0
        /// Prompt versions held after the pull.
        public var promptVersions = 0
        /// Traces held after the pull.
        public var traces = 0
        /// Batches made durable.
        public var batches = 0
        /// Why the project could not be completed, if it could not.
        public var error: String?

        /// Creates empty counts.
        public init() {}
    }

    /// The platform pulled.
    public var source: String
    /// The workspace written.
    public var workspace: String
    /// Per project.
    public var projects: [String: Project] = [:]
    /// Requests tried again (including stream resumptions).
    public var retried = 0
    /// Requests sent.
    public var requests = 0
    /// Wall time.
    public var durationSeconds = 0.0
    /// A failure before any project started (the workspace could not be opened, for instance).
    public var error: String?

    /// Creates an empty summary.
    ///
    /// - Parameters:
    ///   - source: the platform.
    ///   - workspace: the workspace.
    public init(source: String, workspace: String) {
        self.source = source
        self.workspace = workspace
    }

    /// Total new records.
    public var new: Int { projects.values.reduce(0) { $0 + $1.new } }
    /// Total replaced records.
    public var updated: Int { projects.values.reduce(0) { $0 + $1.updated } }
    /// Total unchanged records.
    public var unchanged: Int { projects.values.reduce(0) { $0 + $1.unchanged } }
    /// Total quarantined records.
    public var quarantined: Int { projects.values.reduce(0) { $0 + $1.quarantined } }

    /// How the pull ended.
    public var status: Status {
        if error != nil || projects.values.contains(where: { $0.error != nil }) { return .failed }
        return quarantined > 0 ? .quarantined : .complete
    }

    /// The summary as JSON, for `--summary-json`.
    public var json: JSONValue {
        func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        var perProject = JSONObject()
        for id in projects.keys.sorted() {
            let project = projects[id]!
            perProject[id] = .object(
                JSONObject([
                    ("new", int(project.new)), ("updated", int(project.updated)),
                    ("unchanged", int(project.unchanged)), ("quarantined", int(project.quarantined)),
                    ("prompt_versions", int(project.promptVersions)), ("traces", int(project.traces)),
                    ("batches", int(project.batches)), ("error", project.error.map { .string($0) } ?? .null),
                ])
            )
        }
        let received = new + updated + unchanged + quarantined
        return .object(
            JSONObject([
                ("status", .string(status.rawValue)),
                ("source", .string(source)),
                ("workspace", .string(workspace)),
                ("new", int(new)), ("updated", int(updated)), ("unchanged", int(unchanged)),
                ("quarantined", int(quarantined)), ("retried", int(retried)), ("requests", int(requests)),
                ("duration_seconds", .number(JSONNumber((durationSeconds * 1000).rounded() / 1000))),
                (
                    "records_per_second",
                    .number(JSONNumber(durationSeconds > 0 ? (Double(received) / durationSeconds).rounded() : 0))
                ),
                ("error", error.map { .string($0) } ?? .null),
                ("projects", .object(perProject)),
            ])
        )
    }
}
