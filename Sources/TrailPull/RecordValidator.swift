public import TrailJSON
public import TrailModel

/// Checks a JSON value against a bundled schema by name (`tuor/export-line`, `prompttrail/trace`, …).
///
/// The seam through which the pull validates every record on the way in. The bundled-schema validator
/// implements it (``BundledSchemaValidator``); a pull without it does not run.
public protocol RecordValidator: Sendable {
    /// The errors of `instance` against the schema `schema`; empty when valid.
    ///
    /// - Parameters:
    ///   - instance: the value.
    ///   - schema: the schema's name, `<group>/<name>`.
    /// - Returns: the issues, with JSON Pointers.
    func validate(_ instance: JSONValue, schema: String) -> [RecordIssue]
}

/// The validator a runner holds when the bundled schemas fail to compile; the run stops before any
/// request, so it never sees a record, and refuses any it would.
struct RefusingValidator: RecordValidator {
    func validate(_ instance: JSONValue, schema: String) -> [RecordIssue] {
        [RecordIssue(instanceLocation: "", message: "the bundled schemas do not compile")]
    }
}
