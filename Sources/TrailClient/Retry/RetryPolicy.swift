/// When and how long to wait before trying a failed request again.
///
/// Exponential backoff with jitter, capped; a `Retry-After` from the server wins when it is longer. Only
/// replayable requests are retried (every PromptTrail call is a GET), and only on connection errors,
/// `408`, `429`, `500`, `502`, `503` and `504`.
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts per request, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles per attempt.
    public var baseDelay: Duration
    /// The longest computed wait (applied before converting to an integer duration).
    public var maxDelay: Duration
    /// The share of each wait that is randomized: `0` waits exactly, `1` waits anywhere from zero to the full
    /// delay ("full jitter").
    public var jitter: Double
    /// The longest `Retry-After` honoured; a server asking for more makes the request fail instead.
    public var maxRetryAfter: Duration

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxAttempts: attempts per request, at least 1.
    ///   - baseDelay: the first wait.
    ///   - maxDelay: the cap on computed waits.
    ///   - jitter: the randomized share, 0...1.
    ///   - maxRetryAfter: the cap on server-requested waits.
    public init(
        maxAttempts: Int = 8,
        baseDelay: Duration = .milliseconds(250),
        maxDelay: Duration = .seconds(30),
        jitter: Double = 0.5,
        maxRetryAfter: Duration = .seconds(300)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
        self.maxRetryAfter = maxRetryAfter
    }

    /// The default for real platforms.
    public static let `default` = RetryPolicy()

    /// Whether a response with `status` may succeed when tried again.
    ///
    /// - Parameter status: an HTTP status code.
    /// - Returns: `true` for 408, 429, 500, 502, 503 and 504.
    public func isRetryable(status: Int) -> Bool {
        [408, 429, 500, 502, 503, 504].contains(status)
    }

    /// The wait before attempt `attempt + 1`.
    ///
    /// - Parameters:
    ///   - attempt: the attempt that just failed, from 1.
    ///   - retryAfter: the server's `Retry-After`, if it sent one.
    ///   - generator: the randomness for the jitter.
    /// - Returns: how long to sleep.
    public func delay(
        afterAttempt attempt: Int,
        retryAfter: Duration? = nil,
        using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let base = Self.seconds(baseDelay)
        let cap = Self.seconds(maxDelay)
        // Cap in floating point first: 2^attempt overflows an integer long before it matters.
        let exponential = min(cap, base * Double(sign: .plus, exponent: min(max(0, attempt - 1), 62), significand: 1))
        let randomized = exponential * (1 - jitter * Double.random(in: 0...1, using: &generator))
        var wait = randomized
        if let retryAfter { wait = max(wait, min(Self.seconds(retryAfter), Self.seconds(maxRetryAfter))) }
        return .microseconds(Int64((wait * 1_000_000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
