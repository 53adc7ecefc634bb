import Foundation

/// A fixed set of threads that run submitted jobs and hand their results back in submission order.
///
/// The submitting thread calls ``submit(_:)`` and ``next()``; jobs run on the workers. The pool holds no
/// bound of its own: callers keep ``pending`` small (for example at most twice the thread count) so memory
/// stays bounded. Call ``shutDown()`` when done; it drops jobs not started and waits for the threads.
///
/// Jobs and results have a lock each, and a thread is woken only when it has something to do: a submitted
/// job wakes one idle worker, and a finished job wakes the submitter only when it is the result the
/// submitter waits for. (On a virtual machine every wake-up of an idle core is slow; waking every thread
/// for every job and result cost a quarter of two cores in the archive's pipeline.)
public final class OrderedWorkers<Output: Sendable>: @unchecked Sendable {
    /// Guards ``jobs``, ``jobIndex``, ``closed`` and ``running``; workers wait on it for jobs.
    private let jobsCondition = NSCondition()
    private var jobs: [(sequence: Int, job: @Sendable () -> Output)] = []
    private var jobIndex = 0
    private var closed = false
    private var running: Int
    /// Guards ``outputs``, ``taken`` and ``awaited``; the submitter waits on it for a result.
    private let outputsCondition = NSCondition()
    private var outputs: [Int: Output] = [:]
    private var taken = 0
    /// The sequence number ``next()`` is waiting for, if it is waiting.
    private var awaited: Int?
    /// Jobs submitted (only the submitting thread changes it).
    private var submitted = 0
    /// The number of worker threads.
    public let threads: Int

    /// Starts `count` worker threads.
    ///
    /// - Parameters:
    ///   - count: the number of threads (at least 1).
    ///   - stackSize: each thread's stack size in bytes, or `nil` for the platform's default.
    public init(count: Int, stackSize: Int? = nil) {
        running = max(1, count)
        threads = running
        for _ in 0..<running {
            let thread = Thread { [self] in work() }
            if let stackSize { thread.stackSize = stackSize }
            thread.start()
        }
    }

    /// Jobs submitted and not yet taken back with ``next()``.
    public var pending: Int {
        outputsCondition.lock()
        defer { outputsCondition.unlock() }
        return submitted - taken
    }

    /// Queues a job; its result is returned by ``next()`` after the results of every earlier job.
    ///
    /// - Parameter job: the work, run on a worker thread.
    public func submit(_ job: @escaping @Sendable () -> Output) {
        outputsCondition.lock()
        let sequence = submitted
        submitted += 1
        outputsCondition.unlock()
        jobsCondition.lock()
        jobs.append((sequence, job))
        jobsCondition.signal()
        jobsCondition.unlock()
    }

    /// The result of the oldest job not taken yet, waiting for it if needed. Call only while
    /// ``pending`` is above zero.
    ///
    /// - Returns: that job's output.
    public func next() -> Output {
        outputsCondition.lock()
        defer { outputsCondition.unlock() }
        precondition(taken < submitted, "next() called with no job pending")
        while true {
            if let output = outputs.removeValue(forKey: taken) {
                taken += 1
                awaited = nil
                return output
            }
            awaited = taken
            outputsCondition.wait()
        }
    }

    /// The result of the oldest job not taken yet if it is done, without waiting; `nil` otherwise.
    ///
    /// - Returns: that job's output, or `nil`.
    public func nextIfDone() -> Output? {
        outputsCondition.lock()
        defer { outputsCondition.unlock() }
        guard let output = outputs.removeValue(forKey: taken) else { return nil }
        taken += 1
        return output
    }

    /// Drops the jobs not started and waits until every thread has returned. Idempotent.
    public func shutDown() {
        jobsCondition.lock()
        closed = true
        jobs.removeAll()
        jobIndex = 0
        jobsCondition.broadcast()
        while running > 0 { jobsCondition.wait() }
        jobsCondition.unlock()
        outputsCondition.lock()
        outputs.removeAll()
        outputsCondition.unlock()
    }

    private func work() {
        while true {
            jobsCondition.lock()
            while jobIndex == jobs.count && !closed { jobsCondition.wait() }
            if closed {
                running -= 1
                jobsCondition.broadcast()
                jobsCondition.unlock()
                return
            }
            let (sequence, job) = jobs[jobIndex]
            jobIndex += 1
            // Drop the jobs already taken, so their captured inputs are freed even when the submitter
            // always stays ahead (the queue never runs dry); moving the rest costs at most as much as
            // what is dropped, so the queue stays amortized O(1).
            if jobIndex == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                jobIndex = 0
            } else if jobIndex * 2 >= jobs.count {
                jobs.removeFirst(jobIndex)
                jobIndex = 0
            }
            jobsCondition.unlock()
            let output = job()
            outputsCondition.lock()
            outputs[sequence] = output
            if awaited == sequence { outputsCondition.signal() }
            outputsCondition.unlock()
        }
    }
}
