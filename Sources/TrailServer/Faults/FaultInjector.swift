package import Foundation
import Synchronization

/// The emulator's fault state: the random source, the `--fail-after` countdown and the rate-limit windows.
///
/// The plan itself is a value (``FaultPlan``); this class only holds what must persist across requests.
package final class FaultInjector: Sendable {
    /// What the injector decided for one request before it reaches a route.
    enum Verdict: Equatable {
        /// Let the request through.
        case proceed
        /// Fail it with this status (`--fail-after` or the error rate).
        case fail(status: Int)
        /// Answer `429` with this `Retry-After` (seconds).
        case rateLimited(retryAfter: Int)
    }

    /// Which rate-limit window a request counts against.
    enum Bucket: Hashable {
        case ingest
        case read(Platform)
    }

    private struct State {
        var random: SeededGenerator
        var failAfterRemaining: Int
        var windows: [Bucket: (minute: Int64, count: Int)] = [:]
    }

    /// The plan given by the server's flags.
    package let plan: FaultPlan
    private let state: Mutex<State>
    private let now: @Sendable () -> Date

    /// Creates the injector.
    ///
    /// - Parameters:
    ///   - plan: the server-wide plan.
    ///   - failAfter: how many requests to fail first (`--fail-after`).
    ///   - seed: the random seed, so fault sequences repeat.
    ///   - now: the clock used for rate-limit windows.
    package init(plan: FaultPlan, failAfter: Int = 0, seed: UInt64 = 0, now: @escaping @Sendable () -> Date = Date.init)
    {
        self.plan = plan
        self.state = Mutex(State(random: SeededGenerator(seed: seed ^ 0xFA17), failAfterRemaining: max(0, failAfter)))
        self.now = now
    }

    /// Arms `--fail-after` again: the next `count` requests fail with `503`.
    ///
    /// - Parameter count: how many requests to fail.
    package func failNext(_ count: Int) {
        state.withLock { $0.failAfterRemaining = max(0, count) }
    }

    /// How many requests `--fail-after` will still fail.
    package var failuresRemaining: Int { state.withLock { $0.failAfterRemaining } }

    /// Decides whether a request proceeds, fails, or is rate-limited.
    func verdict(plan: FaultPlan, bucket: Bucket?) -> Verdict {
        state.withLock { state in
            if state.failAfterRemaining > 0 {
                state.failAfterRemaining -= 1
                return .fail(status: 503)
            }
            if let retryAfter = plan.forcedRetryAfter {
                return .rateLimited(retryAfter: retryAfter)
            }
            if let bucket, let limit = limit(of: bucket, in: plan) {
                let seconds = Int64(now().timeIntervalSince1970)
                let minute = seconds / 60
                var window = state.windows[bucket] ?? (minute, 0)
                if window.minute != minute { window = (minute, 0) }
                if window.count >= limit {
                    state.windows[bucket] = window
                    return .rateLimited(retryAfter: Int(max(1, (minute + 1) * 60 - seconds)))
                }
                window.count += 1
                state.windows[bucket] = window
            }
            if plan.errorRate > 0, Self.roll(plan.errorRate, &state.random) {
                let statuses = plan.errorStatuses.isEmpty ? [500] : plan.errorStatuses
                return .fail(status: statuses[Int(state.random.next() % UInt64(statuses.count))])
            }
            return .proceed
        }
    }

    /// Whether a fault with probability `rate` fires now.
    func fires(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        return state.withLock { Self.roll(rate, &$0.random) }
    }

    private func limit(of bucket: Bucket, in plan: FaultPlan) -> Int? {
        switch bucket {
        case .ingest: return plan.ingestLimitPerMinute
        case .read: return plan.readLimitPerMinute
        }
    }

    private static func roll(_ rate: Double, _ random: inout SeededGenerator) -> Bool {
        if rate >= 1 { return true }
        return Double(random.next() >> 11) / Double(1 << 53) < rate
    }
}
