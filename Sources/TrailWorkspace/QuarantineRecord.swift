public import TrailJSON
public import TrailModel

/// One line of a `quarantine/<project_id>/<stream>.jsonl` file (docs/workspace-format.md): a refused
/// record, kept verbatim with why it was refused.
///
/// The pull writes these into the workspace and the archive builder into the archive; both build the
/// line here, so the two cannot drift.
public struct QuarantineRecord: Sendable {
    /// The project the record belongs to.
    public var project: String
    /// `prompts`, `activations` or `traces`.
    public var stream: String
    /// When it was received (pull) or the archive's reference time (archive), RFC 3339.
    public var receivedAt: String
    /// Why it was refused.
    public var issues: [RecordIssue]
    /// The refused record, verbatim.
    public var payload: JSONValue

    /// Creates a quarantine line.
    ///
    /// - Parameters:
    ///   - project: the project id.
    ///   - stream: the stream the record came from.
    ///   - receivedAt: RFC 3339.
    ///   - issues: why it was refused.
    ///   - payload: the record.
    public init(project: String, stream: String, receivedAt: String, issues: [RecordIssue], payload: JSONValue) {
        self.project = project
        self.stream = stream
        self.receivedAt = receivedAt
        self.issues = issues
        self.payload = payload
    }

    /// The record as a JSON object (`record_type` `quarantined`, format version 1).
    public var json: JSONValue {
        .object(
            JSONObject([
                ("record_type", "quarantined"),
                ("format_version", 1),
                ("project_id", .string(project)),
                ("stream", .string(stream)),
                ("received_at", .string(receivedAt)),
                ("errors", .array(issues.map(\.json))),
                ("payload", payload),
            ])
        )
    }

    /// The line's bytes, without the line break.
    public var bytes: [UInt8] { json.serialized() }
}
