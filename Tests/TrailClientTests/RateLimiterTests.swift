import Testing
import TrailClient

/// Only lower bounds on waiting and prompt cancellation are asserted: how fast a machine is never decides
/// the outcome.
@Suite("RateLimiter", .timeLimit(.minutes(1)))
struct RateLimiterTests {
    @Test("a burst goes at once; beyond it, requests wait for the refill")
    func burstThenRate() async throws {
        let limiter = RateLimiter(ratePerSecond: 20, burst: 5)
        let clock = ContinuousClock()
        let burst = try await clock.measure {
            for _ in 0..<5 { try await limiter.acquire() }
        }
        let more = try await clock.measure {
            for _ in 0..<4 { try await limiter.acquire() }
        }
        // Four more tokens at 20 per second need at least 0.2 s (less a little for the time the burst took).
        #expect(more >= .milliseconds(150) - burst, "4 requests past the burst took \(more)")
    }

    @Test("zero or a negative rate never waits")
    func unlimited() async throws {
        for limiter in [RateLimiter.unlimited, RateLimiter(ratePerSecond: -1)] {
            for _ in 0..<1000 { try await limiter.acquire() }
        }
    }

    @Test("a task cancelled while it waits stops waiting with CancellationError")
    func cancellation() async throws {
        let limiter = RateLimiter(ratePerSecond: 0.01, burst: 1)
        try await limiter.acquire()
        let waiting = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
