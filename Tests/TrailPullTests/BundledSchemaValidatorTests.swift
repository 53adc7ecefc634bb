import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailPull
import TrailServer
import TrailTestSupport

@Suite("BundledSchemaValidator")
struct BundledSchemaValidatorTests {
    @Test("compiles every schema a pull uses and reports errors with JSON Pointers")
    func validates() throws {
        let validator = try BundledSchemaValidator()
        let line = try JSONValue(
            parsing: #"{"id":"trc_1","project_id":"proj_a","status":"pending","model_input":{},"model_output":{},"#
                + #""created_at":"2026-05-12T00:00:00Z","updated_at":"2026-05-12T00:00:00Z"}"#
        )
        #expect(validator.validate(line, schema: "tuor/trace").isEmpty)
        let issues = validator.validate(line, schema: "tuor/export-line")
        #expect(issues.contains { $0.instanceLocation == "/status" })
        let record = try Normalizer.tuorTrace(line, projectID: "proj_a").get()
        #expect(validator.validate(record.json, schema: "prompttrail/trace").isEmpty)
    }

    @Test("an invalid upstream trace goes to quarantine and the pull exits with quarantined records")
    func quarantine() async throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        try await Emulator.with(configure: { $0.generateCount = 200 }) { emulator in
            // The emulator serves valid bodies only, so a validator that refuses rejected traces stands in
            // for an upstream whose export lines are all invalid.
            struct RefuseExport: RecordValidator {
                let base: any RecordValidator
                func validate(_ instance: JSONValue, schema: String) -> [RecordIssue] {
                    if schema == "tuor/export-line" {
                        return [RecordIssue(instanceLocation: "/status", keywordLocation: "/x", message: "refused")]
                    }
                    return base.validate(instance, schema: schema)
                }
            }
            let options = emulator.options(.tuor, projects: ["proj_invoices"], workspace: directory.path)
            let summary = await PullRunner(
                options: options,
                validator: RefuseExport(base: try BundledSchemaValidator())
            )
            .run()
            #expect(summary.status == .quarantined)
            #expect(summary.quarantined > 0)
        }
    }
}
