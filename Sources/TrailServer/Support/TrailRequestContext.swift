package import Hummingbird

/// The per-request context: Hummingbird's core storage plus the faults decided for this request.
package struct TrailRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The fault plan for this request (server flags overridden by `X-Trail-Fault-*` headers).
    package var faults = FaultPlan()

    /// Creates a context for a request arriving on a channel.
    ///
    /// - Parameter source: the channel and logger of the request.
    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Trace ingest allows four payload fields of up to 5 MB each, plus framing.
    package var maxUploadSize: Int { 32 * 1024 * 1024 }
}
