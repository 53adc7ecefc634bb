import Foundation
import Testing
import TrailConcurrency

@Suite("Ordered workers")
struct OrderedWorkersTests {
    @Test("results come back in submission order, whatever order the jobs finish in")
    func order() {
        let workers = OrderedWorkers<Int>(count: 4)
        defer { workers.shutDown() }
        var results: [Int] = []
        for index in 0..<200 {
            workers.submit {
                // Earlier jobs take longer, so they finish after later ones.
                usleep(useconds_t((200 - index) % 7 * 100))
                return index * index
            }
            while workers.pending > 8 { results.append(workers.next()) }
        }
        while workers.pending > 0 { results.append(workers.next()) }
        #expect(results == (0..<200).map { $0 * $0 })
        #expect(workers.pending == 0)
    }

    @Test("nextIfDone never waits and never skips: nothing while the oldest job runs, then each in order")
    func nextIfDone() {
        let workers = OrderedWorkers<Int>(count: 2)
        defer { workers.shutDown() }
        #expect(workers.nextIfDone() == nil, "nothing submitted")
        let gate = DispatchSemaphore(value: 0)
        workers.submit {
            gate.wait()
            return 1
        }
        workers.submit { 2 }
        // The second job finishes first; it is not handed over before the first.
        usleep(20_000)
        #expect(workers.nextIfDone() == nil, "the oldest job is still running")
        #expect(workers.pending == 2)
        gate.signal()
        var taken: [Int] = []
        while taken.count < 2 {
            if let next = workers.nextIfDone() { taken.append(next) } else { usleep(1_000) }
        }
        #expect(taken == [1, 2])
        #expect(workers.pending == 0)
    }

    @Test("shutting down with jobs queued returns, and twice is harmless")
    func shutDown() {
        let workers = OrderedWorkers<Int>(count: 2, stackSize: 1 << 20)
        for index in 0..<50 { workers.submit { index } }
        workers.shutDown()
        workers.shutDown()
    }
}
