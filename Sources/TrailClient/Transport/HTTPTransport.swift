/// What the clients need from HTTP: send a request, get the head and a streaming body.
///
/// ``AsyncHTTPClientTransport`` is the real one; tests use a closure-backed double.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns once the response head has arrived.
    ///
    /// - Parameter request: the request.
    /// - Returns: the status, headers and a body to read once.
    /// - Throws: connection and timeout errors.
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

/// A transport backed by a closure: the test double for pagination, retry and resume logic.
public struct ClosureTransport: HTTPTransport {
    private let handler: @Sendable (TransportRequest) async throws -> TransportResponse

    /// Creates a transport that answers every request with `handler`.
    ///
    /// - Parameter handler: the answer.
    public init(_ handler: @escaping @Sendable (TransportRequest) async throws -> TransportResponse) {
        self.handler = handler
    }

    /// Answers with the closure.
    ///
    /// - Parameter request: the request.
    /// - Returns: the closure's response.
    /// - Throws: what the closure throws.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        try await handler(request)
    }
}
