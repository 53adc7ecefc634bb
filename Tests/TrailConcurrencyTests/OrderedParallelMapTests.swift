import Synchronization
import Testing
import TrailConcurrency

@Suite("Ordered parallel map")
struct OrderedParallelMapTests {
    struct Failure: Error, Equatable {
        var at: Int
    }

    @Test("consumes every result in input order, for any number of workers", arguments: [1, 2, 4, 7])
    func order(workers: Int) throws {
        var next = 0
        var consumed: [Int] = []
        try OrderedParallelMap.run(
            workers: workers,
            maxInFlight: 3,
            produce: { () -> Int? in
                defer { next += 1 }
                return next < 500 ? next : nil
            },
            transform: { item in item * item },
            consume: { consumed.append($0) }
        )
        #expect(consumed == (0..<500).map { $0 * $0 })
    }

    @Test("keeps at most maxInFlight items between produce and consume")
    func bounded() throws {
        var produced = 0
        var consumed = 0
        var most = 0
        try OrderedParallelMap.run(
            workers: 3,
            maxInFlight: 4,
            produce: { () -> Int? in
                guard produced < 200 else { return nil }
                produced += 1
                most = max(most, produced - consumed)
                return produced
            },
            transform: { $0 },
            consume: { _ in consumed += 1 }
        )
        #expect(consumed == 200)
        #expect(most <= 4)
    }

    /// An input that counts how many of its kind are alive.
    final class Payload: Sendable {
        static let alive = Atomic<Int>(0)
        let bytes: [UInt8]

        init() {
            bytes = [UInt8](repeating: 1, count: 1024)
            Self.alive.add(1, ordering: .relaxed)
        }

        deinit {
            Self.alive.subtract(1, ordering: .relaxed)
        }
    }

    @Test("inputs are freed once their results are taken, even when the producer always stays ahead")
    func inputsFreed() throws {
        var produced = 0
        var most = 0
        try OrderedParallelMap.run(
            workers: 2,
            maxInFlight: 4,
            produce: { () -> Payload? in
                guard produced < 3000 else { return nil }
                produced += 1
                return Payload()
            },
            transform: { payload in
                // Slower than producing, so the queue of submitted jobs never runs dry.
                var sum = 0
                for _ in 0..<40 { for byte in payload.bytes { sum &+= Int(byte) } }
                return sum
            },
            consume: { _ in most = max(most, Payload.alive.load(ordering: .relaxed)) }
        )
        // Produced and not yet consumed (at most 4), plus jobs already run that the queue has not yet
        // dropped (it drops them once they are at least as many as those waiting: at most 4), plus one per
        // worker still holding its input: a bound that does not grow with the 3,000 inputs.
        #expect(most <= 10, "\(most) inputs were alive at once; the queue kept the jobs it had run")
        #expect(Payload.alive.load(ordering: .relaxed) == 0)
    }

    @Test("consumes what was produced before a failing produce, then rethrows")
    func produceFailure() {
        var next = 0
        var consumed: [Int] = []
        #expect(throws: Failure(at: 10)) {
            try OrderedParallelMap.run(
                workers: 2,
                produce: { () -> Int? in
                    if next == 10 { throw Failure(at: 10) }
                    next += 1
                    return next - 1
                },
                transform: { $0 },
                consume: { consumed.append($0) }
            )
        }
        #expect(consumed == Array(0..<10))
    }

    @Test("stops at the first failing consume")
    func consumeFailure() {
        let transformed = Mutex(0)
        var consumed: [Int] = []
        var next = 0
        #expect(throws: Failure(at: 5)) {
            try OrderedParallelMap.run(
                workers: 2,
                produce: { () -> Int? in
                    defer { next += 1 }
                    return next < 1000 ? next : nil
                },
                transform: { item in
                    transformed.withLock { $0 += 1 }
                    return item
                },
                consume: { item in
                    if item == 5 { throw Failure(at: 5) }
                    consumed.append(item)
                }
            )
        }
        #expect(consumed == Array(0..<5))
        #expect(transformed.withLock { $0 } < 1000)
    }

    @Test("one pool serves run after run, also after a consume that failed, each in its own order")
    func sharedPool() throws {
        let pool = OrderedWorkers<Int>(count: 2, stackSize: OrderedParallelMap.stackSize)
        defer { pool.shutDown() }
        for run in 0..<20 {
            var next = 0
            var consumed: [Int] = []
            let count = 50 + run * 7
            let failing = run % 3 == 1
            do {
                try OrderedParallelMap.run(
                    on: pool,
                    maxInFlight: 1 + run % 5,
                    produce: { () -> Int? in
                        defer { next += 1 }
                        return next < count ? next : nil
                    },
                    transform: { $0 * 10 + run },
                    consume: { value in
                        if failing, (value - run) / 10 == 17 { throw Failure(at: 17) }
                        consumed.append(value)
                    }
                )
                #expect(!failing)
                #expect(consumed == (0..<count).map { $0 * 10 + run })
            } catch {
                #expect(error as? Failure == Failure(at: 17))
                #expect(consumed == (0..<17).map { $0 * 10 + run })
            }
            // Nothing of this run is left for the next one to take.
            #expect(pool.pending == 0)
        }
    }
}
