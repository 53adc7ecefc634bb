import Testing
import TrailClient

@Suite("RetryPolicy and Retry-After")
struct RetryPolicyTests {
    @Test("backoff doubles, is capped before conversion, and never exceeds the cap with jitter")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 100, baseDelay: .milliseconds(100), maxDelay: .seconds(5), jitter: 0)
        var generator = SystemRandomNumberGenerator()
        #expect(policy.delay(afterAttempt: 1, using: &generator) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 3, using: &generator) == .milliseconds(400))
        #expect(policy.delay(afterAttempt: 90, using: &generator) == .seconds(5))
        let jittered = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(5), jitter: 1)
        for attempt in 1...70 { #expect(jittered.delay(afterAttempt: attempt, using: &generator) <= .seconds(5)) }
    }

    @Test("a longer Retry-After wins over the backoff")
    func retryAfterWins() {
        let policy = RetryPolicy(baseDelay: .milliseconds(10), jitter: 0)
        var generator = SystemRandomNumberGenerator()
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3), using: &generator) == .seconds(3))
    }

    @Test("Retry-After is read as seconds or as an HTTP-date")
    func parse() {
        #expect(RetryAfter.parse("120", now: 0) == .seconds(120))
        #expect(RetryAfter.parse(" 7 ", now: 0) == .seconds(7))
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_770) == .seconds(7))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_800) == .zero)
        #expect(RetryAfter.parse("soon", now: 0) == nil)
    }

    @Test("a hostile HTTP-date neither traps nor waits forever: the year has four digits")
    func hostileDate() {
        // Found by FuzzTimestamp: a year of 1,760,071,100 written with leading zeros made the wait overflow.
        let year = String(repeating: "0", count: 35) + "1760071100"
        #expect(RetryAfter.parse(", 6 Feb \(year) 0:59:3 GMT", now: 0) == nil)
        #expect(RetryAfter.parse("Sun, 06 Nov 19940 08:49:37 GMT", now: 0) == nil)
        #expect(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", now: 0) == .seconds(253_402_300_799))
    }

    @Test("only 408, 429 and 5xx gateway errors are retried")
    func retryable() {
        let policy = RetryPolicy()
        #expect([408, 429, 500, 502, 503, 504].allSatisfy(policy.isRetryable(status:)))
        #expect(![400, 401, 403, 404, 409, 422, 501].contains(where: policy.isRetryable(status:)))
    }
}
