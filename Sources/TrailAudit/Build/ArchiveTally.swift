public import TrailModel

/// Counts gathered while archiving or verifying, and bounded samples for the report.
///
/// Samples keep at most ``sampleLimit`` items each so that memory does not grow with the number of
/// traces; `lineage.jsonl` lists every output.
public struct ArchiveTally: Sendable {
    /// The most ids listed per sample.
    public static let sampleLimit = 100

    /// Prompt versions archived.
    public var promptVersions = 0
    /// Traces archived.
    public var traces = 0
    /// Traces whose prompt version is in the archive.
    public var linked = 0
    /// Traces that name no prompt version.
    public var unlinked = 0
    /// Traces that name a prompt version the archive does not hold, though PromptTrail observed it.
    public var dangling = 0
    /// Traces that name a prompt version no pull ever observed.
    public var neverObserved = 0
    /// Activation history lines archived.
    public var activations = 0
    /// Records moved to `data/quarantine/` while archiving.
    public var quarantined = 0
    /// Quarantine records carried over from the workspace.
    public var carriedQuarantine = 0
    /// Traces per project and prompt version id (`""` for unlinked).
    public var tracesPerVersion: [String: [String: Int]] = [:]
    /// Version numbers per prompt version id.
    public var versionNumbers: [String: Int64] = [:]
    /// Some unlinked traces: project and trace id.
    public var unlinkedSample: [(project: String, trace: String)] = []
    /// Some dangling traces: project, trace id and the missing version id.
    public var danglingSample: [(project: String, trace: String, promptVersion: String)] = []
    /// Some traces naming a never-observed version: project, trace id and the version id.
    public var neverObservedSample: [(project: String, trace: String, promptVersion: String)] = []
    /// Some validation failures: file, line and problems.
    public var failureSample: [(file: String, line: Int, problems: [RecordIssue])] = []
    /// All validation failures.
    public var failures = 0
    /// Earliest trace `created_at` (as written) and its epoch seconds.
    public var earliest: (text: String, seconds: Int64)?
    /// Latest trace `created_at` (as written) and its epoch seconds.
    public var latest: (text: String, seconds: Int64)?

    /// An empty tally.
    public init() {}

    mutating func noteFailure(file: String, line: Int, problems: [RecordIssue]) {
        failures += 1
        if failureSample.count < Self.sampleLimit { failureSample.append((file, line, problems)) }
    }

    /// Counts a trace with its lineage; `created` is its `created_at` parsed (`nil` when it is not a date-time).
    mutating func noteTrace(_ lineage: LineageRecord, createdAt: String, created: Timestamp?) {
        count(projectID: lineage.projectID, promptVersionID: lineage.promptVersionID, status: lineage.status, traces: 1)
        switch lineage.status {
        case .linked:
            break
        case .unlinked:
            if unlinkedSample.count < Self.sampleLimit { unlinkedSample.append((lineage.projectID, lineage.traceID)) }
        case .dangling:
            if danglingSample.count < Self.sampleLimit {
                danglingSample.append((lineage.projectID, lineage.traceID, lineage.promptVersionID ?? ""))
            }
        case .neverObserved:
            if neverObservedSample.count < Self.sampleLimit {
                neverObservedSample.append((lineage.projectID, lineage.traceID, lineage.promptVersionID ?? ""))
            }
        }
        noteCreated(createdAt, created)
    }

    /// Counts `traces` traces of one project and prompt version with one lineage status, samples aside (what
    /// ``noteTrace(_:createdAt:created:)`` counts, for traces counted together: ``TraceCountBatch``).
    mutating func count(projectID: String, promptVersionID: String?, status: LineageRecord.Status, traces count: Int) {
        traces += count
        tracesPerVersion[projectID, default: [:]][promptVersionID ?? "", default: 0] += count
        switch status {
        case .linked: linked += count
        case .unlinked: unlinked += count
        case .dangling: dangling += count
        case .neverObserved: neverObserved += count
        }
    }

    /// Notes a trace's `created_at` (as written, and parsed) for the earliest and latest.
    mutating func noteCreated(_ createdAt: String, _ created: Timestamp?) {
        if let seconds = created?.epochSeconds {
            if earliest.map({ seconds < $0.seconds }) ?? true { earliest = (createdAt, seconds) }
            if latest.map({ seconds > $0.seconds }) ?? true { latest = (createdAt, seconds) }
        }
    }
}
