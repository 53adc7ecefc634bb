import NIOCore
import TrailJSON
import TrailSchema

/// A bundled request schema, compiled once, that checks request bodies before a route reads them.
///
/// The schema is the one statement of a body's rules: a route reads fields from a body only after it
/// passed, and answers a failed check with the validator's errors, each located by a JSON Pointer.
/// Formats are asserted, so a body the emulator accepts satisfies the schema under either reading.
struct RequestSchema: Sendable {
    /// The schema's short name, e.g. `tuor/trace-ingest-request`.
    let name: String
    private let validator: JSONSchemaValidator

    /// Compiles a bundled schema.
    ///
    /// - Parameter name: the schema's short name.
    /// - Throws: ``TrailServerError/bundledSchema(name:message:)`` when no bundled schema has that name or it
    ///   does not compile.
    init(named name: String) throws(TrailServerError) {
        guard let bundled = BundledSchemas.named(name) else {
            throw .bundledSchema(name: name, message: "no bundled schema has this name")
        }
        do {
            validator = try JSONSchemaValidator(bundled: bundled, options: ValidationOptions(assertFormats: true))
        } catch {
            throw .bundledSchema(name: name, message: "\(error)")
        }
        self.name = name
    }

    /// Why a body was turned down.
    enum Rejection: Error, Sendable {
        /// The body is not JSON; the parser's explanation.
        case malformed(String)
        /// The body is JSON but breaks the schema: the value and the validator's errors.
        case invalid(JSONValue, [SchemaViolation])
    }

    /// Parses a body and validates it.
    ///
    /// - Parameter body: the raw request body.
    /// - Returns: the body's value when it satisfies the schema (every request schema requires an object),
    ///   or why not.
    func check(_ body: ByteBuffer) -> Result<JSONValue, Rejection> {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body.readableBytesView)
        } catch {
            return .failure(.malformed("\(error)"))
        }
        let result = validator.validate(value)
        return result.isValid ? .success(value) : .failure(.invalid(value, result.errors))
    }
}

/// The request schemas of the routes that have one, compiled once per process.
struct RequestSchemas: Sendable {
    /// `POST /v1/traces/`.
    let traceIngest: RequestSchema
    /// `POST /v1/projects/{project_id}/prompts`.
    let tuorPromptCreate: RequestSchema
    /// `POST /v1/projects/{project_id}/prompts/accept-refinement`.
    let acceptRefinement: RequestSchema
    /// `POST /api/v1/prompts`.
    let traciaPromptCreate: RequestSchema
    /// `PUT /api/v1/prompts/{slug}`.
    let traciaPromptUpdate: RequestSchema

    /// Compiles every request schema.
    ///
    /// - Throws: ``TrailServerError/bundledSchema(name:message:)`` when one is missing or does not compile.
    init() throws(TrailServerError) {
        traceIngest = try RequestSchema(named: "tuor/trace-ingest-request")
        tuorPromptCreate = try RequestSchema(named: "tuor/prompt-create-request")
        acceptRefinement = try RequestSchema(named: "tuor/accept-refinement-request")
        traciaPromptCreate = try RequestSchema(named: "tracia/prompt-create-request")
        traciaPromptUpdate = try RequestSchema(named: "tracia/prompt-update-request")
    }

    /// The schemas, compiled on first use and shared by every server in the process.
    static let shared = Result { () throws(TrailServerError) in try RequestSchemas() }
}
