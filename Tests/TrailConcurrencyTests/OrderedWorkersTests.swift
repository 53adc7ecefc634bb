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

    @Test("shutting down with jobs queued returns, and twice is harmless")
    func shutDown() {
        let workers = OrderedWorkers<Int>(count: 2, stackSize: 1 << 20)
        for index in 0..<50 { workers.submit { index } }
        workers.shutDown()
        workers.shutDown()
    }
}
