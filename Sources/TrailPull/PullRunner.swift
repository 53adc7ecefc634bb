internal import Foundation
public import Logging
private import Synchronization
public import TrailClient
internal import TrailConcurrency
internal import TrailJSON
internal import TrailModel
internal import TrailWorkspace

/// Runs a pull: for each project, every prompt version, then the traces from the saved position, in
/// durable batches each followed by a checkpoint.
///
/// Records are validated on the way in (the upstream schema for the payload, the PromptTrail schema for
/// the record); refused ones go to quarantine with their errors. The runner never throws: the outcome,
/// failures included, is in the returned ``PullSummary``.
public struct PullRunner: Sendable {
    /// The options.
    public let options: PullOptions
    let transport: (any HTTPTransport)?
    let validator: any RecordValidator
    /// Why the bundled schemas could not be compiled, when no validator was given and they failed: a
    /// build defect that `BundledSchemaValidatorTests` catches. A run then fails at once, naming it.
    let validatorFailure: String?
    let logger: Logger
    let observer: @Sendable (PullEvent) -> Void

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - options: what to pull and where.
    ///   - transport: the HTTP transport; an AsyncHTTPClient one when `nil`.
    ///   - validator: checks payloads and records; the bundled schemas (``BundledSchemaValidator``) when
    ///     `nil`.
    ///   - logger: log lines (no credentials, ever).
    ///   - observer: progress events.
    public init(
        options: PullOptions,
        transport: (any HTTPTransport)? = nil,
        validator: (any RecordValidator)? = nil,
        logger: Logger = Logger(label: "prompttrail.pull"),
        observer: @escaping @Sendable (PullEvent) -> Void = { _ in }
    ) {
        self.options = options
        self.transport = transport
        if let validator {
            self.validator = validator
            validatorFailure = nil
        } else {
            do {
                self.validator = try BundledSchemaValidator()
                validatorFailure = nil
            } catch {
                self.validator = RefusingValidator()
                validatorFailure =
                    "the schemas built into this trail-pull do not compile, so no record can be checked (a broken "
                    + "build: reinstall PromptTrail, or report it with this message): \(error)"
            }
        }
        self.logger = logger
        self.observer = observer
    }

    /// Pulls every project.
    ///
    /// - Returns: what happened.
    public func run() async -> PullSummary {
        let started = ContinuousClock.now
        var summary = PullSummary(source: options.source.rawValue, workspace: options.workspace)
        if let validatorFailure {
            summary.error = validatorFailure
            return summary
        }
        let counters = Mutex((requests: 0, retries: 0))
        let observer = self.observer
        var configuration = ClientConfiguration(
            source: options.source,
            baseURL: options.baseURL,
            apiKey: options.apiKey
        )
        configuration.retryPolicy = options.retryPolicy
        configuration.requestTimeout = options.requestTimeout
        configuration.concurrency = max(1, options.concurrency)
        configuration.overlapSeconds = options.overlapSeconds
        configuration.since = options.since
        configuration.until = options.until
        if let pageSize = options.pageSize { configuration.pageSize = pageSize }
        let ownTransport =
            transport == nil ? AsyncHTTPClientTransport(maxConnectionsPerHost: max(2, options.concurrency * 2)) : nil
        let executor = RequestExecutor(
            configuration: configuration,
            transport: transport ?? ownTransport!,
            rateLimiter: RateLimiter(ratePerSecond: options.requestsPerSecond, burst: max(4, options.concurrency * 2)),
            logger: logger,
            observer: { event in
                switch event {
                case .request: counters.withLock { $0.requests += 1 }
                case .retry(_, let reason):
                    counters.withLock { $0.retries += 1 }
                    observer(.retried(reason: reason))
                }
            }
        )
        let client: any PlatformClient =
            switch options.source {
            case .tuor: TuorClient(executor: executor)
            case .tracia: TraciaClient(executor: executor)
            }
        do {
            let workspace = try Workspace(
                root: options.workspace,
                source: options.source,
                baseURL: configuration.baseURL,
                projects: options.projects,
                now: Self.now(),
                toolVersion: options.toolVersion
            )
            let results = await withTaskGroup(of: (String, PullSummary.Project).self) { group in
                var pending = options.projects[...]
                var results: [(String, PullSummary.Project)] = []
                for _ in 0..<max(1, options.concurrency) {
                    guard let project = pending.popFirst() else { break }
                    group.addTask { (project, await pullProject(project, client: client, workspace: workspace)) }
                }
                while let result = await group.next() {
                    results.append(result)
                    if let project = pending.popFirst() {
                        group.addTask { (project, await pullProject(project, client: client, workspace: workspace)) }
                    }
                }
                return results
            }
            for (project, counts) in results { summary.projects[project] = counts }
        } catch {
            summary.error = "\(error)"
            // The summary carries the error to the one line the tool prints; the log repeats it at debug.
            logger.debug("pull failed", metadata: ["error": "\(error)"])
        }
        if let ownTransport { try? await ownTransport.shutdown() }
        let totals = counters.withLock { $0 }
        summary.requests = totals.requests
        summary.retried = totals.retries
        let elapsed = started.duration(to: .now).components
        summary.durationSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return summary
    }

    func pullProject(_ project: String, client: any PlatformClient, workspace: Workspace) async -> PullSummary.Project {
        observer(.started(project: project))
        var counts = PullSummary.Project()
        do {
            try await pullProject(project, client: client, workspace: workspace, counts: &counts)
        } catch {
            counts.error = "\(error)"
            logger.debug("project could not be completed", metadata: ["project": "\(project)", "error": "\(error)"])
        }
        observer(.finished(project: project, summary: counts))
        return counts
    }

    func pullProject(
        _ project: String,
        client: any PlatformClient,
        workspace: Workspace,
        counts: inout PullSummary.Project
    ) async throws {
        let quarantine = QuarantineStore(workspace: workspace.root)

        // Prompt versions: every version the upstream serves (Tracia: the current one of each prompt),
        // merged into the held ones, which are never lost; then which version is active, per prompt.
        let observedAt = Self.now()
        let root = workspace.root
        let stores = try await BlockingWork.run {
            Lent(
                (
                    try PromptStore(workspace: root, project: project),
                    try ActivationStore(workspace: root, project: project)
                )
            )
        }
        let (prompts, activations) = stores.value
        let listing = try await client.prompts(project: project)
        var accepted: [PromptVersionRecord] = []
        var refused: [(payload: JSONValue, issues: [RecordIssue])] = []
        for pulled in listing.versions {
            switch check(pulled, recordSchema: "prompttrail/prompt-version", json: { $0.json }) {
            case .success(let record): accepted.append(record)
            case .failure(let refusal): refused.append((pulled.payload, refusal.issues))
            }
        }
        let acceptedVersions = accepted
        let merge = try await BlockingWork.run { try stores.value.0.apply(acceptedVersions, observedAt: observedAt) }
        for conflict in merge.conflicts {
            refused.append(
                (
                    conflict.record.json["source_payload"] ?? .null,
                    [RecordIssue(instanceLocation: "", message: conflict.message)]
                )
            )
        }
        let refusedVersions = refused
        try await BlockingWork.run {
            try quarantine.append(refusedVersions, project: project, stream: "prompts", receivedAt: observedAt)
        }
        counts.new += merge.counts.new
        counts.updated += merge.counts.updated
        counts.unchanged += merge.counts.unchanged
        counts.quarantined += refused.count
        counts.promptVersions = prompts.records.count
        let previous = workspace.streams(of: project).prompts.observedAt
        let observed = listing.activations
        let source = client.source
        counts.activationsRecorded = try await BlockingWork.run {
            try stores.value.1.record(
                observed,
                source: source,
                observedAt: observedAt,
                previouslyObservedAt: previous
            )
        }
        workspace.update(project) { state in
            state.prompts.highWaterMark = prompts.highWaterMark
            state.prompts.observedAt = observedAt
        }
        try await BlockingWork.run { try workspace.writeCheckpoint(now: Self.now()) }
        let heldVersions = Set(prompts.records.map(\.id))
        var promptIDs: [String: String] = [:]
        for record in prompts.records {
            guard let slug = record.key, let at = record.id.lastIndex(of: "@") else { continue }
            promptIDs[slug] = String(record.id[..<at])
        }
        promptIDs.merge(activations.promptIDsByKey) { _, newest in newest }
        var neverObserved: [NeverObservedKey: Int] = [:]

        // Traces: from the saved position, in durable batches.
        let lentTraces = try await BlockingWork.run { Lent(try TraceStore(workspace: root, project: project)) }
        let traces = lentTraces.value
        let saved = workspace.streams(of: project).traces
        let start = TraceStreamPosition(
            listSince: saved.listSince,
            listCursor: saved.cursor,
            listMaxSeen: saved.listMaxSeen,
            exportSince: saved.exportSince
        )
        // Records wait for their batch serialized, a fraction of the size of parsed records.
        var buffer: [StoredTrace] = []
        var refusedTraces: [(payload: JSONValue, issues: [RecordIssue])] = []
        var received = 0
        let batchSize = max(1, options.batchSize)
        /// Writes the batch and the refused records (off the cooperative pool), then the checkpoint.
        func flush(_ position: TraceStreamPosition) async throws {
            let batch = buffer
            let refused = refusedTraces
            buffer = []
            buffer.reserveCapacity(min(batchSize, 1 << 16))
            refusedTraces.removeAll()
            let written = try await BlockingWork.run {
                try quarantine.append(refused, project: project, stream: "traces", receivedAt: Self.now())
                return try lentTraces.value.apply(batch)
            }
            counts.new += written.new
            counts.updated += written.updated
            counts.unchanged += written.unchanged
            counts.quarantined += refused.count
            counts.batches += 1
            workspace.update(project) { state in
                state.traces.cursor = position.listCursor
                state.traces.listSince = position.listSince
                state.traces.listMaxSeen = position.listMaxSeen
                state.traces.exportSince = position.exportSince
                if let mark = traces.highWaterMark {
                    state.traces.highWaterMark = mark.text
                    state.traces.lastTraceID = mark.id
                }
            }
            try await BlockingWork.run { try workspace.writeCheckpoint(now: Self.now()) }
            observer(.progress(project: project, records: received, batches: counts.batches))
        }
        var last = start
        try await client.traces(project: project, from: start, promptIDs: promptIDs) { event in
            switch event {
            case .item(let pulled):
                received += 1
                switch check(pulled, recordSchema: "prompttrail/trace", json: { $0.json }) {
                case .success(let record):
                    if let key = NeverObservedKey(record.json, held: heldVersions) {
                        neverObserved[key, default: 0] += 1
                    }
                    buffer.append(StoredTrace(record))
                case .failure(let refusal): refusedTraces.append((pulled.payload, refusal.issues))
                }
            case .checkpoint(let position):
                last = position
                if buffer.count + refusedTraces.count >= batchSize { try await flush(position) }
            }
        }
        try await flush(last)
        counts.traces = traces.count
        counts.neverObserved = neverObserved.map { PullSummary.NeverObserved(key: $0.key, traces: $0.value) }
            .sorted(by: PullSummary.NeverObserved.precedes)
    }

    /// Validates the payload against its upstream schema and the record against PromptTrail's.
    func check<Record: Sendable>(
        _ pulled: Pulled<Record>,
        recordSchema: String,
        json: (Record) -> JSONValue
    ) -> Result<Record, RecordRefusal> {
        var issues: [RecordIssue] = []
        if let schema = pulled.schema { issues += validator.validate(pulled.payload, schema: schema) }
        switch pulled.record {
        case .failure(let refusal):
            issues += refusal.issues
        case .success(let record):
            guard issues.isEmpty else { break }
            issues += validator.validate(json(record), schema: recordSchema).map { issue in
                RecordIssue(
                    instanceLocation: issue.instanceLocation,
                    keywordLocation: issue.keywordLocation,
                    message: "normalized record: " + issue.message
                )
            }
            if issues.isEmpty { return .success(record) }
        }
        return .failure(RecordRefusal(issues))
    }

    static func now() -> String {
        let micros = Int64(Date().timeIntervalSince1970 * 1000) * 1000
        return Timestamp(microseconds: micros).description
    }
}

/// A prompt version that traces name but that no pull ever observed (or, for a Tracia span, a slug no pull
/// ever observed).
struct NeverObservedKey: Hashable {
    var promptKey: String?
    var promptVersionID: String?
    var version: Int64?

    /// The key for a trace record, or `nil` when the trace names no version or a held one.
    init?(_ record: JSONValue, held: Set<String>) {
        let id = record["prompt_version_id"]?.stringValue
        if let id {
            guard !held.contains(id) else { return nil }
        } else if record["prompt_version"]?.int64Value == nil {
            return nil
        }
        promptVersionID = id
        version = record["prompt_version"]?.int64Value
        promptKey = record["source_payload"]?["promptSlug"]?.stringValue
    }
}

extension PullSummary.NeverObserved {
    init(key: NeverObservedKey, traces: Int) {
        self.init(promptKey: key.promptKey, promptVersionID: key.promptVersionID, version: key.version, traces: traces)
    }
}
