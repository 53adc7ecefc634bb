public import TrailJSON

// `update(_:)` and `finish()` of the decoder are the requirements.
extension GzipDecoder: NDJSONDecompressor {}

extension NDJSONDecompression {
    /// gzip (RFC 1952), recognised by `1f 8b` whatever the file is called.
    public static let gzip = NDJSONDecompression(magic: [0x1F, 0x8B]) { try GzipDecoder() }
}
