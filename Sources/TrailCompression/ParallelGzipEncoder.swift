private import CZlib
private import TrailConcurrency

/// gzip compression (RFC 1952) on several threads, producing one ordinary gzip member.
///
/// The input is cut into blocks of a fixed size. Each block is deflated on its own, primed with the
/// 32 KiB of input before it as a dictionary and ended on a byte boundary (a sync flush; the last block
/// ends the stream), so the blocks' deflate data can be joined in order; their CRC-32s are combined.
/// Any gzip reader reads the result. The bytes depend only on the input, the level and the block size,
/// never on the number of threads, so archives built with it stay reproducible across machines.
///
/// Feed data with ``write(_:)`` and end with ``finish()``; compressed bytes go to the `output` closure,
/// in order, on the calling thread. At most two blocks per thread are held in memory at once.
/// Not `Sendable`: an encoder belongs to one task.
public final class ParallelGzipEncoder {
    /// The size of the blocks compressed independently (128 KiB, as pigz uses).
    public static let defaultBlockSize = 128 * 1024
    private static let window = 32 * 1024

    private let level: Int32
    private let output: ([UInt8]) throws -> Void
    private let workers: OrderedWorkers<Result<DeflatedBlock, CompressionError>>?
    private let maxInFlight: Int
    private var blocks: FixedBlocks
    private var dictionary: [UInt8] = []
    private var crc: UInt = 0
    private var length: UInt64 = 0
    private var started = false
    private var finished = false

    /// Creates an encoder.
    ///
    /// - Parameters:
    ///   - level: the zlib compression level, 0 (store) to 9 (smallest); 6 is gzip's default.
    ///   - threads: compression threads; 1 or less compresses on the calling thread.
    ///   - blockSize: the uncompressed size of each independently compressed block.
    ///   - output: receives the compressed bytes, in order.
    public init(
        level: Int = 6,
        threads: Int,
        blockSize: Int = ParallelGzipEncoder.defaultBlockSize,
        output: @escaping ([UInt8]) throws -> Void
    ) {
        self.level = Int32(max(0, min(9, level)))
        blocks = FixedBlocks(size: max(Self.window, blockSize))
        self.output = output
        workers = threads > 1 ? OrderedWorkers(count: threads) : nil
        maxInFlight = 2 * max(1, threads)
    }

    deinit {
        workers?.shutDown()
    }

    /// Compresses the next bytes.
    ///
    /// - Parameter bytes: uncompressed data.
    /// - Throws: ``CompressionError`` on a zlib failure, or what `output` throws.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else {
            throw CompressionError.zlib(
                operation: "gzip compression",
                code: Z_STREAM_ERROR,
                message: "the stream is already finished"
            )
        }
        // A full block is only sent once more input arrives, so that the last block is known at `finish`.
        try blocks.append(bytes) { try submit($0, last: false) }
    }

    /// Compresses the rest and writes the gzip trailer. Idempotent.
    ///
    /// - Throws: ``CompressionError`` on a zlib failure, or what `output` throws.
    public func finish() throws {
        guard !finished else { return }
        try submit(blocks.take(), last: true)
        finished = true
        if let workers {
            while workers.pending > 0 { try emit(workers.next()) }
        }
        var trailer: [UInt8] = []
        trailer.reserveCapacity(8)
        for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: UInt32(crc) >> shift)) }
        for shift in stride(from: 0, to: 32, by: 8) {
            trailer.append(UInt8(truncatingIfNeeded: length >> UInt64(shift)))
        }
        try output(trailer)
        workers?.shutDown()
    }

    private func submit(_ input: [UInt8], last: Bool) throws {
        if !started {
            // ID1 ID2, CM = deflate, no flags, MTIME = 0, XFL = 0, OS = 3 (Unix): no name, no time.
            try output([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3])
            started = true
        }
        let primer = dictionary
        let level = level
        // Blocks before the last are at least a window long, so the window is the block's tail.
        dictionary = Array(input.suffix(Self.window))
        guard let workers else {
            try emit(Self.deflate(input, dictionary: primer, level: level, last: last))
            return
        }
        workers.submit { Self.deflate(input, dictionary: primer, level: level, last: last) }
        while workers.pending >= maxInFlight { try emit(workers.next()) }
    }

    private func emit(_ result: Result<DeflatedBlock, CompressionError>) throws {
        let deflated = try result.get()
        // The corresponding C function is `crc32_combine`.
        crc = crc32_combine(crc, deflated.crc, off_t(deflated.length))
        length &+= UInt64(deflated.length)
        try output(deflated.bytes)
    }

    private static func deflate(
        _ input: [UInt8],
        dictionary: [UInt8],
        level: Int32,
        last: Bool
    ) -> Result<DeflatedBlock, CompressionError> {
        do {
            let stream = try ZlibStream(deflateLevel: level, windowBits: ZlibStream.rawWindowBits)
            defer { stream.close() }
            try dictionary.withUnsafeBytes { (buffer) throws in try stream.setDictionary(buffer) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(input.count / 2)
            let checksum = try input.withUnsafeBytes { (buffer) throws -> UInt in
                try stream.deflate(buffer, flush: last ? Z_FINISH : Z_SYNC_FLUSH, into: &bytes)
                guard let base = buffer.baseAddress else { return 0 }
                // The corresponding C function is `crc32`.
                return crc32(0, base.assumingMemoryBound(to: Bytef.self), UInt32(buffer.count))
            }
            return .success(DeflatedBlock(bytes: bytes, crc: checksum, length: input.count))
        } catch let error as CompressionError {
            return .failure(error)
        } catch {
            return .failure(.zlib(operation: "gzip compression", code: Z_STREAM_ERROR, message: "\(error)"))
        }
    }
}

/// One block's raw deflate data, with the CRC-32 and length of its input.
private struct DeflatedBlock: Sendable {
    var bytes: [UInt8]
    var crc: UInt
    var length: Int
}
