import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport

@testable import TrailAudit

/// Archive and verify check a valid record where it lies on a tape, and anything else from its parsed value;
/// both ways must reach the same verdict and read the same facts. The archive writes lineage lines without
/// building their values; the bytes must be those of the values.
@Suite("Records checked on a tape")
struct RecordTapeTests {
    /// Every trace line of the seeded workspace.
    static func traceLines() throws -> [[UInt8]] {
        let root = URL(fileURLWithPath: AuditFixtures.workspace).appendingPathComponent("traces")
        var lines: [[UInt8]] = []
        for project in try AuditFixtures.entries(root) {
            for file in try AuditFixtures.entries(root.appendingPathComponent(project)) where file.hasSuffix(".jsonl") {
                let url = root.appendingPathComponent(project).appendingPathComponent(file)
                lines += try [UInt8](Data(contentsOf: url)).split(separator: 0x0A).map(Array.init)
            }
        }
        return lines
    }

    static func tape(_ bytes: [UInt8]) throws -> JSONTape {
        var tape = JSONTape()
        try #require(bytes.withUnsafeBufferPointer { tape.parse($0) })
        return tape
    }

    @Test("a trace's facts and problems: the same from the tape as from the value")
    func traceFacts() throws {
        let lines = try Self.traceLines()
        #expect(lines.count > 50)
        var random = SeededGenerator(seed: 0x7ACE)
        var checked = (accepted: 0, rejected: 0)
        for bytes in lines {
            let value = try JSONParser().parse(bytes)
            guard case .object(let object) = value else { continue }
            // The record as it is, and variants: a wrong hash, a missing field, a model output whose hash
            // depends on member order (UTF-16, not byte order), numbers and escapes.
            var variants = [value]
            var wrongHash = object
            wrongHash["output_sha256"] = .string(String(repeating: "0", count: 64))
            variants.append(.object(wrongHash))
            var missing = object
            let dropped = ["project_id", "trace_id", "created_at", "output_sha256", "model_output"]
            missing[dropped.randomElement(using: &random)!] = nil
            variants.append(.object(missing))
            var reordered = object
            let output = JSONValue.object(
                JSONObject([
                    ("\u{E000}", .number(JSONNumber(1e21))),
                    ("\u{10000}", .number(JSONNumber(Int64(9_007_199_254_740_993)))),
                    ("n", .number(JSONNumber(0.1))), ("text", .string("line\n\"é\" \u{1}")),
                ])
            )
            reordered["model_output"] = output
            reordered["output_sha256"] = .string(RecordInterpreter.outputSHA256(output))
            variants.append(.object(reordered))
            for variant in variants {
                let fromValue = RecordInterpreter.trace(variant)
                #expect(RecordInterpreter.trace(try Self.tape(variant.serialized())) == fromValue)
                if case .success = fromValue { checked.accepted += 1 } else { checked.rejected += 1 }
            }
        }
        // Both outcomes are exercised: the record and the reordered output pass, the other two fail.
        #expect(checked.accepted == 2 * lines.count && checked.rejected == 2 * lines.count)
    }

    @Test("a lineage line written member by member: the bytes of its JSON value, serialized")
    func lineageLine() throws {
        var random = SeededGenerator(seed: 0x11E)
        let texts = ["", "trc_1", "quote \" and \\ and \n\t\u{1}", "é ✓ 😀", "\u{7F}\u{2028}"]
        let statuses: [LineageRecord.Status] = [.linked, .unlinked, .dangling, .neverObserved]
        for _ in 0..<200 {
            let record = LineageRecord(
                traceID: texts.randomElement(using: &random)!,
                projectID: texts.randomElement(using: &random)!,
                promptVersionID: Bool.random(using: &random) ? nil : texts.randomElement(using: &random)!,
                version: [nil, 0, 1, -1, 10, .min, .max, Int64.random(in: .min ... .max, using: &random)]
                    .randomElement(using: &random)!,
                promptContentSHA256: Bool.random(using: &random) ? nil : texts.randomElement(using: &random)!,
                outputSHA256: texts.randomElement(using: &random)!,
                file: texts.randomElement(using: &random)!,
                line: Int.random(in: 0...Int.max, using: &random),
                status: statuses.randomElement(using: &random)!
            )
            #expect(
                String(decoding: record.jsonLine, as: UTF8.self)
                    == String(decoding: record.json.serialized(), as: UTF8.self)
            )
            #expect(LineageRecord(try JSONParser().parse(record.jsonLine)) == record)
            #expect(LineageRecord(try Self.tape(record.jsonLine)) == record)
            // Compared in place: its own line, unless a value needs an escape sequence (then the caller compares
            // values); never a line changed in one byte, cut short or run on.
            let escaped = [
                record.traceID, record.projectID, record.promptVersionID, record.promptContentSHA256,
                record.outputSHA256, record.file,
            ].contains { $0?.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } ?? false }
            let line = record.jsonLine
            #expect(line.withUnsafeBufferPointer(record.isWritten(as:)) == !escaped, "\(record)")
            var changed = line
            let position = Int.random(in: 0..<line.count, using: &random)
            changed[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            #expect(!changed.withUnsafeBufferPointer(record.isWritten(as:)), "byte \(position) of \(record)")
            #expect(!Array(line.dropLast()).withUnsafeBufferPointer(record.isWritten(as:)))
            #expect(!(line + [0x20]).withUnsafeBufferPointer(record.isWritten(as:)))
            // The line of a record that differs in one number.
            var other = record
            other.line = record.line == 0 ? 1 : record.line - 1
            #expect(!line.withUnsafeBufferPointer(other.isWritten(as:)))
            other = record
            other.version = record.version.map { $0 == 0 ? nil : $0 == .min ? .max : -$0 } ?? 0
            #expect(!line.withUnsafeBufferPointer(other.isWritten(as:)))
        }
    }

    @Test("a lineage record read from the tape: the one read from the value, for lines the schema may refuse")
    func lineageRecordFromTape() throws {
        var random = SeededGenerator(seed: 0x11F)
        let record = LineageRecord(
            traceID: "trc_1",
            projectID: "proj_1",
            promptVersionID: "pv_1",
            version: 3,
            promptContentSHA256: String(repeating: "a", count: 64),
            outputSHA256: String(repeating: "b", count: 64),
            file: "data/traces/proj_1/2026-01-01.jsonl",
            line: 7,
            status: .linked
        )
        guard case .object(let object) = record.json else { Issue.record("not an object"); return }
        let names = object.keys
        let replacements: [JSONValue] = [
            .null, .bool(true), .string("7"), .string("linked"), .string("other"), .number(JSONNumber(2.0)),
            .number(JSONNumber(2.5)), .number(JSONNumber(1e300)), .number(JSONNumber(-1)), .array([]),
            .object(JSONObject([("line", 1)])), .number(JSONNumber(Int64.max)),
        ]
        var outcomes = (records: 0, refused: 0)
        for _ in 0..<600 {
            var variant = object
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                let name = names.randomElement(using: &random)!
                if Bool.random(using: &random) {
                    variant[name] = nil
                } else {
                    variant[name] = replacements.randomElement(using: &random)!
                }
            }
            let bytes = JSONValue.object(variant).serialized()
            let fromValue = LineageRecord(try JSONParser().parse(bytes))
            #expect(LineageRecord(try Self.tape(bytes)) == fromValue, "\(String(decoding: bytes, as: UTF8.self))")
            if fromValue == nil { outcomes.refused += 1 } else { outcomes.records += 1 }
        }
        #expect(outcomes.records > 50 && outcomes.refused > 50)
        for other in ["[]", "\"line\"", "7", "null"] {
            #expect(LineageRecord(try Self.tape(Array(other.utf8))) == nil)
        }
    }

    @Test("a trace parsed with the checker's projection: the schema's verdict and the facts of the whole record")
    func projectedTraces() throws {
        let schemas = try AuditFixtures.schemas()
        let schemaID = RecordKind.trace.schemaID
        let projection = try #require(RecordInterpreter.tapeProjection(for: .trace, validator: schemas.validator))
        // The upstream payload and the model's input are only scanned; what the facts need is kept.
        guard case .members(let members, let others) = projection.projection else {
            Issue.record("expected members, found \(projection.projection)")
            return
        }
        #expect(members["source_payload"] == .typeOnly && members["model_input"] == .typeOnly && others == .typeOnly)
        #expect(members["model_output"] == .whole && members["trace_id"] == .whole)
        var seen = (valid: 0, invalid: 0)
        for bytes in try Self.traceLines() {
            guard case .object(let object) = try JSONParser().parse(bytes) else { continue }
            var variants = [JSONValue.object(object)]
            for (name, replacement) in [
                ("source_payload", JSONValue.string("{}")), ("extra", .object(JSONObject([("a", 1)]))),
                ("status", .string("unknown")), ("model_output", .array([])), ("trace_id", .string("")),
                ("source_payload", .object(JSONObject([("any", .array([1, "x", .null]))]))),
            ] {
                var variant = object
                variant[name] = replacement
                variants.append(.object(variant))
            }
            for variant in variants {
                let line = variant.serialized()
                var tape = JSONTape()
                try #require(line.withUnsafeBufferPointer { tape.parse($0, projection: projection) })
                let expected = schemas.validator.problems(in: variant, schemaID: schemaID).isEmpty
                #expect(
                    line.withUnsafeBufferPointer { schemas.validator.isValid(tape, line: $0, schemaID: schemaID) }
                        == expected
                )
                if expected {
                    #expect(RecordInterpreter.trace(tape) == RecordInterpreter.trace(variant))
                    seen.valid += 1
                } else {
                    seen.invalid += 1
                }
            }
        }
        #expect(seen.valid > 100 && seen.invalid > 200, "\(seen)")
    }

    @Test("schema verdicts on the tape: those of the problems found on the value, for valid and invalid samples")
    func schemaVerdicts() throws {
        let schemas = try AuditFixtures.schemas()
        let index = try JSONParser().parse(
            Array(Data(contentsOf: AuditFixtures.samples.appendingPathComponent("index.json")))
        )
        var seen = (valid: 0, invalid: 0)
        for sample in index["samples"]?.arrayValue ?? [] {
            guard let path = sample["path"]?.stringValue, let schemaID = sample["schema"]?.stringValue,
                schemaID.contains("/prompttrail/"), path.hasSuffix(".json")
            else { continue }
            let url = AuditFixtures.samples.deletingLastPathComponent().appendingPathComponent(path)
            let bytes = try [UInt8](Data(contentsOf: url))
            guard let value = try? JSONParser().parse(bytes) else { continue }
            let tape = try Self.tape(bytes)
            let expected = schemas.validator.problems(in: value, schemaID: schemaID).isEmpty
            let verdict = bytes.withUnsafeBufferPointer {
                schemas.validator.isValid(tape, line: $0, schemaID: schemaID)
            }
            #expect(verdict == expected, "\(path)")
            // The check the workers resolve once per kind reaches the same verdict.
            let check = try #require(RecordSchemaCheck.resolve(schemas.validator, schemaID: schemaID))
            #expect(bytes.withUnsafeBufferPointer { check.isValid(tape, line: $0) } == expected, "\(path)")
            if expected { seen.valid += 1 } else { seen.invalid += 1 }
        }
        for bytes in try Self.traceLines() {
            let schemaID = RecordKind.trace.schemaID
            let tape = try Self.tape(bytes)
            #expect(bytes.withUnsafeBufferPointer { schemas.validator.isValid(tape, line: $0, schemaID: schemaID) })
            seen.valid += 1
        }
        #expect(seen.valid > 50 && seen.invalid > 10, "\(seen)")
        // A schema that is not in the set makes every record invalid, as its problem says.
        let empty = Array("{}".utf8)
        let tape = try Self.tape(empty)
        #expect(!empty.withUnsafeBufferPointer { schemas.validator.isValid(tape, line: $0, schemaID: "urn:missing") })
        let missing = try #require(RecordSchemaCheck.resolve(schemas.validator, schemaID: "urn:missing"))
        #expect(!empty.withUnsafeBufferPointer { missing.isValid(tape, line: $0) })
        // Without a validator there is nothing to check: any JSON is accepted.
        #expect(RecordSchemaCheck.resolve(nil, schemaID: RecordKind.trace.schemaID) == nil)
    }

    /// A validator that implements only `problems(in:schemaID:)` and refuses numbers written with an exponent,
    /// which only their written text shows.
    struct ExponentRefusingValidator: ArchiveRecordValidator {
        func problems(in record: JSONValue, schemaID: String) -> [RecordIssue] {
            guard case .object(let object) = record else { return [] }
            for (name, value) in object where value.serialized().contains(where: { $0 | 0x20 == UInt8(ascii: "e") }) {
                if case .number = value {
                    return [RecordIssue(instanceLocation: "/" + name, message: "written with an exponent")]
                }
            }
            return []
        }
    }

    @Test("a validator that implements only problems(in:): the same verdict on the tape, numbers as written")
    func defaultVerdict() throws {
        let validator = ExponentRefusingValidator()
        for (text, valid) in [(#"{"n":100}"#, true), (#"{"n":1e2}"#, false), (#"{"n":1E2,"s":"e"}"#, false)] {
            let bytes = Array(text.utf8)
            let tape = try Self.tape(bytes)
            let verdict = bytes.withUnsafeBufferPointer { validator.isValid(tape, line: $0, schemaID: "any") }
            #expect(verdict == valid, "\(text)")
            #expect(verdict == validator.problems(in: try JSONParser().parse(bytes), schemaID: "any").isEmpty)
            // Resolved once for many lines, the validator is still the one asked.
            let check = try #require(RecordSchemaCheck.resolve(validator, schemaID: "any"))
            #expect(bytes.withUnsafeBufferPointer { check.isValid(tape, line: $0) } == valid, "\(text)")
        }
    }
}
