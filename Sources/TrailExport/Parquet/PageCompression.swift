private import TrailCompression

/// The compression applied to each Parquet page.
public enum PageCompression: String, Sendable, Hashable, CaseIterable {
    /// zstd (RFC 8878) through libzstd, Parquet's `ZSTD` codec: the default.
    case zstd
    /// gzip (RFC 1952) through zlib, Parquet's `GZIP` codec.
    case gzip
    /// No compression.
    case none

    var codec: Parquet.Codec {
        switch self {
        case .none: .uncompressed
        case .gzip: .gzip
        case .zstd: .zstd
        }
    }

    /// The levels the codec takes, and its default.
    public var levels: (range: ClosedRange<Int>, default: Int) {
        switch self {
        case .zstd: (1...19, 3)
        case .gzip, .none: (1...9, 6)
        }
    }
}

/// Compresses the pages of one Parquet file with one codec, reusing its compression context.
/// Not `Sendable`: it belongs to one file writer.
final class PageCompressor {
    let compression: PageCompression
    private let level: Int
    private let zstd: ZstdCompressor?

    /// Creates a compressor.
    ///
    /// - Parameters:
    ///   - compression: the codec.
    ///   - level: its level (clamped to the codec's range).
    /// - Throws: ``ExportError/io(operation:path:message:)`` when the codec cannot start.
    init(_ compression: PageCompression, level: Int) throws {
        self.compression = compression
        self.level = min(max(level, compression.levels.range.lowerBound), compression.levels.range.upperBound)
        do {
            zstd = compression == .zstd ? try ZstdCompressor(level: self.level) : nil
        } catch {
            throw ExportError.io(operation: "start compressing pages", path: "zstd", message: "\(error)")
        }
    }

    /// Compresses one page.
    ///
    /// - Parameter page: the uncompressed page body.
    /// - Returns: the bytes stored in the file.
    /// - Throws: ``ExportError/io(operation:path:message:)`` when the codec fails.
    func compress(_ page: [UInt8]) throws -> [UInt8] {
        do {
            switch compression {
            case .none: return page
            case .gzip: return try Gzip.compress(page, level: level)
            case .zstd: return try zstd!.compress(page)
            }
        } catch {
            throw ExportError.io(operation: "compress a page", path: compression.rawValue, message: "\(error)")
        }
    }
}
