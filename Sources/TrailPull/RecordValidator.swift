public import TrailJSON
public import TrailModel

/// Checks a JSON value against a bundled schema by name (`tuor/export-line`, `prompttrail/trace`, …).
///
/// The seam through which the pull validates every record on the way in. The bundled-schema validator
/// implements it (``BundledSchemaValidator``); ``StructuralValidator`` is the fallback.
public protocol RecordValidator: Sendable {
    /// The errors of `instance` against the schema `schema`; empty when valid.
    ///
    /// - Parameters:
    ///   - instance: the value.
    ///   - schema: the schema's name, `<group>/<name>`.
    /// - Returns: the issues, with JSON Pointers.
    func validate(_ instance: JSONValue, schema: String) -> [RecordIssue]
}

/// Structural checks of the members a pull relies on: types and required members of upstream objects
/// and of the records made from them. Less than the bundled schemas check, never more.
public struct StructuralValidator: RecordValidator {
    /// Creates the validator.
    public init() {}

    /// The structural errors of `instance`.
    ///
    /// - Parameters:
    ///   - instance: the value.
    ///   - schema: the schema's name.
    /// - Returns: the issues.
    public func validate(_ instance: JSONValue, schema: String) -> [RecordIssue] {
        guard let object = instance.objectValue else {
            return [RecordIssue(instanceLocation: "", keywordLocation: "/type", message: "expected an object")]
        }
        var issues: [RecordIssue] = []
        func require(_ key: String, _ check: (JSONValue) -> Bool, _ what: String) {
            guard let value = object[key] else {
                issues.append(
                    RecordIssue(instanceLocation: "", keywordLocation: "/required", message: "\(key) is required")
                )
                return
            }
            if !check(value) {
                issues.append(
                    RecordIssue(
                        instanceLocation: "/" + JSONPointer.escape(key),
                        keywordLocation: "/properties/\(key)",
                        message: "expected \(what)"
                    )
                )
            }
        }
        let string: (JSONValue) -> Bool = { !($0.stringValue ?? "").isEmpty }
        let date: (JSONValue) -> Bool = { $0.stringValue.flatMap(Timestamp.init) != nil }
        let optionalDate: (JSONValue) -> Bool = { $0.isNull || date($0) }
        let objectValue: (JSONValue) -> Bool = { $0.objectValue != nil }
        switch schema {
        case "tuor/trace", "tuor/export-line":
            let statuses: Set<String> =
                schema == "tuor/trace"
                ? ["pending", "approved", "rejected", "corrected"] : ["approved", "rejected", "corrected"]
            require("id", string, "a non-empty string")
            require("project_id", string, "a non-empty string")
            require("status", { statuses.contains($0.stringValue ?? "") }, "one of \(statuses.sorted())")
            require("model_input", objectValue, "an object")
            require("model_output", objectValue, "an object")
            require("created_at", date, "a date-time")
            if schema == "tuor/export-line" { require("updated_at", date, "a date-time") }
        case "tuor/prompt-version":
            require("id", string, "a non-empty string")
            require("project_id", string, "a non-empty string")
            require("version", { ($0.int64Value ?? 0) >= 1 }, "an integer >= 1")
            require("content", { $0.stringValue != nil }, "a string")
            require("is_active", { $0.boolValue != nil }, "a boolean")
            require("created_at", date, "a date-time")
        case "tracia/span":
            require("spanId", string, "a non-empty string")
            require("status", { ["SUCCESS", "ERROR"].contains($0.stringValue ?? "") }, "SUCCESS or ERROR")
            require("createdAt", date, "a date-time")
            require("input", objectValue, "an object")
        case "tracia/prompt-version":
            require("version", { ($0.int64Value ?? 0) >= 1 }, "an integer >= 1")
            require("messages", { $0.arrayValue != nil }, "an array")
            require("createdAt", date, "a date-time")
        case "tracia/prompt":
            require("id", string, "a non-empty string")
            require("slug", string, "a non-empty string")
            require("currentVersion", { ($0.int64Value ?? 0) >= 1 }, "an integer >= 1")
        case "prompttrail/trace":
            require("trace_id", string, "a non-empty string")
            require("created_at", date, "a date-time")
            require("updated_at", optionalDate, "a date-time or null")
            require("output_sha256", { ($0.stringValue ?? "").utf8.count == 64 }, "a SHA-256 in hex")
            require("source_payload", objectValue, "an object")
        case "prompttrail/prompt-version":
            require("prompt_version_id", string, "a non-empty string")
            require("version", { ($0.int64Value ?? 0) >= 1 }, "an integer >= 1")
            require("created_at", date, "a date-time")
            require("content_sha256", { ($0.stringValue ?? "").utf8.count == 64 }, "a SHA-256 in hex")
            require("source_payload", objectValue, "an object")
        default:
            break
        }
        return issues
    }
}
