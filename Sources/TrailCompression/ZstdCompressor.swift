private import CZstd

/// Compresses blocks of bytes into zstd frames (RFC 8878) through libzstd, reusing one compression
/// context, so many small blocks (Parquet pages) cost no setup each.
///
/// Each call produces one complete frame with its content size recorded (and, when asked, a checksum of its
/// content, which `zstd -t` checks); the bytes depend only on the input and the settings. Not `Sendable`: a
/// compressor belongs to one writer (or is handed between threads by a pool that lends it to one at a time).
public final class ZstdCompressor {
    private let context: OpaquePointer
    /// The zstd level, 1 (fastest) to 19 (smallest), or to 22 with `ultra`.
    public let level: Int

    /// Creates a compressor.
    ///
    /// - Parameters:
    ///   - level: the zstd level, 1 to 19 (to 22 with `ultra`).
    ///   - checksum: whether each frame ends with a checksum of its content.
    ///   - ultra: allow levels 20 to 22, as `zstd --ultra` does (they need far more memory).
    /// - Throws: ``CompressionError`` when libzstd cannot allocate or refuses a setting.
    public init(level: Int, checksum: Bool = false, ultra: Bool = false) throws(CompressionError) {
        guard let context = ZSTD_createCCtx() else {
            throw .initializationFailed(operation: "zstd compression", code: 0)
        }
        self.context = context
        self.level = max(1, min(ultra ? 22 : 19, level))
        for (parameter, value) in [
            (ZSTD_c_compressionLevel, Int32(self.level)), (ZSTD_c_checksumFlag, checksum ? 1 : 0),
        ]
        where ZSTD_isError(ZSTD_CCtx_setParameter(context, parameter, value)) != 0 {
            throw .zstd(operation: "set up compression", message: "libzstd refused a parameter")
        }
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
                ZSTD_compress2(context, output.baseAddress, bound, input.baseAddress, input.count)
            }
            count = ZSTD_isError(status) != 0 ? 0 : status
        }
        if ZSTD_isError(status) != 0 {
            throw .zstd(operation: "compress", message: String(cString: ZSTD_getErrorName(status)))
        }
        return frame
    }
}
