internal import TrailJSON
public import TrailModel

/// `activations/<project_id>.jsonl`: which version of each prompt the upstream called active or current,
/// each time that changed, in observation order (docs/workspace-format.md, "Activations").
///
/// No platform keeps this history; it answers "which version was live on date X". A line is appended only
/// when a prompt's state (its active version, slug or metadata) differs from its last line, so a pull that
/// sees nothing new appends nothing; `previously_observed_at` on each line bounds when the change happened.
/// Lines are never rewritten: each append copies the held lines and adds the new ones atomically.
public final class ActivationStore {
    /// The project.
    public let project: String
    let path: String
    private var lines = 0
    private var latest: [String: PromptActivation] = [:]
    private var order: [String] = []
    private var history: [PromptActivation] = []

    /// Opens the store and reads the held lines.
    ///
    /// - Parameters:
    ///   - workspace: the workspace root.
    ///   - project: the project id.
    /// - Throws: ``WorkspaceError``.
    public init(workspace: String, project: String) throws {
        self.project = project
        path = workspace + "/activations/" + project + ".jsonl"
        guard let bytes = try AtomicFile.read(path) else { return }
        for (index, line) in LineKeys.lines(bytes).enumerated() {
            guard let json = LineKeys.parse(line), let activation = PromptActivation(stored: json) else {
                throw WorkspaceError.corrupt(path: path, message: "line \(index + 1) is not a prompt activation record")
            }
            remember(activation)
            lines += 1
        }
    }

    /// The number of lines held.
    public var count: Int { lines }

    /// The last state held for each prompt, in order of first appearance.
    public var current: [PromptActivation] { order.compactMap { latest[$0] } }

    /// Prompt ids by every Tracia slug they were observed under (a renamed prompt keeps its old slugs; a
    /// slug that moved to another prompt names the newest).
    public var promptIDsByKey: [String: String] {
        var map: [String: String] = [:]
        for activation in history { if let key = activation.promptKey, let id = activation.promptID { map[key] = id } }
        return map
    }

    private func remember(_ activation: PromptActivation) {
        let identity = activation.promptIdentity
        if latest[identity] == nil { order.append(identity) }
        latest[identity] = activation
        history.append(activation)
    }

    /// Records what a pull observed: a line for each prompt whose state changed (or that is new), and a
    /// line with no version for each prompt held but no longer listed.
    ///
    /// - Parameters:
    ///   - observed: the activations the pull read, one per prompt.
    ///   - source: the platform.
    ///   - observedAt: when the pull read them, RFC 3339.
    ///   - previouslyObservedAt: when the previous pull read this project's prompts, if one did.
    /// - Returns: the number of lines appended.
    /// - Throws: ``WorkspaceError``.
    @discardableResult
    public func record(
        _ observed: [PromptActivation],
        source: Source,
        observedAt: String,
        previouslyObservedAt: String?
    ) throws -> Int {
        var changed: [PromptActivation] = []
        var seen = Set<String>()
        for activation in observed where seen.insert(activation.promptIdentity).inserted {
            if let held = latest[activation.promptIdentity], held.isSameState(as: activation) { continue }
            changed.append(activation)
        }
        for identity in order where !seen.contains(identity) {
            guard let held = latest[identity], held.promptVersionID != nil || held.metadata != .null else { continue }
            changed.append(held.gone)
        }
        guard !changed.isEmpty else { return 0 }
        let directory = String(path[..<path.lastIndex(of: "/")!])
        try AtomicFile.makeDirectory(directory)
        try AtomicFile.write(to: path) { output in
            try output.copy(from: path)
            for activation in changed {
                let record = activation.record(
                    source: source,
                    projectID: project,
                    observedAt: observedAt,
                    previouslyObservedAt: previouslyObservedAt
                )
                try output.writeLine(record.serialized())
            }
        }
        for activation in changed { remember(activation) }
        lines += changed.count
        return changed.count
    }
}
