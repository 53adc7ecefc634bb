/// Maps a stream of work items on a fixed number of worker threads and hands the results back in input order,
/// with a bounded number of items in flight.
///
/// `produce` and `consume` run on the calling thread, one item at a time and in order, so they may use
/// non-`Sendable` state such as an ``NDJSONReader`` or a hasher; only `transform` runs on the workers. At most
/// `maxInFlight` items are produced and not yet consumed, so memory stays bounded however long the stream is.
/// With one worker everything runs on the calling thread, exactly as a plain loop would.
///
/// Workers are threads with large stacks (``stackSize``, 64 MiB), as validating deeply nested documents recurses.
public enum OrderedParallelMap {
    /// Produces items until `produce` returns `nil`, transforms them on `workers` threads, and consumes the
    /// results in the order the items were produced.
    ///
    /// When `produce` throws, the results of the items produced before are still consumed, then the error is
    /// rethrown: the calling thread sees the same sequence of calls as a sequential loop would. When `consume`
    /// throws, nothing more is consumed or produced; the workers finish the items already produced and stop.
    ///
    /// - Parameters:
    ///   - workers: the number of worker threads; 1 or less runs everything on the calling thread.
    ///   - maxInFlight: the most items produced but not yet consumed (at least `workers`; twice `workers` by
    ///     default).
    ///   - produce: the next item, or `nil` at the end; called on the calling thread.
    ///   - transform: the work done per item; called on a worker thread.
    ///   - consume: takes each result, in order, as its owner (it may move parts out); called on the calling thread.
    /// - Throws: the first error `produce` or `consume` throws.
    public static func run<Item: Sendable, Output: Sendable>(
        workers: Int,
        maxInFlight: Int? = nil,
        produce: () throws -> Item?,
        transform: @escaping @Sendable (Item) -> Output,
        consume: (consuming Output) throws -> Void
    ) throws {
        guard workers > 1 else {
            while let item = try produce() { try consume(transform(item)) }
            return
        }
        let pool = OrderedWorkers<Output>(count: workers, stackSize: Self.stackSize)
        defer { pool.shutDown() }
        try run(on: pool, maxInFlight: maxInFlight, produce: produce, transform: transform, consume: consume)
    }

    /// The stack size of the worker threads ``run(workers:maxInFlight:produce:transform:consume:)`` starts, and
    /// that pools passed to ``run(on:maxInFlight:produce:transform:consume:)`` should have.
    public static let stackSize = 64 << 20

    /// Runs like ``run(workers:maxInFlight:produce:transform:consume:)`` on the threads of `pool`, which a
    /// caller that maps many short streams keeps for all of them instead of starting threads for each.
    ///
    /// - Parameters:
    ///   - pool: the workers; no job of theirs may be pending, and none is when this returns or throws.
    ///   - maxInFlight: the most items produced but not yet consumed (twice the pool's threads by default).
    ///   - produce: the next item, or `nil` at the end; called on the calling thread.
    ///   - transform: the work done per item; called on a worker thread.
    ///   - consume: takes each result, in order, as its owner (it may move parts out); called on the calling thread.
    /// - Throws: the first error `produce` or `consume` throws.
    public static func run<Item: Sendable, Output: Sendable>(
        on pool: OrderedWorkers<Output>,
        maxInFlight: Int? = nil,
        produce: () throws -> Item?,
        transform: @escaping @Sendable (Item) -> Output,
        consume: (consuming Output) throws -> Void
    ) throws {
        precondition(pool.pending == 0, "the pool has jobs of another run pending")
        let limit = max(pool.threads, maxInFlight ?? 2 * pool.threads)
        var produced = 0
        var consumed = 0
        var exhausted = false
        var pendingError: (any Error)?
        // When `consume` throws, the results still pending are taken, so the pool can serve the next run.
        defer {
            while consumed < produced {
                _ = pool.next()
                consumed += 1
            }
        }
        while true {
            while !exhausted && produced - consumed < limit {
                do {
                    if let item = try produce() {
                        pool.submit { transform(item) }
                        produced += 1
                    } else {
                        exhausted = true
                    }
                } catch {
                    pendingError = error
                    exhausted = true
                }
            }
            guard consumed < produced else { break }
            let output = pool.next()
            consumed += 1
            try consume(output)
        }
        if let pendingError { throw pendingError }
    }
}
