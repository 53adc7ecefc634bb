import Synchronization

/// The emulator's record of the requests it answered, for tests that count calls
/// ("the second pull fetches only what is new"). Read it with `GET /_trail/requests`.
///
/// Only method, path, query, status and platform are kept: never headers, so never keys.
public final class RequestJournal: Sendable {
    /// One answered request.
    public struct Entry: Sendable, Codable, Equatable {
        /// 1 for the first request the server answered, increasing by one.
        public var seq: Int
        /// The HTTP method.
        public var method: String
        /// The path, without the query.
        public var path: String
        /// The query string, without `?` (empty when there was none).
        public var query: String
        /// The response status.
        public var status: Int
        /// `tuor` or `tracia`.
        public var platform: String
    }

    private struct State {
        var entries: [Entry] = []
        var nextSeq = 1
    }

    private let state = Mutex(State())
    /// How many entries are kept; older ones are dropped first.
    public let capacity: Int

    /// Creates an empty journal.
    ///
    /// - Parameter capacity: how many entries to keep.
    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    func record(method: String, path: String, query: String, status: Int, platform: Platform) {
        state.withLock { state in
            state.entries.append(
                Entry(
                    seq: state.nextSeq,
                    method: method,
                    path: path,
                    query: query,
                    status: status,
                    platform: platform.rawValue
                )
            )
            state.nextSeq += 1
            if state.entries.count > capacity {
                state.entries.removeFirst(state.entries.count - capacity)
            }
        }
    }

    /// The entries with `seq` greater than `after`, oldest first.
    ///
    /// - Parameter after: a sequence number already seen (0 for all).
    /// - Returns: the newer entries.
    public func entries(after: Int = 0) -> [Entry] {
        state.withLock { state in state.entries.filter { $0.seq > after } }
    }

    /// Forgets every entry (sequence numbers keep increasing).
    public func clear() {
        state.withLock { $0.entries.removeAll() }
    }
}
