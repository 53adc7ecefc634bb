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

extension JSONTape {
    /// Parses `line` onto the tape and tells whether it holds a record valid against the schema with `schemaID`
    /// (any JSON without a validator): the common case, which archive and verify read from the tape. On
    /// `false`, they parse the line again in full, to describe its problems.
    ///
    /// - Parameters:
    ///   - line: the record's line.
    ///   - schemaID: the schema's `$id`.
    ///   - validator: the record validator, if records are checked against schemas.
    ///   - projection: what to keep of the record (``RecordInterpreter/tapeProjection(for:validator:)``);
    ///     `nil` keeps all of it.
    /// - Returns: whether the line is JSON and, with a validator, valid.
    mutating func parseValid(
        _ line: [UInt8],
        schemaID: String,
        validator: (any ArchiveRecordValidator)?,
        projection: TapeProjection? = nil
    ) -> Bool {
        line.withUnsafeBufferPointer { bytes in
            (projection.map { parse(bytes, projection: $0) } ?? parse(bytes))
                && (validator?.isValid(self, line: bytes, schemaID: schemaID) ?? true)
        }
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
