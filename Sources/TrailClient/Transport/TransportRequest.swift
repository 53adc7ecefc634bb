/// One HTTP request, as a value: what the transport sends.
public struct TransportRequest: Sendable, Hashable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The absolute URL, query included.
    public var url: String
    /// The header fields, in order. Credentials travel here and nowhere else.
    public var headers: [HTTPField]
    /// How long the whole exchange may take, from sending to the response head; body reads are bounded
    /// by the transport's idle timeout.
    public var timeout: Duration

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - method: the method.
    ///   - url: the absolute URL.
    ///   - headers: the header fields.
    ///   - timeout: the deadline for the response head.
    public init(method: String = "GET", url: String, headers: [HTTPField] = [], timeout: Duration = .seconds(30)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.timeout = timeout
    }

    /// The path and query of ``url``, for logs and errors (never the headers).
    public var pathAndQuery: String {
        guard let scheme = url.firstRange(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }
}

/// One header field.
public struct HTTPField: Sendable, Hashable {
    /// The name, compared case-insensitively by ``HTTPFields``-style look-ups.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a field.
    ///
    /// - Parameters:
    ///   - name: the name.
    ///   - value: the value.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPField {
    /// The first value of the field `name` (case-insensitive).
    ///
    /// - Parameter name: a field name.
    /// - Returns: its first value, or `nil`.
    public func value(of name: String) -> String? {
        let lowered = name.lowercased()
        return first { $0.name.lowercased() == lowered }?.value
    }
}
