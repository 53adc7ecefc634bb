/// What one write did to the stored records.
public struct WriteCounts: Sendable, Hashable {
    /// Records that were not held before.
    public var new = 0
    /// Held records that changed and were replaced.
    public var updated = 0
    /// Records identical to the held ones (or older than them), left untouched.
    public var unchanged = 0

    /// Creates counts.
    ///
    /// - Parameters:
    ///   - new: new records.
    ///   - updated: replaced records.
    ///   - unchanged: untouched records.
    public init(new: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.new = new
        self.updated = updated
        self.unchanged = unchanged
    }

    /// Adds two counts.
    ///
    /// - Parameters:
    ///   - lhs: counts.
    ///   - rhs: more counts.
    public static func += (lhs: inout WriteCounts, rhs: WriteCounts) {
        lhs.new += rhs.new
        lhs.updated += rhs.updated
        lhs.unchanged += rhs.unchanged
    }
}
