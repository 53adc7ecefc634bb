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

/// Turns SIGINT and SIGTERM into the contract's exit code 130 (``ToolOutcome/interrupted``).
///
/// A command that writes files runs its work through ``run(_:)``: the first signal cancels that task, so
/// the library deletes its temporary files and leaves the previous good state, and the tool exits 130. A
/// second signal exits 130 at once (a temporary file may then be left beside its target; it is never
/// mistaken for output). A command that writes nothing installs with `writesFiles: false` and exits 130 on
/// the first signal, even while it waits on a blocking read.
///
/// Not `Sendable`: it belongs to the command that installed it; only its task slot is shared with the
/// signal handlers.
package final class Interruption {
    private final class Slot: Sendable {
        let cancel = Mutex<(@Sendable () -> Void)?>(nil)
        let signals = Mutex(0)
    }

    private let signals: [Int32]
    private let sources: [any DispatchSourceSignal]
    private let slot = Slot()

    private init(signals: [Int32], sources: [any DispatchSourceSignal]) {
        self.signals = signals
        self.sources = sources
    }

    /// Starts listening for SIGINT and SIGTERM.
    ///
    /// - Parameters:
    ///   - tool: the tool's name, for the line printed when a second signal (or the first, for a tool that
    ///     writes nothing) ends the process.
    ///   - writesFiles: whether the first signal cancels the work (true) or exits at once (false).
    ///   - signals: the signals to listen for; tests pass signals no other code uses.
    /// - Returns: the handle to run the work through and to remove when done.
    package static func install(
        tool: String,
        writesFiles: Bool = true,
        signals: [Int32] = [SIGINT, SIGTERM]
    ) -> Interruption {
        let sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        let interruption = Interruption(signals: signals, sources: sources)
        for (signal, source) in zip(signals, sources) {
            Foundation.signal(signal, SIG_IGN)
            source.setEventHandler { Self.receive(slot: interruption.slot, tool: tool, writesFiles: writesFiles) }
            source.resume()
        }
        return interruption
    }

    /// What one signal does: the first cancels the work (or, when the command writes nothing, exits 130);
    /// a second exits 130 at once.
    private static func receive(slot: Slot, tool: String, writesFiles: Bool) {
        let count = slot.signals.withLock { count in
            count += 1
            return count
        }
        if !writesFiles || count > 1 {
            let line = "\(tool): interrupted\(writesFiles ? " again; stopping now" : "")\n"
            FileHandle.standardError.write(Data(line.utf8))
            _exit(ToolOutcome.interrupted.rawValue)
        }
        slot.cancel.withLock { $0?() }
    }

    /// A function that acts as if one of the signals arrived, callable from any thread, for tests: signals
    /// sent within a test process reach whichever thread does not block them, so their delivery races (the
    /// tools' tests send real ones).
    func signalSimulator(tool: String = "trail-test", writesFiles: Bool = true) -> @Sendable () -> Void {
        { [slot] in Self.receive(slot: slot, tool: tool, writesFiles: writesFiles) }
    }

    /// How many of the signals arrived since ``install(tool:writesFiles:signals:)``.
    var received: Int { slot.signals.withLock { $0 } }

    /// Runs `body` on a task that the signals cancel.
    package func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        let work = Task.detached { try body() }
        attach { work.cancel() }
        return try await work.value
    }

    /// Runs asynchronous `body` on a task that the signals cancel.
    package func run<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let work = Task { try await body() }
        attach { work.cancel() }
        return try await work.value
    }

    /// Makes `cancel` what the next signal calls, calling it now if a signal came before the work started.
    private func attach(_ cancel: @escaping @Sendable () -> Void) {
        slot.cancel.withLock { $0 = cancel }
        if slot.signals.withLock({ $0 }) > 0 { cancel() }
    }

    /// Stops listening and restores the default signal actions.
    package func remove() {
        // Dispatch unregisters a source on its own queue; the default action is restored after that, so a
        // late unregistration cannot leave Dispatch's handler in place of it.
        let cancelled = DispatchGroup()
        for source in sources {
            cancelled.enter()
            source.setCancelHandler { cancelled.leave() }
            source.cancel()
        }
        _ = cancelled.wait(timeout: .now() + .seconds(1))
        for signal in signals { Foundation.signal(signal, SIG_DFL) }
    }
}
