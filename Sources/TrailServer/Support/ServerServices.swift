import Foundation
import Hummingbird
import NIOCore

/// What every route needs: the store, the clock, the id generator, the fault injector, the journal and the
/// compiled request schemas.
struct ServerServices: Sendable {
    let store: SQLiteStore
    let clock: ServerClock
    let ids: IDGenerator
    let injector: FaultInjector
    let journal: RequestJournal
    let schemas: RequestSchemas
}

extension Request {
    /// The request body, collected up to the context's upload limit.
    func collectBody(context: TrailRequestContext) async throws -> ByteBuffer {
        try await body.collect(upTo: context.maxUploadSize)
    }

    /// A query parameter, or `nil` when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters[name[...]], !value.isEmpty else { return nil }
        return String(value)
    }

    /// Every value of a repeated query parameter.
    func queryAll(_ name: String) -> [String] {
        uri.queryParameters.getAll(name).map { String($0) }.filter { !$0.isEmpty }
    }
}
