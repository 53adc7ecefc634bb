import Foundation
public import TrailJSON
public import TrailSchema

/// Checks a record against the schema of its kind: the seam where a JSON Schema validator plugs in.
public protocol RecordValidator: Sendable {
    /// The problems of `record` against the schema with `schemaID`; empty when it is valid.
    ///
    /// - Parameters:
    ///   - record: the parsed record.
    ///   - schemaID: the schema's `$id`.
    /// - Returns: the problems, empty for a valid record.
    func problems(in record: JSONValue, schemaID: String) -> [RecordProblem]
}

/// The schemas an archive is built or verified with: PromptTrail's bundled schemas by default, or the
/// `schemas/` an archive carries.
public struct AuditSchemas: Sendable {
    /// The schema documents, sorted by path below `schemas/`.
    public let documents: [BundledSchema]
    /// The validator used for records.
    public let validator: any RecordValidator

    /// Creates a schema set.
    ///
    /// - Parameters:
    ///   - documents: the schema documents.
    ///   - validator: the validator; by default ``TopLevelRecordValidator`` over `documents`.
    public init(documents: [BundledSchema], validator: (any RecordValidator)? = nil) {
        self.documents = documents.sorted { $0.path < $1.path }
        self.validator = validator ?? TopLevelRecordValidator(documents: documents)
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

/// Checks the top level of PromptTrail's own record schemas: `required`, `additionalProperties: false`,
/// `const`, `enum` and JSON types of each member.
///
/// This is the part of the schemas that decides whether a record can be archived and linked at all;
/// nested keywords (formats, patterns, `if`/`then`) are left to the full JSON Schema validator, which
/// replaces this one through ``AuditSchemas/init(documents:validator:)`` and which the tests run as
/// an independent judge (Python `jsonschema`) over every archived record.
public struct TopLevelRecordValidator: RecordValidator {
    private struct Rules: Sendable {
        var required: [String] = []
        var closed = false
        var members: [String: JSONValue] = [:]
    }

    private let rules: [String: Rules]

    /// Compiles the top-level rules of each document.
    ///
    /// - Parameter documents: schema documents.
    public init(documents: [BundledSchema]) {
        var rules: [String: Rules] = [:]
        for document in documents {
            guard let schema = try? JSONParser().parse(document.text), let object = schema.objectValue else { continue }
            var rule = Rules()
            rule.required = object["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            rule.closed = object["additionalProperties"]?.boolValue == false
            if let properties = object["properties"]?.objectValue {
                for (key, value) in properties { rule.members[key] = value }
            }
            rules[document.id] = rule
        }
        self.rules = rules
    }

    public func problems(in record: JSONValue, schemaID: String) -> [RecordProblem] {
        guard let rule = rules[schemaID] else {
            return [
                RecordProblem(
                    instanceLocation: "",
                    keywordLocation: schemaID,
                    message: "schema \(schemaID) is not available"
                )
            ]
        }
        guard let object = record.objectValue else {
            return [
                RecordProblem(
                    instanceLocation: "",
                    keywordLocation: "/type",
                    message: "expected an object, found \(record.typeName)"
                )
            ]
        }
        var problems: [RecordProblem] = []
        for key in rule.required where !object.contains(key: key) {
            problems.append(
                RecordProblem(
                    instanceLocation: "",
                    keywordLocation: "/required",
                    message: "missing required member \"\(key)\""
                )
            )
        }
        for (key, value) in object {
            let location = "/" + JSONPointer.escape(key)
            guard let member = rule.members[key] else {
                if rule.closed {
                    problems.append(
                        RecordProblem(
                            instanceLocation: location,
                            keywordLocation: "/additionalProperties",
                            message: "unexpected member \"\(key)\""
                        )
                    )
                }
                continue
            }
            if let expected = member["const"], expected != value {
                problems.append(
                    RecordProblem(
                        instanceLocation: location,
                        keywordLocation: "/properties/\(JSONPointer.escape(key))/const",
                        message: "must be \(expected.serializedString())"
                    )
                )
            }
            if let allowed = member["enum"]?.arrayValue, !allowed.contains(value) {
                problems.append(
                    RecordProblem(
                        instanceLocation: location,
                        keywordLocation: "/properties/\(JSONPointer.escape(key))/enum",
                        message: "must be one of \(JSONValue.array(allowed).serializedString())"
                    )
                )
            }
            if let types = Self.types(member["type"]), !types.contains(where: { Self.matches(value, $0) }) {
                problems.append(
                    RecordProblem(
                        instanceLocation: location,
                        keywordLocation: "/properties/\(JSONPointer.escape(key))/type",
                        message: "expected \(types.joined(separator: " or ")), found \(value.typeName)"
                    )
                )
            }
        }
        return problems
    }

    private static func types(_ value: JSONValue?) -> [String]? {
        if let single = value?.stringValue { return [single] }
        return value?.arrayValue?.compactMap(\.stringValue)
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            return true
        case ("integer", .number(let number)):
            return number.isInteger
        default:
            return false
        }
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
