import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGINT and SIGTERM into task cancellation, so the library can clean up its temporary files
/// before the tool exits with code 130.
///
/// Not `Sendable`: it belongs to the command that installed it; only its task slot is shared with the
/// signal handlers.
final class Interruption {
    private final class Slot: Sendable {
        let task = Mutex<Task<Void, Never>?>(nil)
    }

    private let sources: [any DispatchSourceSignal]
    private let slot = Slot()

    private init(sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    /// Starts listening for SIGINT and SIGTERM.
    static func install() -> Interruption {
        let signals = [SIGINT, SIGTERM]
        let sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        let interruption = Interruption(sources: sources)
        let slot = interruption.slot
        for (signal, source) in zip(signals, sources) {
            Foundation.signal(signal, SIG_IGN)
            source.setEventHandler { slot.task.withLock { $0?.cancel() } }
            source.resume()
        }
        return interruption
    }

    /// Runs `body` on a task that the signals cancel.
    func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        let box = Mutex<Swift.Result<Result, any Error>?>(nil)
        let work = Task.detached {
            box.withLock { $0 = Swift.Result { try body() } }
        }
        slot.task.withLock { $0 = work }
        await work.value
        return try box.withLock { $0! }.get()
    }

    /// Stops listening and restores the default signal actions.
    func remove() {
        for source in sources { source.cancel() }
        Foundation.signal(SIGINT, SIG_DFL)
        Foundation.signal(SIGTERM, SIG_DFL)
    }
}
