import TrailJSON
import TrailModel

/// A workspace trace line reduced to what the `traces` and `lineage` tables need.
struct TraceRecord {
    var row: [ExportValue]
    var projectID: String
    var traceID: String
    var createdAt: Int64
    var promptVersionID: String?
    var outputSHA256: String

    /// The members read, in the order of ``TableDefinition/traces`` plus the record header.
    static let members = [
        "project_id", "trace_id", "source", "status", "created_at", "updated_at", "model", "prompt_version_id",
        "prompt_version", "internal_run_id", "tags", "model_input", "model_output", "corrected_output",
        "final_output", "output_sha256", "record_type", "format_version",
    ]
    static let scanner = JSONMemberScanner(names: members)

    /// Decodes one line of a `traces/<project_id>/<day>.jsonl` file.
    init(line: UnsafeBufferPointer<UInt8>, validatesJSON: Bool) throws(ScanFailure) {
        let fields = RecordFields(
            bytes: line,
            ranges: try Self.scanner.locate(line),
            names: Self.members,
            validatesJSON: validatesJSON
        )
        guard try fields.string(16) == "trace" else { throw ScanFailure("record_type is not \"trace\"") }
        guard try fields.integer(17) == 1 else { throw ScanFailure("format_version is not 1") }
        projectID = try fields.requiredString(0)
        traceID = try fields.requiredString(1)
        guard let created = try fields.timestamp(4) else { throw ScanFailure("created_at is null") }
        createdAt = created
        promptVersionID = try fields.string(7)
        outputSHA256 = try fields.requiredString(15)
        row = [
            .string(projectID),
            .string(traceID),
            .string(try fields.requiredString(2)),
            optional(try fields.string(3)),
            .timestamp(createdAt),
            (try fields.timestamp(5)).map(ExportValue.timestamp) ?? .null,
            optional(try fields.string(6)),
            optional(promptVersionID),
            (try fields.integer(8)).map(ExportValue.integer) ?? .null,
            optional(try fields.string(9)),
            .stringList(try fields.stringList(10)),
            optional(try fields.json(11)),
            optional(try fields.json(12)),
            optional(try fields.json(13)),
            optional(try fields.json(14)),
            .string(outputSHA256),
        ]
    }

    /// The `lineage` row of this trace.
    func lineageRow(resolution: LineageResolution, file: String, line: Int) -> [ExportValue] {
        [
            .string(projectID),
            .string(traceID),
            .timestamp(createdAt),
            optional(resolution.promptVersionID),
            resolution.version.map(ExportValue.integer) ?? .null,
            optional(resolution.contentSHA256),
            .string(outputSHA256),
            .string(resolution.status.rawValue),
            .string(file),
            .integer(Int64(line)),
        ]
    }
}

/// A workspace prompt-version line reduced to the `prompt_versions` row.
struct PromptVersionRecord {
    var row: [ExportValue]
    var reference: PromptVersionReference

    static let members = [
        "project_id", "prompt_version_id", "version", "source", "prompt_key", "origin", "is_active", "parent_id",
        "created_at", "created_by", "rationale", "content", "content_sha256", "content_bytes", "provider", "model",
        "temperature", "top_p", "max_output_tokens", "record_type", "format_version",
    ]
    static let scanner = JSONMemberScanner(names: members)

    /// Decodes one line of a `prompts/<project_id>.jsonl` file.
    init(line: UnsafeBufferPointer<UInt8>) throws(ScanFailure) {
        let fields = RecordFields(
            bytes: line,
            ranges: try Self.scanner.locate(line),
            names: Self.members,
            validatesJSON: true
        )
        guard try fields.string(19) == "prompt_version" else {
            throw ScanFailure("record_type is not \"prompt_version\"")
        }
        guard try fields.integer(20) == 1 else { throw ScanFailure("format_version is not 1") }
        let projectID = try fields.requiredString(0)
        let versionID = try fields.requiredString(1)
        guard let version = try fields.integer(2) else { throw ScanFailure("version is null") }
        guard let created = try fields.timestamp(8) else { throw ScanFailure("created_at is null") }
        let contentSHA256 = try fields.requiredString(12)
        guard let contentBytes = try fields.integer(13) else { throw ScanFailure("content_bytes is null") }
        // Tuor content is a string; Tracia's message array is kept as its JSON text.
        let content = try fields.firstByte(11) == 0x22 ? try fields.string(11) : try fields.json(11)
        guard let content else { throw ScanFailure("content is null") }
        reference = PromptVersionReference(
            projectID: projectID,
            promptVersionID: versionID,
            version: version,
            contentSHA256: contentSHA256
        )
        row = [
            .string(projectID),
            .string(versionID),
            .integer(version),
            .string(try fields.requiredString(3)),
            optional(try fields.string(4)),
            optional(try fields.string(5)),
            .boolean(try fields.boolean(6)),
            optional(try fields.string(7)),
            .timestamp(created),
            optional(try fields.string(9)),
            optional(try fields.string(10)),
            .string(content),
            .string(contentSHA256),
            .integer(contentBytes),
            optional(try fields.string(14)),
            optional(try fields.string(15)),
            (try fields.double(16)).map(ExportValue.double) ?? .null,
            (try fields.double(17)).map(ExportValue.double) ?? .null,
            (try fields.integer(18)).map(ExportValue.integer) ?? .null,
        ]
    }
}

private func optional(_ text: String?) -> ExportValue {
    text.map(ExportValue.string) ?? .null
}
