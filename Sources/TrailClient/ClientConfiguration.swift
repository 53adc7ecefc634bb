public import TrailModel

/// How a platform client talks to its upstream.
public struct ClientConfiguration: Sendable {
    /// The platform.
    public var source: Source
    /// The API base URL, without a trailing slash (Tuor: `https://api.tuor.dev`; Tracia:
    /// `https://app.tracia.io/api/v1`).
    public var baseURL: String
    /// The API key.
    public var apiKey: APIKey
    /// Retries per request.
    public var retryPolicy: RetryPolicy
    /// The deadline of each request's head.
    public var requestTimeout: Duration
    /// The largest JSON body accepted.
    public var maxBodyBytes: Int
    /// The longest line accepted in a JSON Lines stream.
    public var maxLineBytes: Int
    /// The page size asked of listings.
    public var pageSize: Int
    /// Requests in flight at once within one project (Tracia span details, prompt details).
    public var concurrency: Int
    /// How far before a high-water mark an incremental listing starts, to catch late writes.
    public var overlapSeconds: Int64
    /// Lower bound on the change times pulled (`--since`), if any.
    public var since: Timestamp?
    /// Upper bound (exclusive) on the change times pulled (`--until`), if any.
    public var until: Timestamp?

    /// Creates a configuration with the defaults for a real platform.
    ///
    /// - Parameters:
    ///   - source: the platform.
    ///   - baseURL: the API base URL; the platform's documented one when `nil`.
    ///   - apiKey: the key.
    public init(source: Source, baseURL: String? = nil, apiKey: APIKey) {
        self.source = source
        var base = baseURL ?? source.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        retryPolicy = .default
        requestTimeout = .seconds(60)
        maxBodyBytes = 64 << 20
        maxLineBytes = 16 << 20
        pageSize = source == .tuor ? 200 : 100
        concurrency = 4
        overlapSeconds = 2
        since = nil
        until = nil
    }
}
