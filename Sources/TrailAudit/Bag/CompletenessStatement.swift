public import TrailJSON
public import TrailModel

/// What an archive claims to hold in full: `completeness.json`, a tag file covered by the tag manifest and
/// so by the signature.
///
/// For each project, the half-open window `[since, until)` of trace `created_at` instants that the archive
/// holds completely. `until` comes from the pull, not from the data: it is the project's trace high-water
/// mark in `state.json` (the greatest `updated_at` the last pull received; every trace created before it
/// was listed by then), or `--until` when that is earlier. `since` is `--since`, or `null` for "from the
/// first trace". Traces outside the window are left out of the archive. The statement also carries the
/// counts a verifier recounts: prompt versions and traces per project, traces per UTC day and per
/// prompt version, and the digest of the payload manifest.
public struct CompletenessStatement: Sendable, Equatable {
    /// One project's window and counts.
    public struct Project: Sendable, Equatable {
        /// The start of the window, or `nil` for no lower bound.
        public var since: Timestamp?
        /// The end of the window (exclusive), or `nil` when the workspace records no pull of its traces.
        public var until: Timestamp?
        /// The project's prompt versions in the archive.
        public var promptVersions: Int
        /// The project's traces in the archive.
        public var traces: Int
        /// Traces per UTC day.
        public var days: [String: Int]
        /// Traces per prompt version id, with `(unlinked)`, `(dangling)` and `(never observed)`.
        public var versions: [String: Int]

        /// Whether `instant` lies in `[since, until)`.
        public func contains(_ instant: Timestamp) -> Bool {
            (since.map { $0 <= instant } ?? true) && (until.map { instant < $0 } ?? true)
        }
    }

    /// The platform (`tuor`, `tracia`).
    public var source: String
    /// The API base URL pulled from.
    public var baseURL: String
    /// When the workspace was last pulled (`state.json` `updated_at`), if it records it.
    public var lastPull: String?
    /// Projects by id.
    public var projects: [String: Project]
    /// The SHA-256 of `manifest-sha256.txt`, which lists the digest of every payload file.
    public var payloadManifestSHA256: String

    /// The file name in the archive.
    public static let fileName = "completeness.json"
    /// The bundled schema of the file.
    public static let schemaID = "https://schemas.prompttrail.dev/prompttrail/completeness/v1.json"

    /// Creates a statement.
    public init(
        source: String,
        baseURL: String,
        lastPull: String?,
        projects: [String: Project],
        payloadManifestSHA256: String
    ) {
        self.source = source
        self.baseURL = baseURL
        self.lastPull = lastPull
        self.projects = projects
        self.payloadManifestSHA256 = payloadManifestSHA256
    }

    /// The counts of ``AuditPageData``, gathered while the records were read, with each project's window.
    ///
    /// - Parameters:
    ///   - page: the gathered records.
    ///   - windows: each project's `[since, until)`.
    ///   - projects: every project of the workspace, including those without records.
    /// - Returns: each project's counts.
    public static func counts(
        of page: AuditPageData,
        windows: [String: (since: Timestamp?, until: Timestamp?)],
        projects: [String]
    ) -> [String: Project] {
        var result: [String: Project] = [:]
        for id in Set(projects).union(page.projects.keys) {
            let data = page.projects[id] ?? AuditPageData.Project()
            var days: [String: Int] = [:]
            var versions: [String: Int] = [:]
            for (day, counts) in data.perDay {
                days[day] = counts.values.reduce(0, +)
                for (key, count) in counts { versions[key, default: 0] += count }
            }
            result[id] = Project(
                since: windows[id]?.since,
                until: windows[id]?.until,
                promptVersions: data.versions.count,
                traces: data.linked + data.unlinked + data.dangling + data.neverObserved,
                days: days,
                versions: versions
            )
        }
        return result
    }

    /// The statement as JSON, keys in a fixed order.
    public var json: JSONValue {
        func counts(_ map: [String: Int]) -> JSONValue {
            .object(JSONObject(map.keys.sorted().map { ($0, .number(JSONNumber(map[$0]!))) }))
        }
        let projects = self.projects.keys.sorted().map { id -> (String, JSONValue) in
            let project = self.projects[id]!
            return (
                id,
                .object(
                    JSONObject([
                        ("since", project.since.map { .string($0.description) } ?? .null),
                        ("until", project.until.map { .string($0.description) } ?? .null),
                        ("prompt_versions", .number(JSONNumber(project.promptVersions))),
                        ("traces", .number(JSONNumber(project.traces))),
                        ("traces_per_day", counts(project.days)),
                        ("traces_per_prompt_version", counts(project.versions)),
                    ])
                )
            )
        }
        return .object(
            JSONObject([
                ("statement", "traces created in [since, until) of each project are all in this archive"),
                ("source", .string(source)),
                ("base_url", .string(baseURL)),
                ("last_pull", lastPull.map(JSONValue.string) ?? .null),
                ("prompt_versions", .number(JSONNumber(self.projects.values.reduce(0) { $0 + $1.promptVersions }))),
                ("traces", .number(JSONNumber(self.projects.values.reduce(0) { $0 + $1.traces }))),
                ("projects", .object(JSONObject(projects))),
                ("payload_manifest_sha256", .string(payloadManifestSHA256)),
            ])
        )
    }

    /// The file's bytes: indented JSON and a final line feed.
    public var bytes: [UInt8] { Array((json.serializedString(pretty: true) + "\n").utf8) }

    /// Reads a statement.
    ///
    /// - Parameter bytes: the file's bytes.
    /// - Returns: the statement, or `nil` with the reason when it is not one.
    public static func parse(_ bytes: [UInt8]) -> Result<CompletenessStatement, AuditError> {
        func fail(_ message: String) -> Result<CompletenessStatement, AuditError> {
            .failure(.invalidOption("\(fileName): \(message)"))
        }
        guard let value = try? JSONParser().parse(bytes) else { return fail("not JSON") }
        guard let source = value["source"]?.stringValue, let baseURL = value["base_url"]?.stringValue,
            let digest = value["payload_manifest_sha256"]?.stringValue,
            let projectValues = value["projects"]?.objectValue
        else { return fail("needs source, base_url, projects and payload_manifest_sha256") }
        var projects: [String: Project] = [:]
        for (id, item) in projectValues {
            func instant(_ key: String) -> Timestamp?? {
                guard let member = item[key] else { return .some(nil) }
                if member == .null { return .some(nil) }
                return member.stringValue.flatMap(Timestamp.init).map { .some($0) }
            }
            func counts(_ key: String) -> [String: Int]? {
                guard let object = item[key]?.objectValue else { return nil }
                var result: [String: Int] = [:]
                for (name, count) in object {
                    guard let number = count.int64Value else { return nil }
                    result[name] = Int(number)
                }
                return result
            }
            guard let since = instant("since"), let until = instant("until"),
                let versions = item["prompt_versions"]?.int64Value, let traces = item["traces"]?.int64Value,
                let days = counts("traces_per_day"), let perVersion = counts("traces_per_prompt_version")
            else { return fail("project \(id) lacks a window or its counts") }
            projects[id] = Project(
                since: since,
                until: until,
                promptVersions: Int(versions),
                traces: Int(traces),
                days: days,
                versions: perVersion
            )
        }
        return .success(
            CompletenessStatement(
                source: source,
                baseURL: baseURL,
                lastPull: value["last_pull"]?.stringValue,
                projects: projects,
                payloadManifestSHA256: digest
            )
        )
    }
}
