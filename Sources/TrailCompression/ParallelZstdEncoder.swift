private import Synchronization
private import TrailConcurrency

/// zstd compression (RFC 8878) on several threads, into independent frames.
///
/// The input is cut into blocks of a fixed size, and a frame can also be ended where the caller chooses
/// (``endFrame()``); each block is compressed into a frame of its own, with its content size and checksum,
/// so `zstd -t` checks every frame and any zstd reader reads the frames as one stream. The bytes depend
/// only on the input, the frame ends, the level and the block size, never on the number of threads, so
/// archives built with it stay reproducible across machines. (Independent blocks lose the matches a
/// stream finds across them: at level 3 zstd's window is 2 MiB. On the project's generated traces 1 MiB
/// blocks came out no larger than one stream; data with long-range repeats may compress less well.)
///
/// Feed data with ``write(_:)``; compressed frames go to the `output` closure, in order, on the calling
/// thread. At most two blocks per thread are held in memory at once. Not `Sendable`: an encoder belongs
/// to one task.
public final class ParallelZstdEncoder {
    /// The size of the blocks compressed independently (1 MiB).
    public static let defaultBlockSize = 1 << 20

    private let output: ([UInt8]) throws -> Void
    private let contexts: ZstdContexts
    private let workers: OrderedWorkers<Result<[UInt8], CompressionError>>?
    private let maxInFlight: Int
    private var blocks: FixedBlocks
    private var finished = false
    /// The frames ended so far (handed over or still being compressed).
    public private(set) var framesEnded = 0

    /// Creates an encoder.
    ///
    /// - Parameters:
    ///   - level: the zstd level, 1 (fastest) to 22 (smallest); 3 is zstd's default.
    ///   - threads: compression threads; 1 or less compresses on the calling thread.
    ///   - blockSize: the largest uncompressed size of a frame.
    ///   - output: receives each frame, in order; what it throws stops the encoder.
    public init(
        level: Int = 3,
        threads: Int,
        blockSize: Int = ParallelZstdEncoder.defaultBlockSize,
        output: @escaping ([UInt8]) throws -> Void
    ) {
        blocks = FixedBlocks(size: blockSize)
        self.output = output
        contexts = ZstdContexts(level: level)
        workers = threads > 1 ? OrderedWorkers(count: threads) : nil
        maxInFlight = 2 * max(1, threads)
    }

    deinit {
        workers?.shutDown()
    }

    /// Compresses the next bytes.
    ///
    /// - Parameter bytes: uncompressed data.
    /// - Throws: ``CompressionError`` on a libzstd failure, or what `output` throws.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw CompressionError.zstd(operation: "compress", message: "the stream is finished") }
        try blocks.append(bytes) { try submit($0) }
    }

    /// Ends the current frame, if it has any bytes, and compresses `bytes` into a frame of their own
    /// (without copying them, whatever their size); the next bytes start another. Does not wait for the
    /// frames to be compressed.
    ///
    /// - Throws: ``CompressionError`` on a libzstd failure, or what `output` throws.
    public func writeFrame(_ bytes: [UInt8]) throws {
        guard !finished else { throw CompressionError.zstd(operation: "compress", message: "the stream is finished") }
        try endFrame()
        guard !bytes.isEmpty else { return }
        try submit(bytes)
    }

    /// Ends the current frame, if it has any bytes; the next bytes start another. Does not wait for the
    /// frame to be compressed.
    ///
    /// - Throws: ``CompressionError`` on a libzstd failure, or what `output` throws.
    public func endFrame() throws {
        if !blocks.block.isEmpty { try submit(blocks.take()) }
    }

    /// Ends the current frame and hands over every frame not handed over yet, waiting for them.
    ///
    /// - Throws: ``CompressionError`` on a libzstd failure, or what `output` throws.
    public func flush() throws {
        try endFrame()
        if let workers {
            while workers.pending > 0 { try output(workers.next().get()) }
        }
    }

    /// Flushes and stops the threads; the encoder takes no more bytes. Idempotent.
    ///
    /// - Throws: ``CompressionError`` on a libzstd failure, or what `output` throws.
    public func finish() throws {
        guard !finished else { return }
        try flush()
        finished = true
        workers?.shutDown()
    }

    private func submit(_ input: [UInt8]) throws {
        framesEnded += 1
        guard let workers else {
            try output(contexts.compress(input).get())
            return
        }
        let contexts = contexts
        workers.submit { contexts.compress(input) }
        while let done = workers.nextIfDone() { try output(done.get()) }
        while workers.pending >= maxInFlight { try output(workers.next().get()) }
    }
}

/// ``ZstdCompressor``s kept for reuse across blocks (a context's first use allocates its tables), lent to one
/// thread at a time.
private final class ZstdContexts: Sendable {
    /// A compressor, handed between threads only through ``idle``.
    private struct Lent: @unchecked Sendable {
        let compressor: ZstdCompressor
    }

    private let level: Int
    private let idle = Mutex<[Lent]>([])

    init(level: Int) {
        self.level = level
    }

    /// Compresses `input` into one frame with its content size and checksum.
    func compress(_ input: [UInt8]) -> Result<[UInt8], CompressionError> {
        let lent: Lent
        if let idle = idle.withLock({ $0.popLast() }) {
            lent = idle
        } else {
            do { lent = Lent(compressor: try ZstdCompressor(level: level, checksum: true, ultra: true)) } catch {
                return .failure(error)
            }
        }
        defer { idle.withLock { $0.append(lent) } }
        return Result { () throws(CompressionError) in try lent.compressor.compress(input) }
    }
}
