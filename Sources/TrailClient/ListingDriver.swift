/// Runs a cursor listing to its end for a trace stream: items and a checkpoint per page, a restart from
/// the last good cursor when the upstream repeats one, and a new `listSince` once the listing is complete.
internal import TrailModel

enum ListingDriver {
    static func run<Item: Sendable>(
        executor: RequestExecutor,
        path: String,
        position: inout TraceStreamPosition,
        fetch: @escaping Paginator<Item>.Fetch,
        normalize: ([Item]) async throws -> [(Pulled<TraceRecord>, String?)],
        sink: (TraceEvent) async throws -> Void
    ) async throws {
        let policy = executor.configuration.retryPolicy
        var restarts = 0
        while true {
            var repeated: String?
            for try await page in Paginator(startingAt: position.listCursor, fetch: fetch) {
                for (pulled, changed) in try await normalize(page.items) {
                    try await sink(.item(pulled))
                    position.listMaxSeen = TraceStreamPosition.later(position.listMaxSeen, changed)
                }
                switch page.end {
                case nil:
                    position.listCursor = page.nextCursor
                    restarts = 0
                case .exhausted:
                    position.listCursor = nil
                    position.listSince = position.listMaxSeen ?? position.listSince
                    position.listMaxSeen = nil
                case .repeatedCursor(let cursor):
                    position.listCursor = page.cursor
                    repeated = cursor
                }
                try await sink(.checkpoint(position))
            }
            guard repeated != nil else { return }
            restarts += 1
            guard restarts < policy.maxAttempts else {
                throw ClientError.noProgress(path: path, message: "the listing keeps repeating a cursor")
            }
            try await executor.backOff(path: path, reason: "repeated cursor", attempt: restarts)
        }
    }
}
