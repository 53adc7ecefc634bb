import Crypto
import TrailConcurrency
import TrailJSON

/// SHA-256 of a sequence of entries, computed on a thread of its own: the caller hands over chunks in
/// order and ends each entry; the digests come back in entry order, all of them by ``finish()``.
///
/// At most a few chunks wait at a time (``update(_:)`` then waits for the thread). Not `Sendable`: it
/// belongs to the thread that feeds it.
final class SerialDigest {
    /// The hash state, touched only by the one worker thread (jobs run one after another, in order).
    private final class State: @unchecked Sendable {
        var hasher = SHA256()
    }

    private static let maxPending = 8
    private let worker = OrderedWorkers<String?>(count: 1)
    private let state = State()
    /// The digests of the entries ended so far, in order, as they come back.
    private(set) var digests: [String] = []

    deinit {
        worker.shutDown()
    }

    /// Hashes the next chunk of the current entry.
    func update(_ chunk: [UInt8]) {
        let state = state
        worker.submit {
            state.hasher.update(data: chunk)
            return nil
        }
        collect()
    }

    /// Ends the current entry; its digest is ``digests``' next element.
    func endEntry() {
        let state = state
        worker.submit {
            let digest = Hex.string(state.hasher.finalize())
            state.hasher = SHA256()
            return digest
        }
        collect()
    }

    /// Waits for every digest.
    func finish() {
        while worker.pending > 0 { take(worker.next()) }
    }

    private func collect() {
        while let done = worker.nextIfDone() { take(done) }
        while worker.pending > Self.maxPending { take(worker.next()) }
    }

    private func take(_ result: String?) {
        if let result { digests.append(result) }
    }
}
