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
}
