public import TrailJSON
public import TrailModel
public import TrailSchema

/// Validates records with TrailSchema's JSON Schema validator (draft 2020-12, formats asserted), with
/// every schema of the set in one registry so that cross-schema `$ref`s resolve offline.
public struct SchemaRecordValidator: ArchiveRecordValidator {
    private let validators: [String: Result<JSONSchemaValidator, any Error>]
    private let projections: [String: JSONProjection]

    /// Compiles the PromptTrail record schemas and the completeness statement's schema among `documents`.
    ///
    /// - Parameter documents: schema documents; the ones that are not record schemas serve as references.
    public init(documents: [BundledSchema]) {
        var registry = SchemaRegistry.standard
        var parsed: [String: JSONValue] = [:]
        for document in documents {
            guard let value = try? JSONValue(parsing: document.text) else { continue }
            parsed[document.id] = value
            registry = registry.adding(value, uri: document.id)
        }
        var validators: [String: Result<JSONSchemaValidator, any Error>] = [:]
        for schemaID in RecordKind.allCases.map(\.schemaID) + [CompletenessStatement.schemaID] {
            guard let schema = parsed[schemaID] else { continue }
            validators[schemaID] = Result {
                try JSONSchemaValidator(
                    schema: schema,
                    uri: schemaID,
                    registry: registry,
                    options: ValidationOptions(assertFormats: true)
                )
            }
        }
        self.validators = validators
        projections = validators.compactMapValues { try? $0.get().projection }
    }

    /// The compiled schema's projection (``TrailSchema/JSONSchemaValidator/projection``); the whole record
    /// for a schema that is missing or does not compile.
    public func projection(schemaID: String) -> JSONProjection {
        projections[schemaID] ?? .whole
    }

    /// The compiled schema with `schemaID`, or why it did not compile; `nil` when the set holds no such schema.
    func compiled(schemaID: String) -> Result<JSONSchemaValidator, any Error>? {
        validators[schemaID]
    }

    /// Checks the record where it lies on the tape, with the validator's flat program (the tape's numbers are
    /// judged as the tree evaluator judges the parsed ones, so `line` is not read again); a schema that is
    /// missing or does not compile makes every record invalid, as ``problems(in:schemaID:)`` reports it.
    public func isValid(_ tape: JSONTape, line: UnsafeBufferPointer<UInt8>, schemaID: String) -> Bool {
        guard case .success(let validator) = validators[schemaID] else { return false }
        return validator.isValid(tape)
    }

    public func problems(in record: JSONValue, schemaID: String) -> [RecordIssue] {
        guard let compiled = validators[schemaID] else {
            return [
                RecordIssue(instanceLocation: "", keywordLocation: "", message: "schema \(schemaID) is not available")
            ]
        }
        switch compiled {
        case .failure(let error):
            return [
                RecordIssue(
                    instanceLocation: "",
                    keywordLocation: "",
                    message: "schema \(schemaID) does not compile: \(error)"
                )
            ]
        case .success(let validator):
            if validator.isValid(record) { return [] }
            return validator.validate(record).errors.map {
                RecordIssue(
                    instanceLocation: $0.instanceLocation.description,
                    keywordLocation: $0.keywordLocation.description,
                    message: $0.message
                )
            }
        }
    }
}
