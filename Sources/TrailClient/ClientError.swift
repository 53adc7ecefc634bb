/// Everything that can stop a TrailClient call. Messages name the operation and the URL path, never a
/// credential: request headers are not part of any error.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The upstream refused the key (401/403). `variable` names the variable to fix.
    case unauthorized(status: Int, path: String, variable: String)
    /// A status that no retry can fix (4xx other than 408/429), with the start of the body.
    case rejected(status: Int, path: String, body: String)
    /// Retries were exhausted; `last` says what the last attempt saw.
    case retriesExhausted(path: String, attempts: Int, last: String)
    /// The body was larger than the cap.
    case bodyTooLarge(path: String, limit: Int)
    /// The body was not the JSON the endpoint documents.
    case malformedResponse(path: String, message: String)
    /// A stream could not make progress: the same truncation or repeat came back every time.
    case noProgress(path: String, message: String)
    /// The transport failed (connection refused, reset, timeout) and the call was not retried.
    case transport(path: String, cause: any Error)
    /// The configuration is unusable (a bad base URL, for instance).
    case invalidConfiguration(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unauthorized(let status, let path, let variable):
            "GET \(path) was refused with \(status): the API key was not accepted; check \(variable) "
                + "(or the file given to --api-key-file)"
        case .rejected(let status, let path, let body):
            "GET \(path) failed with \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .retriesExhausted(let path, let attempts, let last):
            "GET \(path) still failed after \(attempts) attempts (last: \(last))"
        case .bodyTooLarge(let path, let limit):
            "GET \(path): the response is larger than \(limit) bytes"
        case .malformedResponse(let path, let message):
            "GET \(path): unexpected response: \(message)"
        case .noProgress(let path, let message):
            "GET \(path) made no progress: \(message)"
        case .transport(let path, let cause):
            "GET \(path): \(cause)"
        case .invalidConfiguration(let message):
            message
        }
    }
}
