import Foundation
import Testing
import TrailJSON
import TrailSchema
import TrailTestSupport

/// Every sample listed in `samples/index.json` gets the verdict the index gives, from the embedded schemas;
/// an invalid sample with `expect` fails with an error of that keyword at that instance location. The index's
/// verdicts are strict ones: `format` is asserted, and `maxUtf8Bytes` (PromptTrail's limits vocabulary) counts.
@Suite("Samples against the bundled schemas")
struct SamplesTests {
    @Test("every sample in samples/index.json gets its listed verdict and expected error")
    func samples() throws {
        let indexURL = PackagePaths.samples.appendingPathComponent("index.json")
        guard let data = FileManager.default.contents(atPath: indexURL.path) else {
            Issue.record("samples/index.json is missing at \(indexURL.path): no sample was checked")
            return
        }
        let entries = try #require(
            try JSONValue(parsing: data)["samples"]?.arrayValue,
            "index.json has no samples array"
        )
        #expect(!entries.isEmpty)
        var validators: [String: JSONSchemaValidator] = [:]
        var checked = 0
        for entry in entries {
            let path = try #require(entry["path"]?.stringValue)
            let schemaID = try #require(entry["schema"]?.stringValue, "\(path): no schema")
            guard let expected = entry["valid"]?.boolValue else {
                Issue.record("\(path): no verdict in index.json")
                continue
            }
            guard let bundled = BundledSchemas.withID(schemaID) else {
                Issue.record("\(path): the schema \(schemaID) is not bundled")
                continue
            }
            let validator: JSONSchemaValidator
            if let cached = validators[schemaID] {
                validator = cached
            } else {
                validator = try JSONSchemaValidator(bundled: bundled, options: ValidationOptions(assertFormats: true))
                validators[schemaID] = validator
            }
            let file = PackagePaths.root.appendingPathComponent(path)
            let contents = try #require(FileManager.default.contents(atPath: file.path), "\(path) is missing")
            let instance = try JSONValue(parsing: contents)
            let result = validator.validate(instance)
            #expect(
                result.isValid == expected,
                "\(path): expected valid=\(expected); \(result.errors.map(\.description))"
            )
            #expect(validator.isValid(instance) == expected, "\(path): isValid disagrees with validate")
            if !expected, let expect = entry["expect"] {
                let keyword = expect["keyword"]?.stringValue
                let location = expect["instanceLocation"]?.stringValue ?? expect["instancePath"]?.stringValue
                let matches = flattened(result.errors).contains { error in
                    (keyword == nil || error.keyword == keyword)
                        && (location == nil || error.instanceLocation.description == location)
                }
                #expect(
                    matches,
                    "\(path): expected a \(keyword ?? "any") error at \(location ?? "any location"); got \(flattened(result.errors).map { "\($0.keyword) \($0)" })"
                )
            }
            checked += 1
        }
        print("samples: \(checked) of \(entries.count) checked against the bundled schemas")
    }

    func flattened(_ errors: [SchemaViolation]) -> [SchemaViolation] {
        errors.flatMap { [$0] + flattened($0.details) }
    }
}
