import Foundation
import Hummingbird
import Logging

/// Logs one line per platform request through swift-log and records it in the ``RequestJournal``.
///
/// Only the method, path, status and duration are logged. Headers are never logged and queries are
/// not logged either, so an API key cannot leak even if a client puts one in the URL.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = TrailRequestContext

    let journal: RequestJournal
    let logger: Logger

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard let platform = Platform(path: path[...]), platform != .admin else {
            return try await next(request, context)
        }
        let started = ContinuousClock.now
        let status: Int
        let response: Response
        do {
            response = try await next(request, context)
            status = response.status.code
        } catch let error as HTTPError {
            status = error.status.code
            log(request, status: status, started: started)
            journal.record(
                method: request.method.rawValue,
                path: path,
                query: request.uri.query ?? "",
                status: status,
                platform: platform
            )
            throw error
        }
        log(request, status: status, started: started)
        journal.record(
            method: request.method.rawValue,
            path: path,
            query: request.uri.query ?? "",
            status: status,
            platform: platform
        )
        return response
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant) {
        guard logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(status)",
            metadata: ["duration_ms": "\(String(format: "%.1f", milliseconds))"]
        )
    }
}
