import Dispatch

/// Runs blocking work (file writes, `fsync`, whole-file reads) on a Dispatch thread and awaits it, so
/// that Swift's cooperative thread pool, which async code shares, is never blocked on the disk.
public enum BlockingWork {
    private static let key = DispatchSpecificKey<Bool>()
    private static let queue: DispatchQueue = {
        let queue = DispatchQueue(label: "PromptTrail.blocking-work", qos: .userInitiated, attributes: .concurrent)
        queue.setSpecific(key: key, value: true)
        return queue
    }()

    /// Whether the caller runs on the blocking-work queue.
    static var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }

    /// Runs `body` off the cooperative pool.
    ///
    /// Cancelling the awaiting task does not interrupt `body`: it runs to its end, and its result is
    /// returned (the caller checks cancellation afterwards).
    ///
    /// - Parameter body: the blocking work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// A value that is not `Sendable`, lent by the one task that owns it to work that task awaits.
///
/// Sound only under that discipline: the owner hands it to ``BlockingWork/run(_:)`` and does not touch
/// it until the work returns, so the value is never used by two threads at once.
public struct Lent<Value>: @unchecked Sendable {
    /// The lent value.
    public let value: Value

    /// Lends `value`.
    public init(_ value: Value) {
        self.value = value
    }
}
