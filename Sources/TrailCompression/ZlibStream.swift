private import CZlib

/// Owns one heap-allocated `z_stream`, so its address stays fixed while zlib points back into it.
///
/// Not `Sendable`: a stream belongs to the one task that drives it.
final class ZlibStream {
    enum Direction {
        case deflate
        case inflate
    }

    private let direction: Direction
    private var stream: UnsafeMutablePointer<z_stream>?
    private(set) var ended = false

    /// gzip framing (window bits 15 + 16), as `gzip(1)` writes it.
    static let gzipWindowBits: Int32 = 15 + 16
    /// Raw deflate (RFC 1951) with a 32 KiB window: no header, no trailer.
    static let rawWindowBits: Int32 = -15

    init(deflateLevel level: Int32, windowBits: Int32 = gzipWindowBits) throws {
        direction = .deflate
        let stream = Self.allocate()
        // The corresponding C function is `deflateInit2`.
        let status = CZlib_deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            stream.deallocate()
            throw CompressionError.initializationFailed(operation: "gzip compression", code: status)
        }
        self.stream = stream
    }

    init(inflate: Void) throws {
        direction = .inflate
        let stream = Self.allocate()
        // The corresponding C function is `inflateInit2`.
        let status = CZlib_inflateInit2(stream, Self.gzipWindowBits)
        guard status == Z_OK else {
            stream.deallocate()
            throw CompressionError.initializationFailed(operation: "gzip decompression", code: status)
        }
        self.stream = stream
    }

    deinit {
        close()
    }

    /// Frees zlib's state. Idempotent.
    func close() {
        guard let stream else { return }
        self.stream = nil
        switch direction {
        case .deflate: deflateEnd(stream)
        case .inflate: inflateEnd(stream)
        }
        stream.deallocate()
    }

    private static func allocate() -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        return stream
    }

    /// Runs deflate over `input`, appending output to `output`.
    ///
    /// - Parameters:
    ///   - input: the next uncompressed bytes.
    ///   - finish: `true` on the last call, to write the gzip trailer.
    ///   - output: where compressed bytes are appended.
    /// - Throws: ``CompressionError`` on a zlib failure.
    func deflate(_ input: UnsafeRawBufferPointer, finish: Bool, into output: inout [UInt8]) throws {
        try deflate(input, flush: finish ? Z_FINISH : Z_NO_FLUSH, into: &output)
    }

    /// Runs deflate over `input` with a zlib flush mode (`Z_NO_FLUSH`, `Z_SYNC_FLUSH` or `Z_FINISH`),
    /// appending output to `output`; with `Z_SYNC_FLUSH` the output ends on a byte boundary.
    func deflate(_ input: UnsafeRawBufferPointer, flush: Int32, into output: inout [UInt8]) throws {
        guard let stream else { throw Self.closed("gzip compression") }
        let finish = flush == Z_FINISH
        try withInput(input, stream) { () throws in
            var status: Int32
            repeat {
                // The corresponding C function is `deflate`.
                status = drain(stream, into: &output) { CZlib.deflate($0, flush) }
                guard status == Z_OK || status == Z_BUF_ERROR || status == Z_STREAM_END else {
                    throw Self.failure(status, stream, operation: "gzip compression")
                }
            } while stream.pointee.avail_in > 0 || (finish && status != Z_STREAM_END)
            if status == Z_STREAM_END { ended = true }
        }
    }

    /// Primes a raw deflate stream with the data that precedes its input, so matches may reach back into it.
    ///
    /// - Parameter dictionary: up to 32 KiB of preceding data.
    /// - Throws: ``CompressionError`` on a zlib failure.
    func setDictionary(_ dictionary: UnsafeRawBufferPointer) throws {
        guard let stream else { throw Self.closed("gzip compression") }
        guard let base = dictionary.baseAddress, dictionary.count > 0 else { return }
        // The corresponding C function is `deflateSetDictionary`.
        let status = deflateSetDictionary(stream, base.assumingMemoryBound(to: Bytef.self), UInt32(dictionary.count))
        guard status == Z_OK else { throw Self.failure(status, stream, operation: "gzip compression") }
    }

    /// Runs inflate over `input`, appending output to `output`; concatenated gzip members are read as one stream.
    func inflate(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) throws {
        guard let stream else { throw Self.closed("gzip decompression") }
        try withInput(input, stream) { () throws in
            while stream.pointee.avail_in > 0 {
                if ended {
                    // Another gzip member follows (as `cat a.gz b.gz` makes): start over on it.
                    // The corresponding C function is `inflateReset`.
                    let reset = inflateReset(stream)
                    guard reset == Z_OK else { throw Self.failure(reset, stream, operation: "gzip decompression") }
                    ended = false
                }
                // The corresponding C function is `inflate`.
                let status = drain(stream, into: &output) { CZlib.inflate($0, Z_NO_FLUSH) }
                guard output.count <= limit else { throw CompressionError.limitExceeded(limit: limit) }
                switch status {
                case Z_STREAM_END:
                    ended = true
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    return
                case Z_DATA_ERROR, Z_NEED_DICT:
                    throw CompressionError.corruptData(message: Self.message(stream) ?? "invalid gzip data")
                default:
                    throw Self.failure(status, stream, operation: "gzip decompression")
                }
            }
        }
    }

    /// Calls `step` with a fresh output buffer until zlib leaves room in it, appending what it wrote.
    private func drain(
        _ stream: UnsafeMutablePointer<z_stream>,
        into output: inout [UInt8],
        _ step: (UnsafeMutablePointer<z_stream>) -> Int32
    ) -> Int32 {
        var status: Int32
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        repeat {
            let produced: Int
            (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = UInt32(buffer.count)
                defer {
                    stream.pointee.next_out = nil
                    stream.pointee.avail_out = 0
                }
                let status = step(stream)
                return (status, buffer.count - Int(stream.pointee.avail_out))
            }
            output.append(contentsOf: chunk[0..<produced])
            if produced < chunk.count { break }
        } while status == Z_OK
        return status
    }

    private static func closed(_ operation: String) -> CompressionError {
        .zlib(operation: operation, code: Z_STREAM_ERROR, message: "the stream is already finished")
    }

    private func withInput<R>(
        _ input: UnsafeRawBufferPointer,
        _ stream: UnsafeMutablePointer<z_stream>,
        _ body: () throws -> R
    ) throws -> R {
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        )
        stream.pointee.avail_in = UInt32(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        return try body()
    }

    private static func message(_ stream: UnsafeMutablePointer<z_stream>) -> String? {
        stream.pointee.msg.map { String(cString: $0) }
    }

    private static func failure(
        _ status: Int32,
        _ stream: UnsafeMutablePointer<z_stream>,
        operation: String
    )
        -> CompressionError
    {
        .zlib(operation: operation, code: status, message: message(stream) ?? "zlib error")
    }
}
