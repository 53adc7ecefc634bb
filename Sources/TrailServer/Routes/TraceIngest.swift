import NIOCore
import TrailJSON
import TrailSchema

/// A checked `POST /v1/traces/` body (`tuor/trace-ingest-request` plus the documented per-field size limit).
struct TraceIngest: Sendable {
    var projectID: String
    var modelInput: JSONText
    var modelOutput: JSONText
    var traceConfig: JSONText?
    var promptVersionID: String?

    /// The documented per-field size cap, "5 MB", read as 5,000,000 bytes of the field's compact JSON:
    /// the stricter of the two readings, so a client the emulator accepts is accepted by Tuor either way.
    /// JSON Schema cannot measure a value's serialized size, so this is the one rule checked here.
    static let fieldByteLimit = 5_000_000
    /// The documented nesting cap, enforced by the schema's `depth1`…`depth10` chain: the field's own object
    /// is level 1, each nested container adds one.
    static let depthLimit = 10
    /// The payload fields the limits apply to.
    static let payloadFields = ["model_input", "model_output", "trace_config"]

    /// Parses and checks a request body.
    ///
    /// - Parameters:
    ///   - body: the raw body.
    ///   - schema: the compiled `tuor/trace-ingest-request` schema.
    /// - Returns: the request, or FastAPI-style issues for a `422`.
    static func parse(_ body: ByteBuffer, schema: RequestSchema) -> Result<TraceIngest, IssueList> {
        let value: JSONValue
        var issues: [ErrorBody.ValidationIssue] = []
        switch schema.check(body) {
        case .success(let checked):
            value = checked
        case .failure(.malformed(let message)):
            return .failure(IssueList(ErrorBody.issues(for: .malformed(message))))
        case .failure(.invalid(let checked, let errors)):
            // Still measure the fields, so one answer names every problem.
            value = checked
            issues = ErrorBody.issues(for: .invalid(checked, errors), wording: depthWording)
        }
        let object = value.objectValue ?? [:]
        var texts: [String: JSONText] = [:]
        for field in payloadFields {
            guard let fieldValue = object[field], fieldValue.objectValue != nil else { continue }
            let text = fieldValue.serializedString()
            if text.utf8.count > fieldByteLimit {
                issues.append(
                    .init(
                        loc: ["body", .key(field)],
                        msg: "Field exceeds 5 MB (\(text.utf8.count) bytes of JSON; the limit is \(fieldByteLimit))",
                        type: "too_large"
                    )
                )
                continue
            }
            texts[field] = JSONText(unchecked: text)
        }
        guard issues.isEmpty, let projectID = object["project_id"]?.stringValue, let input = texts["model_input"],
            let output = texts["model_output"]
        else {
            return .failure(IssueList(issues))
        }
        return .success(
            TraceIngest(
                projectID: projectID,
                modelInput: input,
                modelOutput: output,
                traceConfig: texts["trace_config"],
                promptVersionID: object["trace_config"]?.objectValue?["prompt_version_id"]?.stringValue
            )
        )
    }

    /// The depth chain's failure, reworded: the schema says "must not match `not`", the issue says why.
    private static func depthWording(_ error: SchemaViolation) -> ErrorBody.Wording? {
        guard error.keyword == "not", error.absoluteKeywordLocation.hasSuffix("#/$defs/beyondMaxDepth/not") else {
            return nil
        }
        return ("too_deep", "Nesting depth exceeds \(depthLimit) levels")
    }
}
