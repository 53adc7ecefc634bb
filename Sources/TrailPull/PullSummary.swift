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
        /// Lines appended to the project's activation history.
        public var activationsRecorded = 0
        /// Prompt versions that traces received in this pull name but that no pull observed.
        public var neverObserved: [NeverObserved] = []
        /// Why the project could not be completed, if it could not.
        public var error: String?

        /// Creates empty counts.
        public init() {}
    }

    /// A prompt version that traces name but that no pull ever observed: Tracia serves only a prompt's
    /// current version, so a version made and replaced between two pulls is never seen.
    public struct NeverObserved: Sendable, Hashable {
        /// Tracia: the slug the traces were logged with. Tuor: `nil`.
        public var promptKey: String?
        /// The version id the traces name; `nil` when their slug names no prompt ever observed.
        public var promptVersionID: String?
        /// The version number the traces name (Tracia), if any.
        public var version: Int64?
        /// Traces received in this pull that name it.
        public var traces: Int

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - promptKey: the slug.
        ///   - promptVersionID: the version id.
        ///   - version: the version number.
        ///   - traces: the number of traces.
        public init(promptKey: String?, promptVersionID: String?, version: Int64?, traces: Int) {
            self.promptKey = promptKey
            self.promptVersionID = promptVersionID
            self.version = version
            self.traces = traces
        }

        /// Orders entries by slug, version id, then number.
        static func precedes(_ lhs: NeverObserved, _ rhs: NeverObserved) -> Bool {
            if lhs.promptKey != rhs.promptKey { return (lhs.promptKey ?? "") < (rhs.promptKey ?? "") }
            if lhs.promptVersionID != rhs.promptVersionID {
                return (lhs.promptVersionID ?? "") < (rhs.promptVersionID ?? "")
            }
            return (lhs.version ?? 0) < (rhs.version ?? 0)
        }

        /// The entry as JSON.
        public var json: JSONValue {
            .object(
                JSONObject([
                    ("prompt_key", promptKey.map { .string($0) } ?? .null),
                    ("prompt_version_id", promptVersionID.map { .string($0) } ?? .null),
                    ("version", version.map { .number(JSONNumber($0)) } ?? .null),
                    ("traces", .number(JSONNumber(traces))),
                ])
            )
        }

        /// A short name for messages: `welcome-email v3`, or the version id.
        public var label: String {
            if let promptKey, let version { return "\(promptKey) v\(version)" }
            return promptVersionID ?? promptKey ?? "?"
        }
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
                    ("batches", int(project.batches)),
                    ("activations_recorded", int(project.activationsRecorded)),
                    ("never_observed", .array(project.neverObserved.map(\.json))),
                    ("never_observed_traces", int(project.neverObserved.reduce(0) { $0 + $1.traces })),
                    ("error", project.error.map { .string($0) } ?? .null),
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
