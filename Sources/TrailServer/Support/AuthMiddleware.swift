import HTTPTypes
import Hummingbird

/// Checks each platform's documented credential: `X-API-Key` for Tuor, `Authorization: Bearer tr_…`
/// for Tracia. Admin routes (`/_trail/…`) need none; they are for tests on the loopback interface.
///
/// Tuor: no key → `401 {"detail": "Not authenticated"}`, a wrong key → `403 {"detail": "Invalid API key"}`.
/// Tracia: both → `401 {"code": "UNAUTHORIZED", "message": …}`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = TrailRequestContext

    let keys: APIKeys
    static let apiKey = HTTPField.Name("X-API-Key")!

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch Platform(path: request.uri.path[...]) {
        case .tuor:
            guard let key = request.headers[Self.apiKey], !key.isEmpty else {
                var response = ErrorBody.tuor(.unauthorized, "Not authenticated")
                response.headers[.wwwAuthenticate] = "APIKey"
                return response
            }
            guard keys.tuor.contains(key) else {
                return ErrorBody.tuor(.forbidden, "Invalid API key")
            }
        case .tracia:
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
                return ErrorBody.tracia(.unauthorized, code: "UNAUTHORIZED", "Missing API key")
            }
            let token = String(header.dropFirst("Bearer ".count))
            guard token.hasPrefix("tr_"), keys.tracia.contains(token) else {
                return ErrorBody.tracia(.unauthorized, code: "UNAUTHORIZED", "Invalid API key")
            }
        case .admin, nil:
            break
        }
        return try await next(request, context)
    }
}
