import Synchronization

/// The emulator's record of the requests it answered, for tests that count calls
/// ("the second pull fetches only what is new"). Read it with `GET /_trail/requests`.
///
/// Only method, path, query, status and platform are kept: never headers, so never keys.
package final class RequestJournal: Sendable {
    /// One answered request.
    package struct Entry: Sendable, Equatable {
        /// 1 for the first request the server answered, increasing by one.
        package var seq: Int
        /// The HTTP method.
        package var method: String
        /// The path, without the query.
        package var path: String
        /// The query string, without `?` (empty when there was none).
        package var query: String
        /// The response status.
        package var status: Int
        /// `tuor` or `tracia`.
        package var platform: String

        /// Appends the entry as the `/_trail/requests` item.
        func write(into writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("seq")
            writer.int(seq)
            writer.field("method", method)
            writer.field("path", path)
            writer.field("query", query)
            writer.key("status")
            writer.int(status)
            writer.field("platform", platform)
            writer.endObject()
        }
    }

    private struct State {
        var entries: [Entry] = []
        var nextSeq = 1
    }

    private let state = Mutex(State())
    /// How many entries are kept; older ones are dropped first.
    package let capacity: Int

    /// Creates an empty journal.
    ///
    /// - Parameter capacity: how many entries to keep.
    package init(capacity: Int = 100_000) {
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
    package func entries(after: Int = 0) -> [Entry] {
        state.withLock { state in state.entries.filter { $0.seq > after } }
    }

    /// Forgets every entry (sequence numbers keep increasing).
    package func clear() {
        state.withLock { $0.entries.removeAll() }
    }
}
