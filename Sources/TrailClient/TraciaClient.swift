internal import TrailJSON
public import TrailModel

/// Tracia's REST API: prompts with their versions, and spans (listed, then fetched one by one, because
/// list items carry no `promptVersion`).
///
/// Tracia keys are account-wide, so a Tracia workspace mirrors the whole account into one project id.
public struct TraciaClient: PlatformClient {
    /// The executor with the configuration, transport and retry policy.
    public let executor: RequestExecutor

    /// Creates a client.
    ///
    /// - Parameter executor: the executor.
    public init(executor: RequestExecutor) {
        self.executor = executor
    }

    /// Always ``Source/tracia``.
    public var source: Source { .tracia }

    /// `GET /prompts`, then `GET /prompts/{slug}` for each: the current version of every prompt (all the
    /// REST API serves), and which version is current per prompt. A `versions` array, which only the
    /// Python SDK models (and the emulator serves with `--tracia-versions`), is read when present.
    ///
    /// - Parameter project: the workspace project the account is mirrored into.
    /// - Returns: the versions and the activations.
    /// - Throws: ``ClientError``.
    public func prompts(project: String) async throws -> PromptListing {
        let listRequest = executor.request("/prompts")
        let list = try await executor.json(listRequest)
        guard let prompts = list["prompts"]?.arrayValue else {
            throw ClientError.malformedResponse(path: listRequest.pathAndQuery, message: "no prompts array")
        }
        let slugs = prompts.compactMap { $0["slug"]?.stringValue }
        let executor = self.executor
        let details = try await Self.concurrentMap(slugs, width: executor.configuration.concurrency) { slug in
            try await executor.json(executor.request("/prompts/" + RequestExecutor.encode(slug)))
        }
        var output: [Pulled<PromptVersionRecord>] = []
        var activations: [PromptActivation] = []
        for prompt in details {
            if let activation = PromptActivation.tracia(prompt) { activations.append(activation) }
            let hasVersions = prompt["versions"]?.arrayValue != nil
            let versions = prompt["versions"]?.arrayValue ?? [prompt]
            let results = Normalizer.traciaPromptVersions(prompt, projectID: project)
            if results.count == versions.count {
                for (payload, result) in zip(versions, results) {
                    output.append(
                        Pulled(
                            payload: payload,
                            schema: hasVersions ? "tracia/prompt-version" : "tracia/prompt",
                            record: result
                        )
                    )
                }
            } else {
                output += results.map { Pulled(payload: prompt, schema: "tracia/prompt", record: $0) }
            }
        }
        return PromptListing(versions: output, activations: activations)
    }

    /// `GET /spans` from the saved position, then `GET /spans/{spanId}` for each listed span.
    ///
    /// - Parameters:
    ///   - project: the workspace project.
    ///   - position: where the last pull stopped.
    ///   - promptIDs: prompt ids by every slug they were observed under, to link spans to
    ///     `<prompt id>@<version>` (a renamed prompt's spans keep the slug they were logged with).
    ///   - sink: receives items and checkpoints.
    /// - Throws: ``ClientError``, `CancellationError`, or what `sink` throws.
    public func traces(
        project: String,
        from position: TraceStreamPosition,
        promptIDs: [String: String],
        sink: (TraceEvent) async throws -> Void
    ) async throws {
        let configuration = executor.configuration
        var position = position
        var query: [(String, String)] = [("limit", String(configuration.pageSize))]
        let fromMark = position.listSince.flatMap(Timestamp.init).map {
            $0.subtracting(seconds: configuration.overlapSeconds)
        }
        if let since = [fromMark, configuration.since].compactMap({ $0 }).max() {
            query.append(("startDate", since.description))
        }
        if let until = configuration.until { query.append(("endDate", until.description)) }
        let executor = self.executor
        let baseQuery = query
        let fetch: Paginator<JSONValue>.Fetch = { cursor in
            var pageQuery = baseQuery
            if let cursor { pageQuery.append(("cursor", cursor)) }
            let request = executor.request("/spans", query: pageQuery)
            let body = try await executor.json(request)
            guard let items = body["spans"]?.arrayValue else {
                throw ClientError.malformedResponse(path: request.pathAndQuery, message: "no spans array")
            }
            return (items, body["nextCursor"]?.stringValue)
        }
        let width = configuration.concurrency
        try await ListingDriver.run(
            executor: executor,
            path: "/spans",
            position: &position,
            fetch: fetch,
            normalize: { items in
                let ids = items.map { $0["spanId"]?.stringValue ?? "" }
                let spans = try await Self.concurrentMap(ids, width: width) { id -> JSONValue? in
                    guard !id.isEmpty else { return nil }
                    return try await executor.json(executor.request("/spans/" + RequestExecutor.encode(id)))
                }
                return zip(items, spans).map { item, span in
                    guard let span else {
                        return (
                            Pulled(
                                payload: item,
                                schema: "tracia/span-list-response",
                                record: .failure(RecordRefusal(at: "/spanId", "a listed span has no spanId"))
                            ),
                            nil
                        )
                    }
                    return (
                        Pulled(
                            payload: span,
                            schema: "tracia/span",
                            record: Normalizer.traciaSpan(span, projectID: project, promptIDs: promptIDs)
                        ),
                        span["createdAt"]?.stringValue
                    )
                }
            },
            sink: sink
        )
    }

    /// Maps `inputs` with at most `width` calls in flight, keeping the input order.
    static func concurrentMap<Input: Sendable, Output: Sendable>(
        _ inputs: [Input],
        width: Int,
        _ transform: @escaping @Sendable (Input) async throws -> Output
    ) async throws -> [Output] {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: inputs.count)
            var next = 0
            for _ in 0..<min(max(1, width), inputs.count) {
                let index = next
                group.addTask { (index, try await transform(inputs[index])) }
                next += 1
            }
            while let (index, output) = try await group.next() {
                results[index] = output
                if next < inputs.count {
                    let index = next
                    group.addTask { (index, try await transform(inputs[index])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
