import Foundation
import TrailJSON
import TrailSchema

extension ErrorBody {
    /// A validation issue's `type` and `msg`, when a route words a schema error its own way.
    typealias Wording = (type: String, msg: String)

    /// A turned-down request body as FastAPI validation issues.
    ///
    /// - Parameters:
    ///   - rejection: why the body was turned down.
    ///   - wording: a route's own `type` and `msg` for some schema errors; `nil` keeps the defaults.
    /// - Returns: the issues: one `json_invalid` for a body that is not JSON, else one per schema error.
    static func issues(
        for rejection: RequestSchema.Rejection,
        wording: (SchemaViolation) -> Wording? = { _ in nil }
    ) -> [ValidationIssue] {
        switch rejection {
        case .malformed(let message):
            return [ValidationIssue(loc: ["body"], msg: "JSON decode error: \(message)", type: "json_invalid")]
        case .invalid(let instance, let errors):
            return issues(for: errors, in: instance, wording: wording)
        }
    }

    /// A turned-down request body as one Tracia message.
    ///
    /// - Parameter rejection: why the body was turned down.
    /// - Returns: the parser's explanation, or each schema error as `/pointer: message`, separated by `; `.
    static func traciaMessage(for rejection: RequestSchema.Rejection) -> String {
        switch rejection {
        case .malformed(let message): return "Invalid JSON: \(message)"
        case .invalid(_, let errors): return errors.map(\.description).joined(separator: "; ")
        }
    }

    /// The validator's errors as FastAPI validation issues, one per error.
    ///
    /// `loc` is `"body"` followed by the instance location's tokens (array positions as integers); a
    /// `required` error also names the missing member, as FastAPI does. `msg` is the validator's message and
    /// `type` a FastAPI-style code for the failing keyword.
    ///
    /// - Parameters:
    ///   - errors: the validator's errors.
    ///   - instance: the body they were found in.
    ///   - wording: a route's own `type` and `msg` for some errors; `nil` keeps the defaults.
    /// - Returns: the issues, in the validator's order.
    static func issues(
        for errors: [SchemaViolation],
        in instance: JSONValue,
        wording: (SchemaViolation) -> Wording? = { _ in nil }
    ) -> [ValidationIssue] {
        var requiredSeen: [String: Int] = [:]
        return errors.map { error in
            var loc: [LocationPart] = ["body"] + location(error.instanceLocation, in: instance)
            if error.keyword == "required" {
                // One error per missing member, in the order of the keyword's list.
                let key = error.instanceLocation.description + " " + error.absoluteKeywordLocation
                let ordinal = requiredSeen[key, default: 0]
                requiredSeen[key] = ordinal + 1
                let object = error.instanceLocation.resolve(in: instance)?.objectValue
                let missing = (keywordValue(of: error)?.arrayValue ?? []).compactMap(\.stringValue).filter {
                    object?[$0] == nil
                }
                if ordinal < missing.count { loc.append(.key(missing[ordinal])) }
            }
            if let custom = wording(error) { return ValidationIssue(loc: loc, msg: custom.msg, type: custom.type) }
            return ValidationIssue(loc: loc, msg: error.message, type: typeCode(for: error))
        }
    }

    /// A pointer's tokens as `loc` parts: integers where the token indexes an array of `instance`.
    private static func location(_ pointer: JSONPointer, in instance: JSONValue) -> [LocationPart] {
        var current: JSONValue? = instance
        return pointer.tokens.map { token in
            if case .array(let elements) = current, let index = JSONPointer.arrayIndex(token) {
                current = index < elements.count ? elements[index] : nil
                return .index(index)
            }
            current = current?.objectValue?[token]
            return .key(token)
        }
    }

    /// FastAPI's error type for a failing keyword.
    private static func typeCode(for error: SchemaViolation) -> String {
        switch error.keyword {
        case "required": return "missing"
        case "type": return typeCode(expecting: keywordValue(of: error))
        case "pattern": return "string_pattern_mismatch"
        case "minLength": return "string_too_short"
        case "maxLength", "maxUtf8Bytes": return "string_too_long"
        case "minItems": return "too_short"
        case "maxItems": return "too_long"
        case "enum": return "enum"
        case "const": return "literal_error"
        case "minimum": return "greater_than_equal"
        case "maximum": return "less_than_equal"
        case "exclusiveMinimum": return "greater_than"
        case "exclusiveMaximum": return "less_than"
        case "additionalProperties", "unevaluatedProperties": return "extra_forbidden"
        default: return "value_error"
        }
    }

    /// FastAPI's error type for a value of the wrong type, from the schema's `type` (the first non-null one).
    private static func typeCode(expecting type: JSONValue?) -> String {
        let names = type?.arrayValue?.compactMap(\.stringValue) ?? (type?.stringValue).map { [$0] } ?? []
        switch names.first(where: { $0 != "null" }) {
        case "object": return "dict_type"
        case "array": return "list_type"
        case "string": return "string_type"
        case "integer": return "int_type"
        case "number": return "float_type"
        case "boolean": return "bool_type"
        default: return "type_error"
        }
    }

    /// The value of the failing keyword, looked up in the bundled schema its absolute location names.
    private static func keywordValue(of error: SchemaViolation) -> JSONValue? {
        let parts = error.absoluteKeywordLocation.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let document = bundledDocuments[String(parts[0])],
            let fragment = String(parts[1]).removingPercentEncoding,
            let pointer = try? JSONPointer(parsing: fragment)
        else { return nil }
        return pointer.resolve(in: document)
    }

    /// Every bundled schema, parsed, by `$id`.
    private static let bundledDocuments: [String: JSONValue] = {
        var documents: [String: JSONValue] = [:]
        for schema in BundledSchemas.all {
            if let document = try? JSONValue(parsing: schema.text) { documents[schema.id] = document }
        }
        return documents
    }()
}
