/// The hosted platform a workspace mirrors.
public enum Source: String, Sendable, Hashable, CaseIterable {
    /// Tuor: human review of model traces, with versioned prompts.
    case tuor
    /// Tracia: prompt management with per-call spans.
    case tracia

    /// The environment variable that carries the platform's API key.
    public var apiKeyVariable: String {
        switch self {
        case .tuor: "TUOR_API_KEY"
        case .tracia: "TRACIA_API_KEY"
        }
    }

    /// The platform's documented API base URL.
    public var defaultBaseURL: String {
        switch self {
        case .tuor: "https://api.tuor.dev"
        case .tracia: "https://app.tracia.io/api/v1"
        }
    }
}
