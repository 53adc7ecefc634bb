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

    /// The largest page a listing may ask for.
    ///
    /// Tracia documents `limit` "max 100" on `GET /spans`. Tuor documents no maximum for its trace list;
    /// 200 is PromptTrail's choice (the emulator's limit), labelled as such in docs/upstream-apis.md.
    public var maximumPageSize: Int {
        switch self {
        case .tuor: 200
        case .tracia: 100
        }
    }

    /// Whether ``maximumPageSize`` is the platform's documented limit (`false`: PromptTrail's choice).
    public var maximumPageSizeIsDocumented: Bool { self == .tracia }

    /// The platform's name as users know it.
    public var displayName: String {
        switch self {
        case .tuor: "Tuor"
        case .tracia: "Tracia"
        }
    }
}
