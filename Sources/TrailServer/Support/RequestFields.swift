import NIOCore
import TrailJSON

/// Reads the fields of a small request body that has no bundled schema (admin routes, tag attach, run),
/// collecting FastAPI-style issues located by `["body", key, index]`.
///
/// A member that is absent or `null` reads as absent; a member of the wrong type is an issue, and so is a
/// missing required member. Every issue is collected, not only the first.
struct RequestFields {
    private let object: JSONObject
    /// The issues found so far.
    private(set) var issues: [ErrorBody.ValidationIssue] = []

    /// Parses `body` as one JSON object.
    ///
    /// - Parameter body: the raw request body.
    /// - Returns: the reader, or the one issue that says the body is not a JSON object.
    static func parse(_ body: ByteBuffer) -> Result<RequestFields, IssueList> {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body.readableBytesView)
        } catch {
            return .failure(IssueList([.init(loc: ["body"], msg: "Invalid JSON: \(error)", type: "json_invalid")]))
        }
        guard let object = value.objectValue else {
            return .failure(
                IssueList([.init(loc: ["body"], msg: "Input should be a valid dictionary", type: "dict_type")])
            )
        }
        return .success(RequestFields(object: object))
    }

    private init(object: JSONObject) {
        self.object = object
    }

    /// The issues as a failure, or `nil` when every read succeeded.
    var failure: IssueList? { issues.isEmpty ? nil : IssueList(issues) }

    /// An optional string member.
    mutating func string(_ key: String) -> String? {
        read(key, as: "string") { $0.stringValue }
    }

    /// A required string member.
    mutating func requiredString(_ key: String) -> String? {
        required(key) { $0.string(key) }
    }

    /// An optional integer member.
    mutating func int(_ key: String) -> Int? {
        read(key, as: "integer", type: "int_type") { $0.intValue }
    }

    /// A required integer member.
    mutating func requiredInt(_ key: String) -> Int? {
        required(key) { $0.int(key) }
    }

    /// An optional array of strings.
    mutating func strings(_ key: String) -> [String]? {
        guard let elements = read(key, as: "array", type: "list_type", { $0.arrayValue }) else { return nil }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard let string = element.stringValue else {
                issues.append(typeIssue(["body", .key(key), .index(index)], "string"))
                continue
            }
            strings.append(string)
        }
        return strings
    }

    /// An optional object whose values are strings.
    mutating func stringMap(_ key: String) -> [String: String]? {
        guard let members = read(key, as: "dictionary", type: "dict_type", { $0.objectValue }) else { return nil }
        var map: [String: String] = [:]
        for (name, value) in members {
            guard let string = value.stringValue else {
                issues.append(typeIssue(["body", .key(key), .key(name)], "string"))
                continue
            }
            map[name] = string
        }
        return map
    }

    private mutating func read<Value>(
        _ key: String,
        as expected: String,
        type: String? = nil,
        _ extract: (JSONValue) -> Value?
    ) -> Value? {
        guard let value = object[key], !value.isNull else { return nil }
        if let extracted = extract(value) { return extracted }
        issues.append(typeIssue(["body", .key(key)], expected, type: type ?? "\(expected)_type"))
        return nil
    }

    private mutating func required<Value>(_ key: String, _ read: (inout RequestFields) -> Value?) -> Value? {
        let before = issues.count
        let value = read(&self)
        if value == nil, issues.count == before {
            issues.append(.init(loc: ["body", .key(key)], msg: "Field required", type: "missing"))
        }
        return value
    }

    private func typeIssue(
        _ loc: [ErrorBody.LocationPart],
        _ expected: String,
        type: String? = nil
    ) -> ErrorBody.ValidationIssue {
        .init(loc: loc, msg: "Input should be a valid \(expected)", type: type ?? "\(expected)_type")
    }
}

/// A non-empty list of validation issues, usable as a `Result` failure.
struct IssueList: Error {
    var issues: [ErrorBody.ValidationIssue]

    init(_ issues: [ErrorBody.ValidationIssue]) {
        self.issues = issues
    }
}
