import Crypto
public import TrailJSON
public import TrailModel

/// What the archive needs to know about one prompt version.
public struct PromptVersionFacts: Sendable, Hashable {
    /// The owning project.
    public var projectID: String
    /// The version's id.
    public var promptVersionID: String
    /// The version number.
    public var version: Int64
    /// The parent version's id.
    public var parentID: String?
    /// `content_sha256`, checked against the content.
    public var contentSHA256: String
    /// `created_at`.
    public var createdAt: String
    /// `created_by`, when the upstream names an author.
    public var createdBy: String? = nil
    /// `origin` (`manual`, `refinement`, …).
    public var origin: String? = nil
    /// `rationale`, the author's reason for the change.
    public var rationale: String? = nil
    /// The content as text: a string content as it is, message arrays as indented JSON.
    public var contentText: String = ""
    /// The model settings that are set (`model`, `provider`, `temperature`, `top_p`, `max_output_tokens`),
    /// as `name=value` in that order.
    public var settings: [String] = []

    /// Creates the facts of a prompt version.
    public init(
        projectID: String,
        promptVersionID: String,
        version: Int64,
        parentID: String?,
        contentSHA256: String,
        createdAt: String,
        createdBy: String? = nil,
        origin: String? = nil,
        rationale: String? = nil,
        contentText: String = "",
        settings: [String] = []
    ) {
        self.projectID = projectID
        self.promptVersionID = promptVersionID
        self.version = version
        self.parentID = parentID
        self.contentSHA256 = contentSHA256
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.origin = origin
        self.rationale = rationale
        self.contentText = contentText
        self.settings = settings
    }

    /// What a lineage record copies from this version, for ``TrailModel/LineageResolver``.
    public var reference: PromptVersionReference {
        PromptVersionReference(
            projectID: projectID,
            promptVersionID: promptVersionID,
            version: version,
            contentSHA256: contentSHA256
        )
    }
}

/// What the archive needs to know about one trace.
public struct TraceFacts: Sendable, Hashable {
    /// The owning project.
    public var projectID: String
    /// The trace's id.
    public var traceID: String
    /// `created_at`.
    public var createdAt: String
    /// The prompt version the trace names.
    public var promptVersionID: String?
    /// `output_sha256`, checked against `model_output`.
    public var outputSHA256: String
    /// The review status (`pending`, `approved`, `corrected`, `rejected`), or `nil` when there is none.
    public var reviewStatus: String? = nil

    /// Creates the facts of a trace.
    public init(
        projectID: String,
        traceID: String,
        createdAt: String,
        promptVersionID: String?,
        outputSHA256: String,
        reviewStatus: String? = nil
    ) {
        self.projectID = projectID
        self.traceID = traceID
        self.createdAt = createdAt
        self.promptVersionID = promptVersionID
        self.outputSHA256 = outputSHA256
        self.reviewStatus = reviewStatus
    }
}

/// Reads the facts of prompt-version and trace records and recomputes their hashes.
public enum RecordInterpreter {
    /// The facts of a prompt version, or the problems that keep it from being archived (beyond the schema's).
    ///
    /// `content_sha256` must be the SHA-256 of the content's UTF-8 bytes (string content) or of its RFC 8785
    /// form (message arrays), and `content_bytes` the length of those bytes.
    ///
    /// - Parameter record: a parsed record.
    /// - Returns: the facts or the problems.
    public static func promptVersion(_ record: JSONValue) -> Result<PromptVersionFacts, Problems> {
        guard let projectID = record["project_id"]?.stringValue,
            let promptVersionID = record["prompt_version_id"]?.stringValue,
            let version = record["version"]?.int64Value, let createdAt = record["created_at"]?.stringValue,
            let declared = record["content_sha256"]?.stringValue, let content = record["content"]
        else {
            return .failure(
                Problems([
                    problem(
                        "",
                        "a prompt version needs project_id, prompt_version_id, version, created_at, content and content_sha256"
                    )
                ])
            )
        }
        let bytes: [UInt8] = content.stringValue.map { Array($0.utf8) } ?? content.canonicalized()
        let actual = sha256(bytes)
        var problems: [RecordIssue] = []
        if actual != declared {
            problems.append(problem("/content_sha256", "is \(declared) but the content hashes to \(actual)"))
        }
        if let size = record["content_bytes"]?.int64Value, size != Int64(bytes.count) {
            problems.append(problem("/content_bytes", "is \(size) but the content has \(bytes.count) bytes"))
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        return .success(
            PromptVersionFacts(
                projectID: projectID,
                promptVersionID: promptVersionID,
                version: version,
                parentID: record["parent_id"]?.stringValue,
                contentSHA256: declared,
                createdAt: createdAt,
                createdBy: record["created_by"]?.stringValue,
                origin: record["origin"]?.stringValue,
                rationale: record["rationale"]?.stringValue,
                contentText: content.stringValue ?? content.serializedString(pretty: true),
                settings: ["model", "provider", "temperature", "top_p", "max_output_tokens"].compactMap { name in
                    guard let value = record[name], value != .null else { return nil }
                    return "\(name)=\(value.stringValue ?? value.serializedString())"
                }
            )
        )
    }

    /// The facts of a trace, or the problems that keep it from being archived (beyond the schema's).
    ///
    /// `output_sha256` must be the SHA-256 of the RFC 8785 form of `model_output`.
    ///
    /// - Parameter record: a parsed record.
    /// - Returns: the facts or the problems.
    public static func trace(_ record: JSONValue) -> Result<TraceFacts, Problems> {
        trace(string: { record[$0]?.stringValue }) { declared in
            guard let output = record["model_output"] else { return .missing }
            let actual = outputSHA256(output)
            return actual == declared ? .matches : .differs(actual)
        }
    }

    /// The facts of a trace parsed into a tape; the same result as ``trace(_:)`` on the value the tape holds.
    ///
    /// - Parameter record: a tape holding a record.
    /// - Returns: the facts or the problems.
    public static func trace(_ record: JSONTape) -> Result<TraceFacts, Problems> {
        trace(string: { name in record.member(name).flatMap { record.string(at: $0) } }) { declared in
            guard let output = record.member("model_output") else { return .missing }
            // The digest is compared with the declared text; its own text is made only when they differ.
            let digest = SHA256.hash(data: record.canonicalized(at: output))
            let same = digest.withUnsafeBytes { Hex.matches($0, declared) }
            return same ? .matches : .differs(Hex.string(digest))
        }
    }

    /// What ``trace(_:)-(JSONTape)`` reads of a record: these members whole, every other member by its type.
    static let traceMembers = JSONProjection.members(
        Dictionary(
            uniqueKeysWithValues: [
                "project_id", "trace_id", "created_at", "output_sha256", "model_output", "prompt_version_id", "status",
            ].map { ($0, JSONProjection.whole) }
        ),
        others: .typeOnly
    )

    /// The projection to parse a line of `kind` with before `validator` checks it on the tape and its facts
    /// are read there: for a trace, what the schema looks at and what ``trace(_:)-(JSONTape)`` reads (the
    /// upstream payload, kept verbatim, is then only scanned); `nil`, the whole record, for the other kinds,
    /// whose facts are read from the whole value.
    ///
    /// - Parameters:
    ///   - kind: the record kind.
    ///   - validator: the record validator, if records are checked against schemas.
    /// - Returns: the projection, or `nil` for the whole record.
    static func tapeProjection(for kind: RecordKind, validator: (any ArchiveRecordValidator)?) -> TapeProjection? {
        guard kind == .trace, let validator else { return nil }
        let projection = validator.projection(schemaID: kind.schemaID).union(traceMembers)
        return projection.isWhole ? nil : TapeProjection(projection)
    }

    /// How a record's `model_output` hashes against its declared `output_sha256`.
    private enum OutputCheck {
        /// There is no `model_output`.
        case missing
        case matches
        /// It hashes to this other digest.
        case differs(String)
    }

    /// The checks of ``trace(_:)`` over a record's top-level strings and the hash of its `model_output`, which
    /// `output` compares with the declared digest.
    private static func trace(
        string: (String) -> String?,
        output: (_ declared: String) -> OutputCheck
    ) -> Result<TraceFacts, Problems> {
        let missing = Problems(
            [problem("", "a trace needs project_id, trace_id, created_at, model_output and output_sha256")]
        )
        guard let projectID = string("project_id"), let traceID = string("trace_id"),
            let createdAt = string("created_at"), let declared = string("output_sha256")
        else { return .failure(missing) }
        switch output(declared) {
        case .missing:
            return .failure(missing)
        case .differs(let actual):
            return .failure(
                Problems([problem("/output_sha256", "is \(declared) but model_output hashes to \(actual)")])
            )
        case .matches:
            break
        }
        return .success(
            TraceFacts(
                projectID: projectID,
                traceID: traceID,
                createdAt: createdAt,
                promptVersionID: string("prompt_version_id"),
                outputSHA256: declared,
                reviewStatus: string("status")
            )
        )
    }

    /// SHA-256 (lowercase hex) of the RFC 8785 canonical form of a model output.
    ///
    /// - Parameter output: the `model_output` value.
    /// - Returns: the hex digest.
    public static func outputSHA256(_ output: JSONValue) -> String {
        sha256(output.canonicalized())
    }

    /// A list of problems, as an error value for `Result`.
    public struct Problems: Error, Sendable, Hashable {
        /// The problems.
        public var problems: [RecordIssue]

        /// Wraps problems.
        ///
        /// - Parameter problems: at least one problem.
        public init(_ problems: [RecordIssue]) {
            self.problems = problems
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: bytes))
    }

    static func problem(_ location: String, _ message: String) -> RecordIssue {
        RecordIssue(instanceLocation: location, keywordLocation: "", message: message)
    }
}
