import Foundation
import Synchronization
import Testing

@testable import TrailToolSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `Interruption` in process. It listens to no signal here (`signals: []`): a signal sent within the test
/// process reaches whichever thread does not block it, so the tests call what a signal does
/// (`simulateSignal`), from another thread as a signal source would. Real SIGINT and SIGTERM, the second
/// signal and the writes-nothing path end the process (`_exit(130)`), so the tool tests check those on the
/// real binaries (`ToolContractTests`).
@Suite("Interruption", .serialized, .timeLimit(.minutes(1)))
struct InterruptionTests {
    /// A flag the work sets and another task reads.
    private final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    @Test("the first signal cancels the running work, which stops with CancellationError")
    func firstSignalCancels() async throws {
        let interruption = Interruption.install(tool: "trail-test", signals: [])
        defer { interruption.remove() }
        let started = Flag()
        let signal = interruption.signalSimulator()
        // A thread of its own, as a signal source is: a task could wait behind the work (which blocks its
        // thread) and other suites' tasks for a free thread of the shared pool, and the work would finish first.
        let raised = Flag()
        let raiser = Thread {
            for _ in 0..<500 where !started.isSet { usleep(10_000) }
            signal()
            raised.set()
        }
        raiser.start()
        await #expect(throws: CancellationError.self) {
            try await interruption.run { () throws -> Int in
                started.set()
                var spins = 0
                while true {
                    try Task.checkCancellation()
                    spins += 1
                    usleep(1000)
                    if spins > 20_000 { return spins }
                }
            }
        }
        for _ in 0..<500 where !raised.isSet { try await Task.sleep(for: .milliseconds(10)) }
        #expect(raised.isSet)
        #expect(started.isSet)
        #expect(interruption.received == 1)
    }

    @Test("a signal that comes before the work starts cancels the work as soon as it starts")
    func signalBeforeWork() async throws {
        let interruption = Interruption.install(tool: "trail-test", signals: [])
        defer { interruption.remove() }
        interruption.signalSimulator()()
        #expect(interruption.received == 1)
        await #expect(throws: CancellationError.self) {
            try await interruption.run { () async throws -> Int in
                try await Task.sleep(for: .seconds(30))
                return 0
            }
        }
    }

    @Test("work that is not interrupted returns its value, and remove() restores the default action")
    func uninterrupted() async throws {
        let interruption = Interruption.install(tool: "trail-test", signals: [SIGUSR1])
        let value = try await interruption.run { () throws -> Int in 42 }
        #expect(value == 42)
        #expect(interruption.received == 0)
        interruption.remove()
        var action = sigaction()
        sigaction(SIGUSR1, nil, &action)
        #expect(
            unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_DFL, to: Int.self)
        )
    }
}
