private import CZstd
private import Synchronization
private import TrailConcurrency

/// zstd compression (RFC 8878) on several threads, into independent frames.
///
/// The input is cut into blocks of a fixed size, and a frame can also be ended where the caller chooses
/// (``endFrame()``); each block is compressed into a frame of its own, with its content size and checksum,
/// so `zstd -t` checks every frame and any zstd reader reads the frames as one stream. The bytes depend
/// only on the input, the frame ends, the level and the block size, never on the number of threads, so
/// archives built with it stay reproducible across machines. (Blocks of 1 MiB compress JSON lines as
/// small as one stream does: zstd's default window at level 3 is 2 MiB.)
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
        contexts = ZstdContexts(level: Int32(max(1, min(22, level))))
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

/// libzstd compression contexts kept for reuse across blocks (a context's first use allocates its tables),
/// one per thread compressing at a time.
private final class ZstdContexts: Sendable {
    /// A context, handed between threads only through ``idle``.
    private struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private let level: Int32
    private let idle = Mutex<[Context]>([])

    init(level: Int32) {
        self.level = level
    }

    deinit {
        idle.withLock { contexts in
            for context in contexts { ZSTD_freeCCtx(context.pointer) }
        }
    }

    /// Compresses `input` into one frame with its content size and checksum.
    func compress(_ input: [UInt8]) -> Result<[UInt8], CompressionError> {
        guard let context = idle.withLock({ $0.popLast() }) ?? makeContext() else {
            return .failure(.initializationFailed(operation: "zstd compression", code: 0))
        }
        defer { idle.withLock { $0.append(context) } }
        let bound = ZSTD_compressBound(input.count)
        var status = 0
        let frame = [UInt8](unsafeUninitializedCapacity: max(1, bound)) { buffer, count in
            status = input.withUnsafeBytes { source in
                ZSTD_compress2(context.pointer, buffer.baseAddress, bound, source.baseAddress, source.count)
            }
            count = ZSTD_isError(status) != 0 ? 0 : status
        }
        if ZSTD_isError(status) != 0 {
            return .failure(.zstd(operation: "compress", message: String(cString: ZSTD_getErrorName(status))))
        }
        return .success(frame)
    }

    private func makeContext() -> Context? {
        guard let pointer = ZSTD_createCCtx() else { return nil }
        ZSTD_CCtx_setParameter(pointer, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(pointer, ZSTD_c_checksumFlag, 1)
        return Context(pointer: pointer)
    }
}
