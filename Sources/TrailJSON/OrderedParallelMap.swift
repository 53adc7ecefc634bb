import Foundation

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
        let queue = WorkQueue<Item, Output>(workers: workers)
        for _ in 0..<workers {
            let thread = Thread { queue.work(transform) }
            thread.stackSize = 64 << 20
            thread.start()
        }
        defer { queue.shutDown() }
        var produced = 0
        var consumed = 0
        var exhausted = false
        var pendingError: (any Error)?
        while true {
            while !exhausted && produced - consumed < limit {
                do {
                    if let item = try produce() {
                        queue.submit(item, sequence: produced)
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
            let output = queue.output(sequence: consumed)
            consumed += 1
            try consume(output)
        }
        if let pendingError { throw pendingError }
    }
}

/// The items waiting for a worker and the results waiting for the calling thread, behind one condition.
private final class WorkQueue<Item: Sendable, Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [(sequence: Int, item: Item)] = []
    private var outputs: [Int: Output] = [:]
    private var closed = false
    private var running: Int

    init(workers: Int) {
        running = workers
    }

    func submit(_ item: Item, sequence: Int) {
        condition.lock()
        pending.append((sequence, item))
        condition.broadcast()
        condition.unlock()
    }

    /// The output of item `sequence`, waiting for it if needed.
    func output(sequence: Int) -> Output {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let output = outputs.removeValue(forKey: sequence) { return output }
            condition.wait()
        }
    }

    /// A worker's loop: take an item, transform it, publish the output; return once the queue is shut down.
    func work(_ transform: (Item) -> Output) {
        while true {
            condition.lock()
            while pending.isEmpty && !closed { condition.wait() }
            if closed {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let (sequence, item) = pending.removeFirst()
            condition.unlock()
            let output = transform(item)
            condition.lock()
            outputs[sequence] = output
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Drops the items not started, and waits until every worker has returned.
    func shutDown() {
        condition.lock()
        closed = true
        pending.removeAll()
        condition.broadcast()
        while running > 0 { condition.wait() }
        outputs.removeAll()
        condition.unlock()
    }
}
