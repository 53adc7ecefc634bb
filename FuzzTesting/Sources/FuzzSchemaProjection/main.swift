import FuzzSupport
import TrailJSON
import TrailSchema

/// The differential schema target: `SCHEMA \0 INSTANCE`, where the instance is checked parsed in full, parsed
/// under the validator's projection, and parsed into a tape (whole and under the projection). The projection
/// promises the same verdict and the same parse errors; the tape, the same verdict.
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
        let verdict = validator.isValid(whole)
        guard verdict == validator.isValid(part) else {
            Fuzz.fail("the full instance is \(verdict ? "" : "in")valid, the projected one is not")
        }
        for projection in [JSONProjection.whole, validator.projection] {
            var tape = JSONTape()
            let parsed = instanceBytes.withUnsafeBufferPointer { tape.parse($0, projection: projection) }
            guard parsed, validator.isValid(tape) == verdict else {
                Fuzz.fail("the full instance is \(verdict ? "" : "in")valid; parsed into a tape it is not")
            }
        }
    case (.failure(let a), .failure(let b)) where "\(a)" == "\(b)":
        break
    default:
        Fuzz.fail("plain parsing gave \(full), parsing under the schema's projection gave \(projected)")
    }
    return 0
}
