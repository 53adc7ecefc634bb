private import TrailCompression

/// The compression applied to each Parquet page.
public enum PageCompression: String, Sendable, Hashable, CaseIterable {
    /// No compression.
    case none
    /// gzip (RFC 1952) through zlib, Parquet's `GZIP` codec.
    case gzip

    var codec: Parquet.Codec {
        switch self {
        case .none: .uncompressed
        case .gzip: .gzip
        }
    }

    /// Compresses one page.
    ///
    /// - Parameters:
    ///   - page: the uncompressed page body.
    ///   - level: the compression level.
    /// - Returns: the bytes stored in the file.
    /// - Throws: ``ExportError/io(operation:path:message:)`` when zlib fails.
    func compress(_ page: [UInt8], level: Int) throws -> [UInt8] {
        switch self {
        case .none:
            return page
        case .gzip:
            do {
                return try Gzip.compress(page, level: level)
            } catch {
                throw ExportError.io(operation: "compress a page", path: "gzip", message: "\(error)")
            }
        }
    }
}
