import Dispatch
import Testing

@testable import TrailConcurrency

@Suite("BlockingWork")
struct BlockingWorkTests {
    private struct Failure: Error, Equatable {}

    @Test("the work runs on the blocking-work queue, not on the caller's, and returns its value")
    func runsOffThePool() async throws {
        let onQueue = try await BlockingWork.run { BlockingWork.isCurrent }
        #expect(onQueue)
        #expect(!BlockingWork.isCurrent)
    }

    @Test("an error thrown by the work reaches the caller")
    func errors() async {
        await #expect(throws: Failure.self) { try await BlockingWork.run { () throws -> Int in throw Failure() } }
    }

    @Test("a lent value is handed over and used by the work alone")
    func lent() async throws {
        final class Counter {
            var value = 0
        }
        let counter = Counter()
        let lent = Lent(counter)
        for _ in 0..<10 { try await BlockingWork.run { lent.value.value += 1 } }
        #expect(counter.value == 10)
    }
}
