public import TrailJSON

/// One reason an instance is invalid, located in both the instance and the schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where in the instance the problem is (`/messages/0/content`; empty for the whole document).
    public var instanceLocation: JSONPointer
    /// The path of keywords followed from the schema root, through any `$ref`, to the failing keyword.
    public var keywordLocation: JSONPointer
    /// The failing keyword's absolute URI, `schema-uri#/json/pointer` (references resolved).
    public var absoluteKeywordLocation: String
    /// The failing keyword (`maxLength`, `required`, …).
    public var keyword: String
    /// What was expected and what was found, in plain words.
    public var message: String
    /// For `anyOf` and `oneOf`: why each alternative failed.
    public var details: [SchemaViolation]

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - instanceLocation: where in the instance.
    ///   - keywordLocation: the keyword path followed.
    ///   - absoluteKeywordLocation: the keyword's absolute URI.
    ///   - keyword: the keyword's name.
    ///   - message: the explanation.
    ///   - details: nested errors for alternatives.
    public init(
        instanceLocation: JSONPointer,
        keywordLocation: JSONPointer,
        absoluteKeywordLocation: String,
        keyword: String,
        message: String,
        details: [SchemaViolation] = []
    ) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.keyword = keyword
        self.message = message
        self.details = details
    }

    /// `/pointer: message` (the root is written `/`).
    public var description: String {
        (instanceLocation.isRoot ? "/" : instanceLocation.description) + ": " + message
    }

    /// The error as an output unit of the specification's "basic" format, with nested `errors` for details.
    public var outputUnit: JSONValue {
        var unit: JSONObject = [
            "keywordLocation": .string(keywordLocation.description),
            "absoluteKeywordLocation": .string(absoluteKeywordLocation),
            "instanceLocation": .string(instanceLocation.description),
            "keyword": .string(keyword),
            "error": .string(message),
        ]
        if !details.isEmpty { unit["errors"] = .array(details.map(\.outputUnit)) }
        return .object(unit)
    }
}

/// The outcome of validating one instance: valid, or the list of reasons it is not.
public struct ValidationResult: Sendable, Hashable {
    /// Whether the instance is valid.
    public var isValid: Bool
    /// Why it is not (empty when valid).
    public var errors: [SchemaViolation]

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - isValid: the verdict.
    ///   - errors: the reasons.
    public init(isValid: Bool, errors: [SchemaViolation]) {
        self.isValid = isValid
        self.errors = errors
    }

    /// The result in the specification's "basic" output format: `{"valid": …, "errors": [...]}`.
    public var basicOutput: JSONValue {
        var output: JSONObject = ["valid": .bool(isValid)]
        if !isValid { output["errors"] = .array(errors.map(\.outputUnit)) }
        return .object(output)
    }
}

/// `17023` → `17,023`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return value < 0 ? "-" + result : result
}

/// `1 item`, `3 items`.
func counted(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(grouped(value)) \(value == 1 ? singular : plural ?? singular + "s")"
}
