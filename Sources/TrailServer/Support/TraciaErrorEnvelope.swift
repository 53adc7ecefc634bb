import Hummingbird

/// Which envelope Tracia error bodies get.
///
/// The docs' example is flat, `{"code": "...", "message": "..."}`. Both official SDKs read
/// `{"error": {"code": "...", "message": "..."}}` instead (node `src/client.ts`, py `tracia/_http.py`, and
/// node's test mocks), which is most likely the wire format, so the emulator wraps by default;
/// `--tracia-flat-errors` switches to the docs' form. The choice travels with each request as a task
/// local, so every layer that answers with a Tracia error (authentication, faults, routes) follows it.
enum TraciaErrorEnvelope {
    /// Whether the request being served answers with flat Tracia errors.
    @TaskLocal static var flat = false

    /// Sets ``flat`` for everything a request runs, from the outermost middleware.
    struct Middleware: RouterMiddleware {
        typealias Context = TrailRequestContext

        /// The configured form.
        let flat: Bool

        func handle(
            _ request: Request,
            context: Context,
            next: (Request, Context) async throws -> Response
        ) async throws -> Response {
            try await TraciaErrorEnvelope.$flat.withValue(flat) { try await next(request, context) }
        }
    }
}
