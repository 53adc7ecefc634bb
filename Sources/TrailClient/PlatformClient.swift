public import TrailJSON
public import TrailModel

/// An upstream object as received, the schema that describes it, and what normalizing it gave.
public struct Pulled<Record: Sendable>: Sendable {
    /// The upstream object (for an unreadable JSON Lines line, the line as a JSON string).
    public var payload: JSONValue
    /// The upstream schema for `payload` (e.g. `tuor/export-line`), or `nil` when none applies.
    public var schema: String?
    /// The PromptTrail record, or why there is none.
    public var record: Result<Record, RecordRefusal>

    /// Creates a pulled item.
    ///
    /// - Parameters:
    ///   - payload: the upstream object.
    ///   - schema: its schema name.
    ///   - record: the normalized record or the refusal.
    public init(payload: JSONValue, schema: String?, record: Result<Record, RecordRefusal>) {
        self.payload = payload
        self.schema = schema
        self.record = record
    }
}

/// Where a project's trace streams stand: saved in `state.json` after each durable batch.
///
/// A listing is resumed from `listCursor` with the same `listSince` it started with; when it runs to its
/// end, `listSince` moves to the greatest change time it returned. Tuor's export is resumed from
/// `exportSince`, the `updated_at` of the last whole record received.
public struct TraceStreamPosition: Sendable, Hashable {
    /// The lower bound of the current (or next) listing, as sent upstream.
    public var listSince: String?
    /// The cursor of the next page of an unfinished listing.
    public var listCursor: String?
    /// The greatest change time the current listing has returned so far.
    public var listMaxSeen: String?
    /// Tuor: the `updated_at` of the last whole export record.
    public var exportSince: String?

    /// Creates a position.
    ///
    /// - Parameters:
    ///   - listSince: the listing's lower bound.
    ///   - listCursor: the unfinished listing's next cursor.
    ///   - listMaxSeen: the greatest change time listed so far.
    ///   - exportSince: the export's resume point.
    public init(
        listSince: String? = nil,
        listCursor: String? = nil,
        listMaxSeen: String? = nil,
        exportSince: String? = nil
    ) {
        self.listSince = listSince
        self.listCursor = listCursor
        self.listMaxSeen = listMaxSeen
        self.exportSince = exportSince
    }

    static func later(_ a: String?, _ b: String?) -> String? {
        guard let a, let ta = Timestamp(a) else { return b }
        guard let b, let tb = Timestamp(b) else { return a }
        return tb > ta ? b : a
    }
}

/// One step of a trace stream.
public enum TraceEvent: Sendable {
    /// An upstream trace (or an unreadable line) to store or quarantine.
    case item(Pulled<TraceRecord>)
    /// Everything before this event has been delivered; a stream restarted from `position` loses nothing.
    case checkpoint(TraceStreamPosition)
}

/// A hosted platform, as the pull sees it: every prompt version of a project, and its traces as a
/// resumable stream.
public protocol PlatformClient: Sendable {
    /// The platform.
    var source: Source { get }

    /// Every prompt version of `project` that the upstream serves (Tuor: `active` and the whole `history`;
    /// Tracia: the current version of every prompt), and which version is active or current per prompt.
    ///
    /// - Parameter project: the project id.
    /// - Returns: the versions, normalized or refused, and the activations observed.
    /// - Throws: ``ClientError`` or `CancellationError`.
    func prompts(project: String) async throws -> PromptListing

    /// Streams the traces of `project` changed since `position`, handing each to `sink` in order and a
    /// checkpoint after each whole page or record. `sink` runs before the next request, so a slow consumer
    /// slows the stream instead of filling memory.
    ///
    /// - Parameters:
    ///   - project: the project id.
    ///   - position: where the last pull stopped.
    ///   - promptIDs: prompt ids by every key (Tracia slug) they were observed under, renamed prompts'
    ///     old slugs included, for linking traces to versions.
    ///   - sink: receives items and checkpoints.
    /// - Throws: ``ClientError``, `CancellationError`, or what `sink` throws.
    func traces(
        project: String,
        from position: TraceStreamPosition,
        promptIDs: [String: String],
        sink: (TraceEvent) async throws -> Void
    ) async throws
}

extension PlatformClient {
    /// The versions of ``prompts(project:)`` alone.
    ///
    /// - Parameter project: the project id.
    /// - Returns: the versions, normalized or refused.
    /// - Throws: ``ClientError`` or `CancellationError`.
    public func promptVersions(project: String) async throws -> [Pulled<PromptVersionRecord>] {
        try await prompts(project: project).versions
    }
}

/// What one read of a project's prompts gave: the versions, and the activations observed.
public struct PromptListing: Sendable {
    /// The versions, normalized or refused.
    public var versions: [Pulled<PromptVersionRecord>]
    /// Which version is active (Tuor) or current (Tracia), per prompt.
    public var activations: [PromptActivation]

    /// Creates a listing.
    ///
    /// - Parameters:
    ///   - versions: the versions.
    ///   - activations: the activations.
    public init(versions: [Pulled<PromptVersionRecord>], activations: [PromptActivation]) {
        self.versions = versions
        self.activations = activations
    }
}
