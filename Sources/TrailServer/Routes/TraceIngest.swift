import NIOCore
import TrailJSON

/// A checked `POST /v1/traces/` body (`tuor/trace-ingest-request` plus the documented per-field limits).
struct TraceIngest: Sendable {
    var projectID: String
    var modelInput: JSONText
    var modelOutput: JSONText
    var traceConfig: JSONText?
    var promptVersionID: String?

    /// The documented per-field size cap, "5 MB", read as 5,000,000 bytes of the field's compact JSON:
    /// the stricter of the two readings, so a client the emulator accepts is accepted by Tuor either way.
    static let fieldByteLimit = 5_000_000
    /// The documented nesting cap: the field's own object is level 1, each nested container adds one.
    static let depthLimit = 10
    /// The payload fields the limits apply to.
    static let payloadFields = ["model_input", "model_output", "trace_config"]

    /// Parses and checks a request body.
    ///
    /// - Parameter body: the raw body.
    /// - Returns: the request, or FastAPI-style issues for a `422`.
    static func parse(_ body: ByteBuffer) -> Result<TraceIngest, IssueList> {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body.readableBytesView)
        } catch {
            return .failure(IssueList([.init(loc: ["body"], msg: "JSON decode error: \(error)", type: "json_invalid")]))
        }
        guard let object = value.objectValue else {
            return .failure(IssueList([.init(loc: ["body"], msg: "Input should be an object", type: "model_type")]))
        }
        var issues: [ErrorBody.ValidationIssue] = []
        let projectID = object["project_id"]?.stringValue
        switch object["project_id"] {
        case nil:
            issues.append(.init(loc: ["body", "project_id"], msg: "Field required", type: "missing"))
        case .string(let id) where id.hasPrefix("proj_"):
            break
        case .string:
            issues.append(
                .init(
                    loc: ["body", "project_id"],
                    msg: "String should start with 'proj_'",
                    type: "string_pattern_mismatch"
                )
            )
        default:
            issues.append(
                .init(loc: ["body", "project_id"], msg: "Input should be a valid string", type: "string_type")
            )
        }
        var texts: [String: JSONText] = [:]
        for field in payloadFields {
            guard let fieldValue = object[field] else {
                if field != "trace_config" {
                    issues.append(.init(loc: ["body", .key(field)], msg: "Field required", type: "missing"))
                }
                continue
            }
            guard fieldValue.objectValue != nil else {
                issues.append(
                    .init(loc: ["body", .key(field)], msg: "Input should be a valid dictionary", type: "dict_type")
                )
                continue
            }
            if let (path, depth) = deepest(fieldValue, level: 1, path: []), depth > depthLimit {
                issues.append(
                    .init(
                        loc: ["body", .key(field)] + path,
                        msg: "Nesting depth exceeds \(depthLimit) levels",
                        type: "too_deep"
                    )
                )
                continue
            }
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
        var promptVersionID: String?
        if let config = object["trace_config"]?.objectValue {
            for key in ["model", "internal_run_id", "prompt_version_id"] {
                guard let member = config[key] else { continue }
                guard let string = member.stringValue else {
                    issues.append(
                        .init(
                            loc: ["body", "trace_config", .key(key)],
                            msg: "Input should be a valid string",
                            type: "string_type"
                        )
                    )
                    continue
                }
                if key == "prompt_version_id" {
                    if string.isEmpty {
                        issues.append(
                            .init(
                                loc: ["body", "trace_config", "prompt_version_id"],
                                msg: "String should have at least 1 character",
                                type: "string_too_short"
                            )
                        )
                    }
                    promptVersionID = string
                }
            }
        }
        guard issues.isEmpty, let projectID, let input = texts["model_input"], let output = texts["model_output"] else {
            return .failure(IssueList(issues))
        }
        return .success(
            TraceIngest(
                projectID: projectID,
                modelInput: input,
                modelOutput: output,
                traceConfig: texts["trace_config"],
                promptVersionID: promptVersionID
            )
        )
    }

    /// The path to the first container nested deeper than the limit, and its level; `nil` if within.
    private static func deepest(
        _ value: JSONValue,
        level: Int,
        path: [ErrorBody.LocationPart]
    ) -> (
        [ErrorBody.LocationPart], Int
    )? {
        if level > depthLimit { return (path, level) }
        switch value {
        case .object(let object):
            for (key, member) in object where member.isContainer {
                if let found = deepest(member, level: level + 1, path: path + [.key(key)]) { return found }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() where element.isContainer {
                if let found = deepest(element, level: level + 1, path: path + [.index(index)]) { return found }
            }
        default:
            break
        }
        return nil
    }
}

extension JSONValue {
    fileprivate var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }
}
