import Foundation
import Synchronization

/// The emulator's clock: wall time in milliseconds, strictly increasing across calls.
///
/// Every record the emulator creates or changes gets a distinct timestamp, so `since` filters and
/// keyset cursors never see two changes at the same instant.
final class ServerClock: Sendable {
    private let last = Mutex<Int64>(0)

    /// The next timestamp: now, or one millisecond after the previous one if the wall clock has not moved.
    func now() -> VerbatimTimestamp {
        let wall = Int64(Date().timeIntervalSince1970 * 1000) * 1000
        let micros = last.withLock { last in
            last = max(wall, last + 1000)
            return last
        }
        return VerbatimTimestamp(microseconds: micros)
    }
}
