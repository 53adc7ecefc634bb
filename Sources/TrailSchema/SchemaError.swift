import TrailJSON

/// An error raised while loading or compiling a schema: the schema is malformed, is not a schema at all,
/// or refers to something that cannot be found. TrailSchema's one error type.
///
/// An instance that fails validation is not an error: ``JSONSchemaValidator/validate(_:)`` returns a
/// ``ValidationResult``.
public enum SchemaError: Error, Sendable, CustomStringConvertible {
    /// A keyword has a value the specification does not allow; `location` is the keyword's absolute URI
    /// (`base#/json/pointer`).
    case invalidKeyword(location: String, message: String)
    /// The schema fails its meta-schema; `errors` says where.
    case notASchema(metaSchema: String, errors: [SchemaViolation])
    /// A `$ref` or `$dynamicRef` names a resource or anchor that is not available (remote references are never
    /// fetched over the network).
    case unresolvableReference(reference: String, location: String)
    /// `$schema` names a meta-schema that is not known.
    case unknownMetaSchema(uri: String, location: String)
    /// References form a loop that never consumes any part of the instance, so evaluation could never end.
    case referenceCycle(location: String)
    /// A schema document could not be read or parsed; `cause` says why.
    case unreadable(source: String, cause: String)
    /// A referenced local file was refused or could not be loaded (see ``LocalSchemaFiles``); `reason` is a
    /// phrase such as "is not a regular file (it is a FIFO)", and `location` is where the reference is (empty
    /// when unknown).
    case unloadableReference(reference: String, location: String, reason: String)

    /// A one-line explanation naming the location.
    public var description: String {
        switch self {
        case .invalidKeyword(let location, let message):
            return "invalid schema at \(location): \(message)"
        case .notASchema(let metaSchema, let errors):
            let first = errors.first.map { error in
                let at = error.instanceLocation.isRoot ? "the schema's root" : error.instanceLocation.description
                return "at \(at): \(error.message)"
            }
            let more = errors.count > 1 ? " (and \(errors.count - 1) more)" : ""
            return "not a valid schema (checked against \(metaSchema)) \(first ?? "")\(more)"
        case .unresolvableReference(let reference, let location):
            return "cannot resolve reference \"\(reference)\" at \(location): no bundled, local or loaded schema has "
                + "that URI (remote schemas are never downloaded)"
        case .unknownMetaSchema(let uri, let location):
            return "unknown $schema \"\(uri)\" at \(location): use draft 2020-12, draft-07 or a bundled dialect"
        case .referenceCycle(let location):
            return "invalid schema at \(location): references loop back to this schema without consuming any part "
                + "of the instance, so evaluation would never end"
        case .unreadable(let source, let cause):
            return "cannot read schema \(source): \(cause)"
        case .unloadableReference(let reference, let location, let reason):
            return location.isEmpty ? "\(reference) \(reason)" : "\(reference) referenced from \(location) \(reason)"
        }
    }
}
