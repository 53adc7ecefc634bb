/// The head of a response and its body as a stream of chunks.
public struct TransportResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The header fields.
    public var headers: [HTTPField]
    /// The body, read once.
    public var body: HTTPBody

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: the status code.
    ///   - headers: the header fields.
    ///   - body: the body.
    public init(status: Int, headers: [HTTPField] = [], body: HTTPBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response body: an `AsyncSequence` of byte chunks, read once.
public struct HTTPBody: AsyncSequence, Sendable {
    /// A chunk of bytes.
    public typealias Element = [UInt8]

    private let makeNext: @Sendable () -> () async throws -> [UInt8]?

    /// Creates a body from a factory of "next chunk" functions.
    ///
    /// - Parameter makeNext: called once per iteration; the function it returns yields chunks, then `nil`.
    public init(makeNext: @escaping @Sendable () -> () async throws -> [UInt8]?) {
        self.makeNext = makeNext
    }

    /// A body holding `bytes` in one chunk.
    ///
    /// - Parameter bytes: the whole body.
    /// - Returns: the body.
    public static func bytes(_ bytes: [UInt8]) -> HTTPBody {
        chunks(bytes.isEmpty ? [] : [bytes])
    }

    /// A body holding `chunks`, optionally failing after them (a dropped connection).
    ///
    /// - Parameters:
    ///   - chunks: the chunks, in order.
    ///   - failure: thrown after the last chunk, if set.
    /// - Returns: the body.
    public static func chunks(_ chunks: [[UInt8]], thenFail failure: (any Error & Sendable)? = nil) -> HTTPBody {
        HTTPBody {
            var remaining = chunks[...]
            return {
                if let chunk = remaining.popFirst() { return chunk }
                if let failure { throw failure }
                return nil
            }
        }
    }

    /// Iterates over the chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextChunk: () async throws -> [UInt8]?

        /// The next chunk, or `nil` at the end.
        ///
        /// - Returns: the chunk.
        /// - Throws: what the transport reports (a reset connection, a timeout).
        public mutating func next() async throws -> [UInt8]? {
            try await nextChunk()
        }
    }

    /// Starts reading.
    ///
    /// - Returns: the iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextChunk: makeNext())
    }

    /// Collects the whole body, refusing more than `limit` bytes.
    ///
    /// - Parameter limit: the most bytes accepted.
    /// - Returns: the bytes.
    /// - Throws: ``HTTPBodyTooLarge`` past the limit, or what the transport reports.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var output: [UInt8] = []
        for try await chunk in self {
            guard output.count + chunk.count <= limit else { throw HTTPBodyTooLarge(limit: limit) }
            output.append(contentsOf: chunk)
        }
        return output
    }
}

/// Thrown by ``HTTPBody/collect(upTo:)`` when a body is over its cap.
public struct HTTPBodyTooLarge: Error, Sendable, Hashable {
    /// The cap that was exceeded.
    public var limit: Int
}
