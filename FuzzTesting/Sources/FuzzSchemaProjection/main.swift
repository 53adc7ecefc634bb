import FuzzSupport
import TrailJSON
import TrailSchema

/// The differential schema target: `SCHEMA \0 INSTANCE`, where the instance is checked twice, parsed in full
/// and parsed under the validator's projection. The projection promises the same verdict and the same
/// parse errors.
Fuzz.main(fuzzSchemaProjection)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchemaProjection(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (schemaBytes, instanceBytes) = Fuzz.split(Fuzz.bytes(start, count))
    guard let schema = try? JSONValue(parsing: schemaBytes),
        let validator = try? JSONSchemaValidator(schema: schema, options: ValidationOptions(assertFormats: true))
    else { return 0 }
    let parser = JSONParser()
    let full = Result { try parser.parse(instanceBytes) }
    let projected = Result { try parser.parse(instanceBytes, projection: validator.projection) }
    switch (full, projected) {
    case (.success(let whole), .success(let part)):
        guard validator.isValid(whole) == validator.isValid(part) else {
            Fuzz.fail("the full instance is \(validator.isValid(whole) ? "" : "in")valid, the projected one is not")
        }
    case (.failure(let a), .failure(let b)) where "\(a)" == "\(b)":
        break
    default:
        Fuzz.fail("plain parsing gave \(full), parsing under the schema's projection gave \(projected)")
    }
    return 0
}
