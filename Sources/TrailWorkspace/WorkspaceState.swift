public import TrailJSON

/// `state.json`: how far each project's streams have been pulled (docs/workspace-format.md).
public struct WorkspaceState: Sendable, Hashable {
    /// The prompts stream of one project.
    public struct Prompts: Sendable, Hashable {
        /// Greatest `created_at` among the versions held (upstream text), or `nil`.
        public var highWaterMark: String?
        /// The upstream's entity tag, when it sends one.
        public var etag: String?
        /// When the last pull read the project's prompts in full (RFC 3339), or `nil` before the first.
        public var observedAt: String?

        /// Creates the stream's state.
        ///
        /// - Parameters:
        ///   - highWaterMark: the greatest `created_at`.
        ///   - etag: the entity tag.
        public init(highWaterMark: String? = nil, etag: String? = nil) {
            self.highWaterMark = highWaterMark
            self.etag = etag
        }
    }

    /// The traces stream of one project.
    public struct Traces: Sendable, Hashable {
        /// The cursor of an unfinished listing.
        public var cursor: String?
        /// Greatest `updated_at` (or `created_at`) among the traces held (upstream text), or `nil`.
        public var highWaterMark: String?
        /// The trace that set ``highWaterMark`` (greatest id among those with that time).
        public var lastTraceID: String?
        /// The lower bound of the current or next listing (`list_since`).
        public var listSince: String?
        /// The greatest change time of the unfinished listing (`list_max_seen`).
        public var listMaxSeen: String?
        /// Tuor: the `updated_at` of the last whole export record (`export_since`).
        public var exportSince: String?

        /// Creates the stream's state.
        public init() {}
    }

    /// One project's streams.
    public struct Project: Sendable, Hashable {
        /// The prompts stream.
        public var prompts = Prompts()
        /// The traces stream.
        public var traces = Traces()

        /// Creates an empty project state.
        public init() {}
    }

    /// When the checkpoint was last written.
    public var updatedAt: String
    /// Per project id.
    public var streams: [String: Project]

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - updatedAt: when it was written.
    ///   - streams: per project.
    public init(updatedAt: String, streams: [String: Project]) {
        self.updatedAt = updatedAt
        self.streams = streams
    }

    /// The file's JSON: members in the documented order, projects sorted, two-space indentation.
    public var json: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        var projects = JSONObject()
        for id in streams.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
            let project = streams[id]!
            var traces: [(String, JSONValue)] = [
                ("cursor", text(project.traces.cursor)),
                ("high_water_mark", text(project.traces.highWaterMark)),
                ("last_trace_id", text(project.traces.lastTraceID)),
            ]
            if project.traces.listSince != nil { traces.append(("list_since", text(project.traces.listSince))) }
            if project.traces.listMaxSeen != nil { traces.append(("list_max_seen", text(project.traces.listMaxSeen))) }
            if project.traces.exportSince != nil { traces.append(("export_since", text(project.traces.exportSince))) }
            projects[id] = .object(
                JSONObject([
                    (
                        "prompts",
                        .object(
                            JSONObject(
                                [
                                    ("high_water_mark", text(project.prompts.highWaterMark)),
                                    ("etag", text(project.prompts.etag)),
                                ]
                                    + (project.prompts.observedAt.map { [("observed_at", JSONValue.string($0))] } ?? [])
                            )
                        )
                    ),
                    ("traces", .object(JSONObject(traces))),
                ])
            )
        }
        return .object(
            JSONObject([("format_version", 1), ("updated_at", .string(updatedAt)), ("streams", .object(projects))])
        )
    }

    /// Reads a parsed `state.json`.
    /// Fails (`nil`) when it is not a version-1 checkpoint.
    ///
    /// - Parameter json: the file's JSON.
    public init?(json: JSONValue) {
        guard json["format_version"]?.int64Value == 1, let updated = json["updated_at"]?.stringValue,
            let streams = json["streams"]?.objectValue
        else { return nil }
        var projects: [String: Project] = [:]
        for (id, value) in streams {
            var project = Project()
            project.prompts.highWaterMark = value["prompts"]?["high_water_mark"]?.stringValue
            project.prompts.etag = value["prompts"]?["etag"]?.stringValue
            project.prompts.observedAt = value["prompts"]?["observed_at"]?.stringValue
            let traces = value["traces"]
            project.traces.cursor = traces?["cursor"]?.stringValue
            project.traces.highWaterMark = traces?["high_water_mark"]?.stringValue
            project.traces.lastTraceID = traces?["last_trace_id"]?.stringValue
            project.traces.listSince = traces?["list_since"]?.stringValue
            project.traces.listMaxSeen = traces?["list_max_seen"]?.stringValue
            project.traces.exportSince = traces?["export_since"]?.stringValue
            projects[id] = project
        }
        self.init(updatedAt: updated, streams: projects)
    }
}
