/// Bounds that a safe reader enforces while it streams an archive, so that a crafted archive
/// (a decompression bomb, millions of tiny entries) fails early instead of exhausting the machine.
public struct ArchiveLimits: Sendable, Equatable {
    /// The most decompressed bytes, summed over every entry's data (64 GiB by default).
    public var maxTotalBytes: Int64
    /// The most entries, directories included (100,000 by default).
    public var maxEntries: Int

    /// 64 GiB and 100,000 entries.
    public static let `default` = ArchiveLimits(maxTotalBytes: 64 << 30, maxEntries: 100_000)

    /// Creates limits.
    ///
    /// - Parameters:
    ///   - maxTotalBytes: the most decompressed bytes over all entries.
    ///   - maxEntries: the most entries.
    public init(maxTotalBytes: Int64, maxEntries: Int) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
    }
}
