/// Pages of a cursor-paginated listing as an `AsyncSequence`.
///
/// It asks for the first page with the start cursor, then for each page with the cursor the previous one
/// returned. It ends when a page has no next cursor (``Page/end`` is ``EndReason/exhausted``), or when the
/// next cursor is one it has already used (``EndReason/repeatedCursor``), which would otherwise loop
/// forever. The caller decides what a repeated cursor means; it is never silently taken as the end.
public struct Paginator<Item: Sendable>: AsyncSequence, Sendable {
    /// Why the sequence stopped after a page.
    public enum EndReason: Sendable, Hashable {
        /// The last page had no next cursor.
        case exhausted
        /// The next cursor had been used before.
        case repeatedCursor(String)
    }

    /// One page.
    public struct Page: Sendable {
        /// The items, in the upstream's order.
        public var items: [Item]
        /// The cursor this page was fetched with (`nil` for the first page of a fresh listing).
        public var cursor: String?
        /// The cursor of the following page, when there is one and it is new.
        public var nextCursor: String?
        /// Set on the last page: why the listing stops here.
        public var end: EndReason?
    }

    /// Fetches the page at a cursor: its items and the upstream's next cursor.
    public typealias Fetch = @Sendable (_ cursor: String?) async throws -> (items: [Item], nextCursor: String?)

    private let start: String?
    private let fetch: Fetch

    /// Creates a paginator.
    ///
    /// - Parameters:
    ///   - start: the cursor of the first page (`nil` from the beginning; a saved cursor to resume).
    ///   - fetch: fetches one page.
    public init(startingAt start: String? = nil, fetch: @escaping Fetch) {
        self.start = start
        self.fetch = fetch
    }

    /// Iterates over the pages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var cursor: String?
        var seen: Set<String>
        var finished = false
        let fetch: Fetch

        /// The next page, or `nil` after the last.
        ///
        /// - Returns: the page.
        /// - Throws: what the fetch throws, and `CancellationError`.
        public mutating func next() async throws -> Page? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            let (items, upstreamNext) = try await fetch(cursor)
            var page = Page(items: items, cursor: cursor, nextCursor: nil, end: nil)
            if let upstreamNext, !upstreamNext.isEmpty {
                if seen.insert(upstreamNext).inserted {
                    page.nextCursor = upstreamNext
                    cursor = upstreamNext
                } else {
                    page.end = .repeatedCursor(upstreamNext)
                    finished = true
                }
            } else {
                page.end = .exhausted
                finished = true
            }
            return page
        }
    }

    /// Starts the listing.
    ///
    /// - Returns: the iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(cursor: start, seen: start.map { [$0] } ?? [], fetch: fetch)
    }
}
