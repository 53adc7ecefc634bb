import Foundation
package import HTTPTypes

/// Which faults to inject, with what probability: set by flags for the whole server, and overridden
/// per request by `X-Trail-Fault-*` headers.
///
/// Every fault is off by default, so an emulator started without flags behaves like a healthy platform.
package struct FaultPlan: Sendable, Equatable {
    /// Milliseconds added before every response.
    package var latencyMilliseconds: Int = 0
    /// Fraction (0…1) of requests answered with one of ``errorStatuses``.
    package var errorRate: Double = 0
    /// The statuses an injected error uses, picked at random.
    package var errorStatuses: [Int] = [500, 502, 503]
    /// Trace creates allowed per minute before `429`; `nil` turns the limit off. Tuor documents 200.
    package var ingestLimitPerMinute: Int?
    /// Read requests (every `GET`) allowed per minute before `429`; `nil` turns the limit off.
    package var readLimitPerMinute: Int?
    /// Fraction of responses whose connection is closed after half of the body.
    package var disconnectRate: Double = 0
    /// Fraction of export lines cut in half (the line still ends with `\n`).
    package var truncateRate: Double = 0
    /// Fraction of list pages whose `next_cursor` repeats the cursor that was sent.
    package var repeatCursorRate: Double = 0
    /// Forces `429` on this request with this `Retry-After` (seconds); only set from a header.
    package var forcedRetryAfter: Int?
    /// Closes the connection after this many body bytes; only set from a header.
    package var disconnectAfterBytes: Int?
    /// Truncates exactly this export line (1-based); only set from a header.
    package var truncateLine: Int?

    /// Tuor's documented ingest limit: 200 trace creates per minute.
    package static let documentedIngestLimit = 200

    /// Creates a plan with every fault off.
    package init() {}

    /// The header names that override the plan for one request.
    package enum Header {
        /// `X-Trail-Fault-Latency: <milliseconds>`.
        package static let latency = HTTPField.Name("X-Trail-Fault-Latency")!
        /// `X-Trail-Fault-Error-Rate: <fraction>`.
        package static let errorRate = HTTPField.Name("X-Trail-Fault-Error-Rate")!
        /// `X-Trail-Fault-Status: 500|502|503` (comma-separated list): the statuses injected errors use;
        /// alone, it forces one of them (error rate 1).
        package static let status = HTTPField.Name("X-Trail-Fault-Status")!
        /// `X-Trail-Fault-Rate-Limit: <retry-after seconds>`: answer `429` now.
        package static let rateLimit = HTTPField.Name("X-Trail-Fault-Rate-Limit")!
        /// `X-Trail-Fault-Disconnect: <bytes>`: close the connection after that many body bytes
        /// (`half` for half of the body).
        package static let disconnect = HTTPField.Name("X-Trail-Fault-Disconnect")!
        /// `X-Trail-Fault-Truncate-Line: <n>` (export only): cut line `n` (1-based) in half.
        package static let truncateLine = HTTPField.Name("X-Trail-Fault-Truncate-Line")!
        /// `X-Trail-Fault-Truncate-Rate: <fraction>` (export only).
        package static let truncateRate = HTTPField.Name("X-Trail-Fault-Truncate-Rate")!
        /// `X-Trail-Fault-Repeat-Cursor: 1` (or a fraction): the page's next cursor repeats the one sent.
        package static let repeatCursor = HTTPField.Name("X-Trail-Fault-Repeat-Cursor")!

        /// Every fault header, for documentation and tests.
        package static let all = [
            latency, errorRate, status, rateLimit, disconnect, truncateLine, truncateRate, repeatCursor,
        ]
    }

    /// This plan with the request's `X-Trail-Fault-*` headers applied.
    ///
    /// Malformed header values are ignored rather than rejected, so a typo never turns into an
    /// unexpected fault.
    ///
    /// - Parameter headers: the request's header fields.
    /// - Returns: the plan for this request.
    package func overridden(by headers: HTTPFields) -> FaultPlan {
        var plan = self
        if let value = headers[Header.latency].flatMap({ Int($0) }), value >= 0 {
            plan.latencyMilliseconds = min(value, 60_000)
        }
        if let value = headers[Header.status] {
            let statuses = value.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                .filter { (400...599).contains($0) }
            if !statuses.isEmpty {
                plan.errorStatuses = statuses
                plan.errorRate = 1
            }
        }
        if let value = headers[Header.errorRate].flatMap(Self.fraction) { plan.errorRate = value }
        if let value = headers[Header.rateLimit].flatMap({ Int($0) }), value >= 0 { plan.forcedRetryAfter = value }
        if let value = headers[Header.disconnect] {
            if value == "half" {
                plan.disconnectRate = 1
            } else if let bytes = Int(value), bytes >= 0 {
                plan.disconnectAfterBytes = bytes
            }
        }
        if let value = headers[Header.truncateLine].flatMap({ Int($0) }), value >= 1 { plan.truncateLine = value }
        if let value = headers[Header.truncateRate].flatMap(Self.fraction) { plan.truncateRate = value }
        if let value = headers[Header.repeatCursor].flatMap(Self.fraction) { plan.repeatCursorRate = value }
        return plan
    }

    private static func fraction(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite, (0...1).contains(value) else { return nil }
        return value
    }

    /// Whether any fault may fire (a quick exit for the common, healthy case).
    var isQuiet: Bool {
        self == FaultPlan()
            || (latencyMilliseconds == 0 && errorRate == 0 && disconnectRate == 0 && truncateRate == 0
                && repeatCursorRate == 0 && forcedRetryAfter == nil && disconnectAfterBytes == nil
                && truncateLine == nil && ingestLimitPerMinute == nil && readLimitPerMinute == nil)
    }
}
