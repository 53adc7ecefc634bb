private import CZstd

/// Compresses blocks of bytes into zstd frames (RFC 8878) through libzstd, reusing one compression
/// context, so many small blocks (Parquet pages) cost no setup each.
///
/// Each call produces one complete frame with its content size recorded; the bytes depend only on the
/// input and the level. Not `Sendable`: a compressor belongs to one writer.
public final class ZstdCompressor {
    private let context: OpaquePointer
    /// The zstd level, 1 (fastest) to 19 (smallest).
    public let level: Int

    /// Creates a compressor.
    ///
    /// - Parameter level: the zstd level, 1 to 19.
    /// - Throws: ``CompressionError/initializationFailed(operation:code:)`` when libzstd cannot allocate.
    public init(level: Int) throws(CompressionError) {
        guard let context = ZSTD_createCCtx() else {
            throw .initializationFailed(operation: "zstd compression", code: 0)
        }
        self.context = context
        self.level = max(1, min(19, level))
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    /// Compresses `bytes` into one zstd frame.
    ///
    /// - Parameter bytes: the block.
    /// - Returns: the frame.
    /// - Throws: ``CompressionError/zstd(operation:message:)`` when libzstd reports an error.
    public func compress(_ bytes: [UInt8]) throws(CompressionError) -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var status = 0
        let frame = [UInt8](unsafeUninitializedCapacity: max(1, bound)) { output, count in
            status = bytes.withUnsafeBytes { input in
                ZSTD_compressCCtx(context, output.baseAddress, bound, input.baseAddress, input.count, Int32(level))
            }
            count = ZSTD_isError(status) != 0 ? 0 : status
        }
        if ZSTD_isError(status) != 0 {
            throw .zstd(operation: "compress", message: String(cString: ZSTD_getErrorName(status)))
        }
        return frame
    }
}
