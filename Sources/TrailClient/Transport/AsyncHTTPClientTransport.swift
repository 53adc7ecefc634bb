internal import AsyncHTTPClient
internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPCompression

/// ``HTTPTransport`` over AsyncHTTPClient: pooled connections, gzip decoding, a deadline per request and
/// an idle timeout on body reads.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient

    /// Creates a transport with its own client.
    ///
    /// - Parameters:
    ///   - connectTimeout: how long connecting may take.
    ///   - readTimeout: how long a read may stall (also bounds streaming bodies).
    ///   - maxConnectionsPerHost: the pool size per host.
    public init(
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(60),
        maxConnectionsPerHost: Int = 8
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: Self.timeAmount(connectTimeout),
            read: Self.timeAmount(readTimeout)
        )
        configuration.decompression = .enabled(limit: .ratio(50))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = maxConnectionsPerHost
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Shuts the client down; call once when done.
    ///
    /// - Throws: what AsyncHTTPClient reports.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// `duration` as NIO's `TimeAmount`, to the nanosecond (a 250 ms timeout stays 250 ms), at least 1 ns.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanoseconds.overflow else { return .nanoseconds(.max) }
        return .nanoseconds(max(1, nanoseconds.partialValue + attoseconds / 1_000_000_000))
    }

    /// Sends the request with a deadline and `Accept-Encoding: gzip`.
    ///
    /// - Parameter request: the request.
    /// - Returns: the head and a streaming body.
    /// - Throws: AsyncHTTPClient's errors (connection, timeout).
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if !outgoing.headers.contains(name: "Accept-Encoding") {
            outgoing.headers.add(name: "Accept-Encoding", value: "gzip")
        }
        let response = try await client.execute(outgoing, timeout: Self.timeAmount(request.timeout))
        let headers = response.headers.map { HTTPField($0.name, $0.value) }
        let body = response.body
        return TransportResponse(
            status: Int(response.status.code),
            headers: headers,
            body: HTTPBody {
                let iterator = BodyIterator(body.makeAsyncIterator())
                return { try await iterator.next() }
            }
        )
    }
}

/// Holds AsyncHTTPClient's body iterator for one reader.
private final class BodyIterator {
    var base: HTTPClientResponse.Body.AsyncIterator

    init(_ base: HTTPClientResponse.Body.AsyncIterator) {
        self.base = base
    }

    func next() async throws -> [UInt8]? {
        guard var buffer = try await base.next() else { return nil }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
