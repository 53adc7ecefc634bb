/// Streaming gzip compression (RFC 1952) through zlib.
///
/// Feed chunks with ``update(_:)`` and end with ``finish()``; memory stays bounded by the chunk size.
/// Not `Sendable`: an encoder belongs to one task.
public final class GzipEncoder {
    private let stream: ZlibStream

    /// Creates an encoder.
    ///
    /// - Parameter level: the zlib compression level, 0 (store) to 9 (smallest); 6 is gzip's default.
    /// - Throws: ``CompressionError/initializationFailed(operation:code:)`` when zlib cannot start.
    public init(level: Int = 6) throws {
        stream = try ZlibStream(deflateLevel: Int32(max(0, min(9, level))))
    }

    /// Compresses `bytes`, returning whatever compressed output is ready.
    ///
    /// - Parameter bytes: the next chunk of uncompressed data.
    /// - Returns: compressed bytes (possibly empty: zlib buffers internally).
    /// - Throws: ``CompressionError`` on a zlib failure.
    public func update(_ bytes: some Sequence<UInt8>) throws -> [UInt8] {
        var output: [UInt8] = []
        let input = Array(bytes)
        try input.withUnsafeBytes { (buffer) throws in
            try stream.deflate(buffer, finish: false, into: &output)
        }
        return output
    }

    /// Flushes the rest of the stream and the gzip trailer.
    ///
    /// - Returns: the final compressed bytes.
    /// - Throws: ``CompressionError`` on a zlib failure.
    public func finish() throws -> [UInt8] {
        var output: [UInt8] = []
        try stream.deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, into: &output)
        stream.close()
        return output
    }
}

/// Streaming gzip decompression through zlib; reads concatenated gzip members as one stream.
///
/// Not `Sendable`: a decoder belongs to one task.
public final class GzipDecoder {
    private let stream: ZlibStream
    private let limit: Int
    private var produced = 0

    /// Creates a decoder.
    ///
    /// - Parameter limit: the most decompressed bytes to produce in all (a guard against decompression bombs).
    /// - Throws: ``CompressionError/initializationFailed(operation:code:)`` when zlib cannot start.
    public init(limit: Int = .max) throws {
        stream = try ZlibStream(inflate: ())
        self.limit = limit
    }

    /// Decompresses `bytes`, returning whatever output is ready.
    ///
    /// - Parameter bytes: the next chunk of gzip data.
    /// - Returns: decompressed bytes.
    /// - Throws: ``CompressionError/corruptData(message:)`` for bad data,
    ///   ``CompressionError/limitExceeded(limit:)`` past the limit.
    public func update(_ bytes: some Sequence<UInt8>) throws -> [UInt8] {
        var output: [UInt8] = []
        let input = Array(bytes)
        try input.withUnsafeBytes { (buffer) throws in
            try stream.inflate(buffer, into: &output, limit: limit - produced)
        }
        produced += output.count
        return output
    }

    /// Checks that the input ended on the end of a gzip member.
    ///
    /// - Throws: ``CompressionError/truncated`` when the data stopped mid-stream.
    public func finish() throws {
        defer { stream.close() }
        guard stream.ended else { throw CompressionError.truncated }
    }
}

/// One-shot gzip helpers over ``GzipEncoder`` and ``GzipDecoder``.
public enum Gzip {
    /// Compresses `bytes` into one gzip member.
    ///
    /// - Parameters:
    ///   - bytes: the data to compress.
    ///   - level: zlib level, 0–9.
    /// - Returns: the gzip stream.
    /// - Throws: ``CompressionError`` on a zlib failure.
    public static func compress(_ bytes: some Sequence<UInt8>, level: Int = 6) throws -> [UInt8] {
        let encoder = try GzipEncoder(level: level)
        return try encoder.update(bytes) + encoder.finish()
    }

    /// Decompresses a whole gzip stream.
    ///
    /// - Parameters:
    ///   - bytes: gzip data (one or more members).
    ///   - limit: the most bytes to produce.
    /// - Returns: the decompressed data.
    /// - Throws: ``CompressionError`` for corrupt or truncated data, or past `limit`.
    public static func decompress(_ bytes: some Sequence<UInt8>, limit: Int = .max) throws -> [UInt8] {
        let decoder = try GzipDecoder(limit: limit)
        let output = try decoder.update(bytes)
        try decoder.finish()
        return output
    }
}
