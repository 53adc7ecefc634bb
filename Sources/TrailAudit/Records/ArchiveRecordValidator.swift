import Foundation
public import TrailJSON
public import TrailModel
public import TrailSchema

/// Checks a record against the schema of its kind: the seam where a JSON Schema validator plugs in.
public protocol ArchiveRecordValidator: Sendable {
    /// The problems of `record` against the schema with `schemaID`; empty when it is valid.
    ///
    /// - Parameters:
    ///   - record: the parsed record.
    ///   - schemaID: the schema's `$id`.
    /// - Returns: the problems, empty for a valid record.
    func problems(in record: JSONValue, schemaID: String) -> [RecordIssue]

    /// Whether the record on `tape`, parsed from `line`, is valid against the schema with `schemaID`: a verdict
    /// without the problems, which a caller that needs them gets from ``problems(in:schemaID:)``.
    ///
    /// The default parses `line` with ``TrailJSON/JSONParser`` (which keeps each number as written, as the tape
    /// does not) and asks ``problems(in:schemaID:)``, so a validator that implements only that one gives the
    /// same verdicts either way.
    ///
    /// - Parameters:
    ///   - tape: a tape holding the record.
    ///   - line: the bytes the tape was parsed from.
    ///   - schemaID: the schema's `$id`.
    /// - Returns: `true` when ``problems(in:schemaID:)`` would find none.
    func isValid(_ tape: JSONTape, line: UnsafeBufferPointer<UInt8>, schemaID: String) -> Bool

    /// The parts of a record that ``isValid(_:line:schemaID:)`` looks at: a tape parsed with this projection
    /// (see ``TrailJSON/JSONProjection``) gets the same verdict as one parsed whole. The default keeps the
    /// whole record.
    ///
    /// - Parameter schemaID: the schema's `$id`.
    /// - Returns: the projection.
    func projection(schemaID: String) -> JSONProjection
}

extension ArchiveRecordValidator {
    public func isValid(_ tape: JSONTape, line: UnsafeBufferPointer<UInt8>, schemaID: String) -> Bool {
        guard let record = try? JSONParser().parse(line) else { return false }
        return problems(in: record, schemaID: schemaID).isEmpty
    }

    public func projection(schemaID: String) -> JSONProjection {
        .whole
    }
}

/// The schema check of one record kind, resolved from the record validator once, so that checking a line
/// neither looks its schema up by `$id` nor copies the validator: with ``SchemaRecordValidator``, the compiled
/// schema itself (``CompiledSchemaCheck``); with any other validator, that validator (``ValidatorSchemaCheck``).
///
/// A class, handed to the workers by reference: calling it copies nothing, where a value holding the validator
/// would be copied (and every reference in it retained, on counts all the workers share) on each line.
class RecordSchemaCheck: @unchecked Sendable {
    /// The schema's `$id`.
    let schemaID: String

    fileprivate init(schemaID: String) {
        self.schemaID = schemaID
    }

    /// Resolves the check of the schema with `schemaID`; `nil` without a validator (any JSON is accepted).
    ///
    /// - Parameters:
    ///   - validator: the record validator, if records are checked against schemas.
    ///   - schemaID: the schema's `$id`.
    /// - Returns: the check.
    static func resolve(_ validator: (any ArchiveRecordValidator)?, schemaID: String) -> RecordSchemaCheck? {
        guard let validator else { return nil }
        // A schema that is missing or does not compile makes every record invalid, as the validator says.
        if let schemas = validator as? SchemaRecordValidator,
            case .success(let compiled)? = schemas.compiled(schemaID: schemaID)
        {
            return CompiledSchemaCheck(compiled, schemaID: schemaID)
        }
        return ValidatorSchemaCheck(validator, schemaID: schemaID)
    }

    /// Whether the record on `tape`, parsed from `line`, is valid (``ArchiveRecordValidator/isValid(_:line:schemaID:)``).
    func isValid(_ tape: JSONTape, line: UnsafeBufferPointer<UInt8>) -> Bool {
        preconditionFailure("RecordSchemaCheck is abstract")
    }
}

/// A schema compiled by ``SchemaRecordValidator``, checked on the tape.
private final class CompiledSchemaCheck: RecordSchemaCheck, @unchecked Sendable {
    private let validator: JSONSchemaValidator

    init(_ validator: JSONSchemaValidator, schemaID: String) {
        self.validator = validator
        super.init(schemaID: schemaID)
    }

    override func isValid(_ tape: JSONTape, line: UnsafeBufferPointer<UInt8>) -> Bool {
        validator.isValid(tape)
    }
}

/// Any other record validator, asked for every record.
private final class ValidatorSchemaCheck: RecordSchemaCheck, @unchecked Sendable {
    private let validator: any ArchiveRecordValidator

    init(_ validator: any ArchiveRecordValidator, schemaID: String) {
        self.validator = validator
        super.init(schemaID: schemaID)
    }

    override func isValid(_ tape: JSONTape, line: UnsafeBufferPointer<UInt8>) -> Bool {
        validator.isValid(tape, line: line, schemaID: schemaID)
    }
}

extension JSONTape {
    /// Parses `line` onto the tape and tells whether it holds a record valid against its schema (any JSON
    /// without a schema check): the common case, which archive and verify read from the tape. On `false`, they
    /// parse the line again in full, to describe its problems.
    ///
    /// - Parameters:
    ///   - line: the record's line.
    ///   - check: the schema check of the record's kind, if records are checked against schemas.
    ///   - projection: what to keep of the record (``RecordInterpreter/tapeProjection(for:validator:)``);
    ///     `nil` keeps all of it.
    /// - Returns: whether the line is JSON and, with a schema check, valid.
    mutating func parseValid(
        _ line: UnsafeBufferPointer<UInt8>,
        check: RecordSchemaCheck?,
        projection: TapeProjection? = nil
    ) -> Bool {
        let parsed = if let projection { parse(line, projection: projection) } else { parse(line) }
        guard parsed else { return false }
        return check?.isValid(self, line: line) ?? true
    }
}

/// The schemas an archive is built or verified with: PromptTrail's bundled schemas by default, or the
/// `schemas/` an archive carries.
public struct AuditSchemas: Sendable {
    /// The schema documents, sorted by path below `schemas/`.
    public let documents: [BundledSchema]
    /// The validator used for records.
    public let validator: any ArchiveRecordValidator

    /// Creates a schema set.
    ///
    /// - Parameters:
    ///   - documents: the schema documents.
    ///   - validator: the validator; by default ``SchemaRecordValidator`` over `documents`.
    public init(documents: [BundledSchema], validator: (any ArchiveRecordValidator)? = nil) {
        self.documents = documents.sorted { $0.path < $1.path }
        self.validator = validator ?? SchemaRecordValidator(documents: documents)
    }

    /// The schemas compiled into PromptTrail.
    public static var bundled: AuditSchemas { AuditSchemas(documents: BundledSchemas.all) }

    /// Whether a schema with `id` is present.
    ///
    /// - Parameter id: a `$id`.
    /// - Returns: `true` when present.
    public func contains(id: String) -> Bool {
        documents.contains { $0.id == id }
    }
}

extension AuditSchemas {
    /// Loads every `*.json` below `directory` as a schema document (its `$id` read from the file).
    ///
    /// Used for a source checkout's `schemas/` during development; released tools use ``bundled``.
    ///
    /// - Parameter directory: a folder laid out like PromptTrail's `schemas/`.
    /// - Returns: the schema set.
    /// - Throws: ``AuditError/fileSystem(operation:path:message:)`` when the folder cannot be read.
    public static func load(directory: String) throws -> AuditSchemas {
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw AuditError.fileSystem(operation: "read schemas from", path: root, message: "not a directory")
        }
        var documents: [BundledSchema] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".json"), let data = FileManager.default.contents(atPath: root + "/" + relative),
                let text = String(data: data, encoding: .utf8),
                let id = (try? JSONParser().parse(text))?["$id"]?.stringValue
            else { continue }
            documents.append(BundledSchema(path: relative, id: id, text: text))
        }
        return AuditSchemas(documents: documents)
    }
}
