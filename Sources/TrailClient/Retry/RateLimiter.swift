private import Synchronization

/// A client-side token bucket: at most `burst` requests at once, refilled at `ratePerSecond`.
///
/// Callers reserve a token under a lock and sleep outside it, so waiting never blocks other tasks.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    /// Requests per second on average.
    public let ratePerSecond: Double
    /// Requests allowed back to back.
    public let burst: Double
    private let bucket: Mutex<Bucket>

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - ratePerSecond: the refill rate; `0` or less disables limiting.
    ///   - burst: the bucket size, at least 1.
    public init(ratePerSecond: Double, burst: Int = 10) {
        self.ratePerSecond = ratePerSecond
        self.burst = Double(max(1, burst))
        bucket = Mutex(Bucket(tokens: Double(max(1, burst)), last: .now))
    }

    /// A limiter that never waits.
    public static var unlimited: RateLimiter { RateLimiter(ratePerSecond: 0) }

    /// Waits until a request may be sent.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        guard ratePerSecond > 0 else { return }
        let wait: Double = bucket.withLock { state in
            let now = ContinuousClock.now
            let elapsed = RetryPolicy.seconds(state.last.duration(to: now))
            state.tokens = min(burst, state.tokens + elapsed * ratePerSecond)
            state.last = now
            state.tokens -= 1
            return state.tokens >= 0 ? 0 : -state.tokens / ratePerSecond
        }
        if wait > 0 { try await Task.sleep(for: .microseconds(Int64(wait * 1_000_000))) }
    }
}
