/// The hosted platform a request addresses, told apart by path prefix.
package enum Platform: String, Sendable, CaseIterable {
    /// Tuor, under `/v1/`.
    case tuor
    /// Tracia, under `/api/v1/`.
    case tracia
    /// The emulator's own admin API, under `/_trail/`.
    case admin

    /// The platform of a request path, or `nil` for paths the emulator does not serve.
    ///
    /// - Parameter path: the request path without the query.
    init?(path: Substring) {
        if path.hasPrefix("/v1/") || path == "/v1" {
            self = .tuor
        } else if path.hasPrefix("/api/v1/") || path == "/api/v1" {
            self = .tracia
        } else if path.hasPrefix("/_trail/") || path == "/_trail" {
            self = .admin
        } else {
            return nil
        }
    }
}
