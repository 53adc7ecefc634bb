/// A stream decoder an ``NDJSONReader`` runs compressed input through: it is fed the compressed bytes in
/// order and returns what they decode to.
public protocol NDJSONDecompressor: AnyObject {
    /// Decodes the next compressed bytes.
    ///
    /// - Parameter bytes: compressed input, in order.
    /// - Returns: the decoded bytes they complete (possibly none).
    /// - Throws: when the input is corrupt or over a limit.
    func update(_ bytes: ArraySlice<UInt8>) throws -> [UInt8]

    /// Checks that the compressed stream ended where the input did.
    ///
    /// - Throws: when the input is truncated.
    func finish() throws
}

/// A compressed form an ``NDJSONReader`` recognises by the first bytes of its input, and how to decode it.
///
/// TrailJSON decodes nothing itself; a module above it supplies the forms (TrailCompression's `.gzip`),
/// and a caller passes the ones its input may take. Without one, input is read as it is.
public struct NDJSONDecompression: Sendable {
    /// The bytes the compressed input starts with.
    public var magic: [UInt8]
    /// Creates a fresh decoder for one stream.
    public var makeDecompressor: @Sendable () throws -> any NDJSONDecompressor

    /// Describes a compressed form.
    ///
    /// - Parameters:
    ///   - magic: the bytes the compressed input starts with.
    ///   - makeDecompressor: creates a decoder for one stream.
    public init(magic: [UInt8], makeDecompressor: @escaping @Sendable () throws -> any NDJSONDecompressor) {
        self.magic = magic
        self.makeDecompressor = makeDecompressor
    }
}
