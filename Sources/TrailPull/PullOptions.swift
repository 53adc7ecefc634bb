public import TrailClient
public import TrailModel

/// Everything one pull needs to know.
public struct PullOptions: Sendable {
    /// The platform.
    public var source: Source
    /// The API base URL; the platform's documented one when `nil`.
    public var baseURL: String?
    /// The projects to pull (Tracia: exactly one, the account's mirror).
    public var projects: [String]
    /// The workspace directory.
    public var workspace: String
    /// The API key.
    public var apiKey: APIKey
    /// Projects pulled at once, and requests in flight per project.
    public var concurrency: Int
    /// Records written per durable batch (the memory bound of a pull).
    public var batchSize: Int
    /// Client-side rate limit in requests per second; `0` disables it.
    public var requestsPerSecond: Double
    /// Retries per request.
    public var retryPolicy: RetryPolicy
    /// The deadline of each request's head.
    public var requestTimeout: Duration
    /// How far before a high-water mark an incremental pull starts again.
    public var overlapSeconds: Int64
    /// Lower bound on change times pulled.
    public var since: Timestamp?
    /// Upper bound (exclusive) on change times pulled.
    public var until: Timestamp?
    /// The page size asked of listings.
    public var pageSize: Int?
    /// The version recorded in a new `workspace.json`.
    public var toolVersion: String

    /// Creates options with the defaults.
    ///
    /// - Parameters:
    ///   - source: the platform.
    ///   - projects: the projects.
    ///   - workspace: the workspace directory.
    ///   - apiKey: the key.
    public init(source: Source, projects: [String], workspace: String, apiKey: APIKey) {
        self.source = source
        self.projects = projects
        self.workspace = workspace
        self.apiKey = apiKey
        baseURL = nil
        concurrency = 4
        batchSize = 5000
        // Tuor documents lower per-route limits without numbers; 10 requests/s stays polite.
        requestsPerSecond = 10
        retryPolicy = .default
        requestTimeout = .seconds(60)
        overlapSeconds = 2
        since = nil
        until = nil
        pageSize = nil
        toolVersion = "0.1.0"
    }
}
