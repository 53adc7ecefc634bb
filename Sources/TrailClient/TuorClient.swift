internal import TrailJSON
public import TrailModel

/// Tuor's Integration API: prompts, the paginated trace list (for pending traces) and the JSONL export
/// (for reviewed ones).
public struct TuorClient: PlatformClient {
    /// The executor with the configuration, transport and retry policy.
    public let executor: RequestExecutor

    /// Creates a client.
    ///
    /// - Parameter executor: the executor.
    public init(executor: RequestExecutor) {
        self.executor = executor
    }

    /// Always ``Source/tuor``.
    public var source: Source { .tuor }

    /// `GET /v1/projects/{project_id}/prompts`: the `active` version and every `history` item, and which
    /// version is active.
    ///
    /// An object listed twice with the same bytes (the active version is also a history item) counts once.
    /// Objects that share an `id` but differ are all refused, with the positions of each: the listing
    /// does not say which one is the version, and dropping one would lose it silently.
    ///
    /// - Parameter project: the project id.
    /// - Returns: the versions and the activation.
    /// - Throws: ``ClientError``.
    public func prompts(project: String) async throws -> PromptListing {
        let request = executor.request("/v1/projects/\(RequestExecutor.encode(project))/prompts")
        let body = try await executor.json(request)
        guard let object = body.objectValue, let history = object["history"]?.arrayValue else {
            throw ClientError.malformedResponse(path: request.pathAndQuery, message: "no history array")
        }
        var payloads: [(payload: JSONValue, place: String)] = history.enumerated().map { ($1, "/history/\($0)") }
        var active: JSONValue?
        if let value = object["active"], !value.isNull { active = value }
        if let active { payloads.insert((active, "/active"), at: 0) }
        var places: [JSONValue: [String]] = [:]
        var distinct: [JSONValue: [JSONValue]] = [:]
        for (payload, place) in payloads {
            let id = payload["id"] ?? payload
            places[id, default: []].append(place)
            if !(distinct[id]?.contains(payload) ?? false) { distinct[id, default: []].append(payload) }
        }
        var emitted = Set<JSONValue>()
        var output: [Pulled<PromptVersionRecord>] = []
        for (payload, _) in payloads {
            let id = payload["id"] ?? payload
            let variants = distinct[id] ?? []
            if variants.count > 1 {
                output.append(
                    Pulled(
                        payload: payload,
                        schema: "tuor/prompt-version",
                        record: .failure(
                            RecordRefusal(
                                at: "/id",
                                "the prompts response holds \(variants.count) different objects with the id "
                                    + "\(id.stringValue ?? "\(id)") (at \(places[id]!.joined(separator: ", "))); "
                                    + "none is taken as that version"
                            )
                        )
                    )
                )
                continue
            }
            guard emitted.insert(id).inserted else { continue }
            output.append(
                Pulled(
                    payload: payload,
                    schema: "tuor/prompt-version",
                    record: Normalizer.tuorPromptVersion(payload, projectID: project)
                )
            )
        }
        let activation = PromptActivation(
            promptID: nil,
            promptKey: nil,
            promptVersionID: active?["id"]?.stringValue,
            version: active?["version"]?.int64Value
        )
        return PromptListing(versions: output, activations: [activation])
    }

    /// Pending traces from `GET /v1/traces/?status=pending`, then reviewed traces from the export.
    ///
    /// - Parameters:
    ///   - project: the project id.
    ///   - position: where the last pull stopped.
    ///   - promptIDs: unused (Tuor traces carry their version id).
    ///   - sink: receives items and checkpoints.
    /// - Throws: ``ClientError``, `CancellationError`, or what `sink` throws.
    public func traces(
        project: String,
        from position: TraceStreamPosition,
        promptIDs: [String: String],
        sink: (TraceEvent) async throws -> Void
    ) async throws {
        var position = position
        try await listPending(project: project, position: &position, sink: sink)
        try await export(project: project, position: &position, sink: sink)
    }

    func lowerBound(_ mark: String?) -> String? {
        let configured = executor.configuration.since
        let fromMark = mark.flatMap(Timestamp.init).map {
            $0.subtracting(seconds: executor.configuration.overlapSeconds)
        }
        switch (configured, fromMark) {
        case (let a?, let b?): return max(a, b).description
        case (let a?, nil): return a.description
        case (nil, let b?): return b.description
        case (nil, nil): return nil
        }
    }

    func listPending(
        project: String,
        position: inout TraceStreamPosition,
        sink: (TraceEvent) async throws -> Void
    )
        async throws
    {
        let configuration = executor.configuration
        // The bound depends only on the saved mark, so a listing resumed from its cursor repeats its query.
        let since = lowerBound(position.listSince)
        var query: [(String, String)] = [
            ("project_id", project), ("status", "pending"), ("limit", String(configuration.pageSize)),
        ]
        if let since { query.append(("updated_since", since)) }
        if let until = configuration.until { query.append(("until", until.description)) }
        let executor = self.executor
        let baseQuery = query
        let fetch: Paginator<JSONValue>.Fetch = { cursor in
            var pageQuery = baseQuery
            if let cursor { pageQuery.append(("cursor", cursor)) }
            let request = executor.request("/v1/traces/", query: pageQuery)
            let body = try await executor.json(request)
            guard let items = body["data"]?.arrayValue else {
                throw ClientError.malformedResponse(path: request.pathAndQuery, message: "no data array")
            }
            return (items, body["next_cursor"]?.stringValue)
        }
        try await ListingDriver.run(
            executor: executor,
            path: "/v1/traces/",
            position: &position,
            fetch: fetch,
            normalize: { items in
                items.map { item in
                    (
                        Pulled(
                            payload: item,
                            schema: "tuor/trace",
                            record: Normalizer.tuorTrace(item, projectID: project)
                        ),
                        item["updated_at"]?.stringValue ?? item["created_at"]?.stringValue
                    )
                }
            },
            sink: sink
        )
    }

    func export(
        project: String,
        position: inout TraceStreamPosition,
        sink: (TraceEvent) async throws -> Void
    )
        async throws
    {
        let configuration = executor.configuration
        let policy = configuration.retryPolicy
        var failuresWithoutProgress = 0
        while true {
            var query: [(String, String)] = [("project_id", project)]
            if let since = lowerBound(position.exportSince) { query.append(("since", since)) }
            if let until = configuration.until { query.append(("until", until.description)) }
            let request = executor.request("/v1/traces/export", query: query)
            let path = request.pathAndQuery
            let lastResort = failuresWithoutProgress + 1 >= policy.maxAttempts
            var progressed = false
            let outcome: String?
            do {
                let response = try await executor.open(request)
                var splitter = LineSplitter(maxLineBytes: configuration.maxLineBytes)
                outcome = try await Self.readExport(
                    response.body,
                    splitter: &splitter,
                    project: project,
                    lastResort: lastResort,
                    position: &position,
                    progressed: &progressed,
                    sink: sink
                )
            } catch let error as ClientError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                outcome = "stream failed: \(error)"
            }
            guard let failure = outcome else { return }
            failuresWithoutProgress = progressed ? 0 : failuresWithoutProgress + 1
            guard failuresWithoutProgress < policy.maxAttempts else {
                throw ClientError.noProgress(path: path, message: failure)
            }
            try await executor.backOff(path: path, reason: failure, attempt: max(1, failuresWithoutProgress))
        }
    }

    /// Reads an export body line by line; returns `nil` at a clean end, or why it stopped early (a
    /// truncated line or a dropped connection). A partial last line is never delivered.
    static func readExport(
        _ body: HTTPBody,
        splitter: inout LineSplitter,
        project: String,
        lastResort: Bool,
        position: inout TraceStreamPosition,
        progressed: inout Bool,
        sink: (TraceEvent) async throws -> Void
    ) async throws -> String? {
        for try await chunk in body {
            let lines = try splitter.push(chunk)
            for line in lines where !line.isEmpty {
                guard let value = try? JSONParser().parse(line) else {
                    let issue = RecordIssue(
                        instanceLocation: "",
                        message: "a line of the export is not JSON (truncated?)"
                    )
                    if lastResort {
                        // The same line failed on every attempt: keep it in quarantine and read on.
                        let text = String(decoding: line, as: UTF8.self)
                        try await sink(
                            .item(Pulled(payload: .string(text), schema: nil, record: .failure(RecordRefusal([issue]))))
                        )
                        progressed = true
                        continue
                    }
                    return "truncated line in the export"
                }
                let pulled = Pulled(
                    payload: value,
                    schema: "tuor/export-line",
                    record: Normalizer.tuorTrace(value, projectID: project)
                )
                try await sink(.item(pulled))
                if let updated = value["updated_at"]?.stringValue, Timestamp(updated) != nil {
                    position.exportSince = TraceStreamPosition.later(position.exportSince, updated)
                }
                try await sink(.checkpoint(position))
                progressed = true
            }
        }
        if splitter.hasPartialLine { return "the export ended inside a line" }
        return nil
    }
}
