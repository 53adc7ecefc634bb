public import TrailJSON
public import TrailModel
internal import TrailSchema

/// ``RecordValidator`` over the bundled schemas: every upstream payload and every PromptTrail record is
/// validated by the JSON Schema validator (draft 2020-12, `format` asserted) against its schema.
public struct BundledSchemaValidator: RecordValidator {
    private let validators: [String: JSONSchemaValidator]

    /// The schemas a pull uses.
    public static let names = [
        "tuor/trace", "tuor/export-line", "tuor/prompt-version", "tracia/span", "tracia/span-list-response",
        "tracia/prompt", "tracia/prompt-version", "prompttrail/trace", "prompttrail/prompt-version",
    ]

    /// Compiles the schemas a pull uses.
    ///
    /// - Throws: `SchemaError` when a bundled schema is missing or cannot be compiled.
    public init() throws {
        var validators: [String: JSONSchemaValidator] = [:]
        for name in Self.names {
            guard let bundled = BundledSchemas.named(name) else {
                throw SchemaError.unreadable(source: name, cause: "no bundled schema has this name")
            }
            validators[name] = try JSONSchemaValidator(
                bundled: bundled,
                options: ValidationOptions(assertFormats: true)
            )
        }
        self.validators = validators
    }

    /// The errors of `instance` against the bundled schema `schema`, one issue per failing leaf keyword.
    ///
    /// - Parameters:
    ///   - instance: the value.
    ///   - schema: the schema's name; an unknown name yields no issues.
    /// - Returns: the issues.
    public func validate(_ instance: JSONValue, schema: String) -> [RecordIssue] {
        guard let validator = validators[schema], !validator.isValid(instance) else { return [] }
        var issues: [RecordIssue] = []
        func collect(_ errors: [SchemaViolation]) {
            for error in errors {
                if error.details.isEmpty {
                    issues.append(
                        RecordIssue(
                            instanceLocation: error.instanceLocation.description,
                            keywordLocation: error.keywordLocation.description,
                            message: error.message
                        )
                    )
                } else {
                    collect(error.details)
                }
            }
        }
        collect(validator.validate(instance).errors)
        return issues.isEmpty
            ? [RecordIssue(instanceLocation: "", keywordLocation: "", message: "invalid against \(schema)")] : issues
    }
}
