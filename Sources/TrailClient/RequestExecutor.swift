internal import Foundation
public import Logging
public import TrailJSON
internal import TrailModel

/// Sends GET requests with the rate limit, deadline, body cap and retry policy of a configuration.
///
/// Retries happen on connection errors, on retryable statuses and on bodies cut short; `Retry-After` is
/// honoured; the loop checks for cancellation before each attempt and waits with `Task.sleep`.
public struct RequestExecutor: Sendable {
    /// The configuration.
    public let configuration: ClientConfiguration
    let transport: any HTTPTransport
    let rateLimiter: RateLimiter
    let logger: Logger
    let observer: @Sendable (ClientEvent) -> Void

    /// Creates an executor.
    ///
    /// - Parameters:
    ///   - configuration: base URL, key, limits and retry policy.
    ///   - transport: the HTTP transport.
    ///   - rateLimiter: the shared token bucket.
    ///   - logger: where requests and retries are logged (paths only, never headers).
    ///   - observer: told about requests and retries.
    public init(
        configuration: ClientConfiguration,
        transport: any HTTPTransport,
        rateLimiter: RateLimiter = .unlimited,
        logger: Logger = Logger(label: "prompttrail.client"),
        observer: @escaping @Sendable (ClientEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.transport = transport
        self.rateLimiter = rateLimiter
        self.logger = logger
        self.observer = observer
    }

    /// The request for `path` (relative to the base URL) with `query`, authenticated for the platform.
    ///
    /// - Parameters:
    ///   - path: e.g. `/v1/traces/export`.
    ///   - query: name/value pairs, percent-encoded here.
    /// - Returns: the request.
    public func request(_ path: String, query: [(String, String)] = []) -> TransportRequest {
        var url = configuration.baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        }
        let auth: HTTPField =
            switch configuration.source {
            case .tuor: HTTPField("X-API-Key", configuration.apiKey.secret)
            case .tracia: HTTPField("Authorization", "Bearer " + configuration.apiKey.secret)
            }
        return TransportRequest(
            url: url,
            headers: [auth, HTTPField("Accept", "application/json")],
            timeout: configuration.requestTimeout
        )
    }

    /// `text` percent-encoded for a path segment or a query component: every byte of its UTF-8 except
    /// RFC 3986's unreserved characters (ASCII letters, digits, `-._~`) becomes `%XX`, so an id with
    /// `/`, `?`, spaces or non-ASCII letters names exactly itself.
    static func encode(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Sends `request` until a 2xx head arrives, retrying what the policy allows.
    ///
    /// - Parameter request: the request.
    /// - Returns: the successful response, body unread.
    /// - Throws: ``ClientError`` or `CancellationError`.
    public func open(_ request: TransportRequest) async throws -> TransportResponse {
        try await withRetries(request) { response in response }
    }

    /// Sends `request` and parses its body as JSON, retrying failures of the body read too.
    ///
    /// - Parameter request: the request.
    /// - Returns: the parsed body.
    /// - Throws: ``ClientError`` or `CancellationError`.
    public func json(_ request: TransportRequest) async throws -> JSONValue {
        let path = request.pathAndQuery
        let limit = configuration.maxBodyBytes
        let bytes = try await withRetries(request) { response in
            do {
                return try await response.body.collect(upTo: limit)
            } catch is HTTPBodyTooLarge {
                throw ClientError.bodyTooLarge(path: path, limit: limit)
            }
        }
        do {
            return try JSONParser().parse(bytes)
        } catch {
            throw ClientError.malformedResponse(path: path, message: "\(error)")
        }
    }

    /// Tells the observer and the log that a stream is tried again, and waits the backoff.
    ///
    /// - Parameters:
    ///   - path: the request path.
    ///   - reason: what happened.
    ///   - attempt: the failed attempt, from 1.
    /// - Throws: `CancellationError`.
    public func backOff(path: String, reason: String, attempt: Int) async throws {
        observer(.retry(path: path, reason: reason))
        logger.notice("retrying", metadata: ["path": "\(path)", "reason": "\(reason)", "attempt": "\(attempt)"])
        var generator = SystemRandomNumberGenerator()
        try await Task.sleep(for: configuration.retryPolicy.delay(afterAttempt: attempt, using: &generator))
    }

    private func withRetries<T: Sendable>(
        _ request: TransportRequest,
        _ body: (TransportResponse) async throws -> T
    ) async throws -> T {
        let policy = configuration.retryPolicy
        let path = request.pathAndQuery
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        while true {
            attempt += 1
            try Task.checkCancellation()
            try await rateLimiter.acquire()
            observer(.request(path: path))
            logger.debug("request", metadata: ["path": "\(path)", "attempt": "\(attempt)"])
            var failure = ""
            var retryAfter: Duration?
            do {
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) {
                    do {
                        return try await body(response)
                    } catch let error as ClientError {
                        throw error
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        failure = "body read failed: \(error)"
                    }
                } else {
                    let text = (try? await response.body.collect(upTo: 4096)).map {
                        String(decoding: $0.prefix(300), as: UTF8.self)
                    }
                    if response.status == 401 || response.status == 403 {
                        throw ClientError.unauthorized(
                            status: response.status,
                            path: path,
                            variable: configuration.source.apiKeyVariable
                        )
                    }
                    guard policy.isRetryable(status: response.status) else {
                        throw ClientError.rejected(status: response.status, path: path, body: text ?? "")
                    }
                    failure = "HTTP \(response.status)"
                    if let value = response.headers.value(of: "Retry-After") {
                        retryAfter = RetryAfter.parse(value, now: Date().timeIntervalSince1970)
                        if let retryAfter, retryAfter > policy.maxRetryAfter {
                            throw ClientError.retriesExhausted(
                                path: path,
                                attempts: attempt,
                                last: "Retry-After \(value) is longer than allowed"
                            )
                        }
                    }
                }
            } catch let error as ClientError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = "\(error)"
            }
            guard attempt < policy.maxAttempts else {
                throw ClientError.retriesExhausted(path: path, attempts: attempt, last: failure)
            }
            observer(.retry(path: path, reason: failure))
            logger.notice("retrying", metadata: ["path": "\(path)", "reason": "\(failure)", "attempt": "\(attempt)"])
            try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator))
        }
    }
}
