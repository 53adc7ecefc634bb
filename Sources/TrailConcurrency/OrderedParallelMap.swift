/// Maps a stream of work items on a fixed number of worker threads and hands the results back in input order,
/// with a bounded number of items in flight.
///
/// `produce` and `consume` run on the calling thread, one item at a time and in order, so they may use
/// non-`Sendable` state such as an ``NDJSONReader`` or a hasher; only `transform` runs on the workers. At most
/// `maxInFlight` items are produced and not yet consumed, so memory stays bounded however long the stream is.
/// With one worker everything runs on the calling thread, exactly as a plain loop would.
///
/// Workers are threads with large stacks (64 MiB), as validating deeply nested documents recurses.
public enum OrderedParallelMap {
    /// Produces items until `produce` returns `nil`, transforms them on `workers` threads, and consumes the
    /// results in the order the items were produced.
    ///
    /// When `produce` throws, the results of the items produced before are still consumed, then the error is
    /// rethrown: the calling thread sees the same sequence of calls as a sequential loop would. When `consume`
    /// throws, nothing more is consumed; the workers finish the item in hand and stop.
    ///
    /// - Parameters:
    ///   - workers: the number of worker threads; 1 or less runs everything on the calling thread.
    ///   - maxInFlight: the most items produced but not yet consumed (at least `workers`; twice `workers` by
    ///     default).
    ///   - produce: the next item, or `nil` at the end; called on the calling thread.
    ///   - transform: the work done per item; called on a worker thread.
    ///   - consume: takes each result, in order; called on the calling thread.
    /// - Throws: the first error `produce` or `consume` throws.
    public static func run<Item: Sendable, Output: Sendable>(
        workers: Int,
        maxInFlight: Int? = nil,
        produce: () throws -> Item?,
        transform: @escaping @Sendable (Item) -> Output,
        consume: (Output) throws -> Void
    ) throws {
        guard workers > 1 else {
            while let item = try produce() { try consume(transform(item)) }
            return
        }
        let limit = max(workers, maxInFlight ?? 2 * workers)
        let queue = OrderedWorkers<Output>(count: workers, stackSize: 64 << 20)
        defer { queue.shutDown() }
        var produced = 0
        var consumed = 0
        var exhausted = false
        var pendingError: (any Error)?
        while true {
            while !exhausted && produced - consumed < limit {
                do {
                    if let item = try produce() {
                        queue.submit { transform(item) }
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
            let output = queue.next()
            consumed += 1
            try consume(output)
        }
        if let pendingError { throw pendingError }
    }
}
