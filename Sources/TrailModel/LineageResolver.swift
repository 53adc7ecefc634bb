/// How a trace's `prompt_version_id` resolves against the prompt versions of its project.
///
/// The rules are those of `docs/workspace-format.md` ("Lineage") and the `prompttrail/lineage` schema.
public enum LinkStatus: String, Sendable, Hashable, CaseIterable {
    /// The trace names a version that is present.
    case linked
    /// The trace names no version.
    case unlinked
    /// The trace names a version that is not present although PromptTrail observed it (quarantined, or
    /// left out of this archive), or a version of a project with no observation history to tell.
    case dangling
    /// The trace names a version that no pull ever observed: the project's activation history and prompt
    /// versions never name it (Tracia serves only a prompt's current version, so one made and replaced
    /// between two pulls is never seen).
    case neverObserved = "never_observed"
}

/// The prompt-version facts that a lineage record copies: identity, number and content hash.
public struct PromptVersionReference: Sendable, Hashable {
    /// The project that owns the version.
    public var projectID: String
    /// The version's id (`prompt_version_id`).
    public var promptVersionID: String
    /// The version number.
    public var version: Int64
    /// The version's `content_sha256`.
    public var contentSHA256: String

    /// Creates a reference.
    ///
    /// - Parameters:
    ///   - projectID: the owning project.
    ///   - promptVersionID: the version's id.
    ///   - version: the version number.
    ///   - contentSHA256: the version's content hash.
    public init(projectID: String, promptVersionID: String, version: Int64, contentSHA256: String) {
        self.projectID = projectID
        self.promptVersionID = promptVersionID
        self.version = version
        self.contentSHA256 = contentSHA256
    }
}

/// The lineage of one trace: its link status and, when linked, the version's number and content hash.
public struct LineageResolution: Sendable, Hashable {
    /// How the trace's prompt version id resolved.
    public var status: LinkStatus
    /// The id the trace names (`nil` when unlinked).
    public var promptVersionID: String?
    /// The linked version's number (`nil` unless linked).
    public var version: Int64?
    /// The linked version's `content_sha256` (`nil` unless linked).
    public var contentSHA256: String?

    /// Creates a resolution.
    ///
    /// - Parameters:
    ///   - status: the link status.
    ///   - promptVersionID: the id named by the trace.
    ///   - version: the linked version's number.
    ///   - contentSHA256: the linked version's content hash.
    public init(status: LinkStatus, promptVersionID: String?, version: Int64?, contentSHA256: String?) {
        self.status = status
        self.promptVersionID = promptVersionID
        self.version = version
        self.contentSHA256 = contentSHA256
    }
}

/// Resolves traces to prompt versions by `(project_id, prompt_version_id)`, as lineage records require.
///
/// Fill it with every prompt version of the projects concerned, then ask ``resolve(projectID:promptVersionID:)``
/// for each trace. The archive's `lineage.jsonl` and the export's `lineage` table both come from it.
public struct LineageResolver: Sendable {
    private struct Key: Hashable {
        var projectID: String
        var promptVersionID: String
    }

    private var versions: [Key: PromptVersionReference] = [:]
    private var observed: Set<Key> = []
    private var observing: Set<String> = []
    /// The last resolutions of versions traces named, found again by comparing the ids rather than hashing
    /// both (traces come a project at a time, naming a few versions each); emptied whenever the resolver
    /// learns of a version or an observation.
    private var recent: [(projectID: String, promptVersionID: String, resolution: LineageResolution)] = []

    /// Creates an empty resolver.
    public init() {}

    /// The number of versions known.
    public var count: Int { versions.count }

    /// Adds a prompt version; a later version with the same project and id replaces the earlier one.
    ///
    /// - Parameter reference: the version.
    public mutating func add(_ reference: PromptVersionReference) {
        versions[Key(projectID: reference.projectID, promptVersionID: reference.promptVersionID)] = reference
        recent.removeAll()
    }

    /// Records that a pull observed `promptVersionID` in `projectID` (an activation line names it), and that
    /// the project has an observation history, so that a version it never names can be told apart.
    ///
    /// - Parameters:
    ///   - projectID: the project.
    ///   - promptVersionID: the version observed, or `nil` for a line that names none.
    public mutating func observe(projectID: String, promptVersionID: String?) {
        observing.insert(projectID)
        if let promptVersionID { observed.insert(Key(projectID: projectID, promptVersionID: promptVersionID)) }
        recent.removeAll()
    }

    /// Resolves the prompt version a trace names.
    ///
    /// - Parameters:
    ///   - projectID: the trace's project (a version of another project never links).
    ///   - promptVersionID: the trace's `prompt_version_id`, or `nil` when it names none.
    /// - Returns: linked (with number and hash), unlinked, dangling, or never observed (a project with an
    ///   observation history that never names the version).
    public mutating func resolve(projectID: String, promptVersionID: String?) -> LineageResolution {
        guard let promptVersionID else {
            return LineageResolution(status: .unlinked, promptVersionID: nil, version: nil, contentSHA256: nil)
        }
        for index in recent.indices
        where recent[index].promptVersionID == promptVersionID && recent[index].projectID == projectID {
            return recent[index].resolution
        }
        let resolution = lookUp(projectID: projectID, promptVersionID: promptVersionID)
        if recent.count == 32 { recent.removeAll(keepingCapacity: true) }
        recent.append((projectID, promptVersionID, resolution))
        return resolution
    }

    /// ``resolve(projectID:promptVersionID:)`` from the tables.
    private func lookUp(projectID: String, promptVersionID: String) -> LineageResolution {
        let key = Key(projectID: projectID, promptVersionID: promptVersionID)
        guard let reference = versions[key] else {
            let never = observing.contains(projectID) && !observed.contains(key)
            return LineageResolution(
                status: never ? .neverObserved : .dangling,
                promptVersionID: promptVersionID,
                version: nil,
                contentSHA256: nil
            )
        }
        return LineageResolution(
            status: .linked,
            promptVersionID: promptVersionID,
            version: reference.version,
            contentSHA256: reference.contentSHA256
        )
    }
}
