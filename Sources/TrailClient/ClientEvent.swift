/// Something a client reports while it works, for progress and summaries.
public enum ClientEvent: Sendable, Hashable {
    /// A request was sent.
    case request(path: String)
    /// A request or stream is tried again after `reason`.
    case retry(path: String, reason: String)
}
