import FuzzSupport
import TrailJSON
import TrailSchema

/// The schema compiler and evaluator on arbitrary schema and instance bytes: `FLAGS SCHEMA \0 INSTANCE`,
/// where FLAGS bit 0 asserts formats, bit 1 skips the meta-schema check and bit 2 makes draft-07 the default
/// dialect. Collecting every error and stopping at the first must give the same verdict.
Fuzz.main(fuzzSchema)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard let flags = bytes.first else { return 0 }
    let (schemaBytes, instanceBytes) = Fuzz.split(Array(bytes.dropFirst()))
    let options = ValidationOptions(
        assertFormats: flags & 1 == 1,
        validateSchema: flags & 2 == 0,
        defaultDialect: flags & 4 == 0 ? .draft2020 : .draft7
    )
    guard let schema = try? JSONValue(parsing: schemaBytes),
        let validator = try? JSONSchemaValidator(schema: schema, options: options)
    else { return 0 }
    let instance = (try? JSONValue(parsing: instanceBytes)) ?? schema
    let result = validator.validate(instance)
    guard result.isValid == validator.isValid(instance), result.isValid == result.errors.isEmpty else {
        Fuzz.fail("validate() says \(result.isValid) with \(result.errors.count) errors; isValid() disagrees")
    }
    return 0
}
