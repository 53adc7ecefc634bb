public import Hummingbird

/// The per-request context: Hummingbird's core storage plus the faults decided for this request.
public struct TrailRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The fault plan for this request (server flags overridden by `X-Trail-Fault-*` headers).
    public var faults = FaultPlan()

    /// Creates a context for a request arriving on a channel.
    ///
    /// - Parameter source: the channel and logger of the request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Trace ingest allows four payload fields of up to 5 MB each, plus framing.
    public var maxUploadSize: Int { 32 * 1024 * 1024 }
}
