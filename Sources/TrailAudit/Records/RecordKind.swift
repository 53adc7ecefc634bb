/// The kinds of PromptTrail records an archive holds, with the schema each one follows.
public enum RecordKind: String, Sendable, CaseIterable {
    case promptVersion = "prompt-version"
    case trace
    case lineage
    case quarantine
    case workspace
    case state
    /// A line of the activation history (format version 3 on).
    case activation

    /// The `$id` of the record's schema.
    public var schemaID: String { "https://schemas.prompttrail.dev/prompttrail/\(rawValue)/v1.json" }

    /// The kind of record a bag payload path holds, or `nil` for files that are not PromptTrail records.
    ///
    /// - Parameter path: a bag-relative path.
    /// - Returns: the kind.
    public static func of(payloadPath path: String) -> RecordKind? {
        if path == BagLayout.lineage { return .lineage }
        if path == BagLayout.workspace { return .workspace }
        if path == BagLayout.state { return .state }
        guard path.hasSuffix(".jsonl") else { return nil }
        if path.hasPrefix(BagLayout.promptsDirectory) { return .promptVersion }
        if path.hasPrefix(BagLayout.tracesDirectory) { return .trace }
        if path.hasPrefix(BagLayout.quarantineDirectory) { return .quarantine }
        if path.hasPrefix(BagLayout.activationsDirectory) { return .activation }
        return nil
    }

    /// The kinds whose schema an archive of `formatVersion` must carry.
    ///
    /// - Parameter formatVersion: the archive's declared format version.
    /// - Returns: the kinds.
    public static func required(formatVersion: Int) -> [RecordKind] {
        allCases.filter { $0 != .activation || formatVersion >= 3 }
    }
}
