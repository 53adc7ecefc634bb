import Crypto
import Foundation
import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema
import TrailWorkspace

/// What pass 1 learns about one line from the line alone, computed on a worker thread.
struct AnalyzedLine: Sendable {
    /// The 1-based line number.
    var number: Int
    /// The line's bytes, without the line break (a slice of the block it was read in).
    var bytes: ArraySlice<UInt8>
    /// Whether the line holds only spaces and tabs.
    var isBlank: Bool
    /// The record (or, when it is not JSON, the line as a string); kept only when `problems` is not empty.
    var value: JSONValue?
    /// Why the record cannot be archived: parse, schema, hash or layout problems.
    var problems: [RecordIssue] = []
    /// The facts of a valid prompt version.
    var promptVersion: PromptVersionFacts?
    /// The facts of a valid trace.
    var trace: TraceFacts?
    /// The facts of an activation line that passed its checks.
    var activation: ActivationFacts?
}

/// The checks of pass 1 that depend on one line alone: JSON, the record's schema, its hashes, and that it
/// belongs in its file (project and UTC day). Immutable, so several threads can use one analyzer at once.
struct LineAnalyzer: Sendable {
    let kind: RecordKind
    let project: String
    let day: String
    let validator: any ArchiveRecordValidator
    /// The schema check of `kind`, resolved once.
    let schemaCheck: RecordSchemaCheck?
    /// What of a line is parsed onto the tape.
    let projection: TapeProjection?

    init(kind: RecordKind, project: String, day: String, validator: any ArchiveRecordValidator) {
        self.kind = kind
        self.project = project
        self.day = day
        self.validator = validator
        schemaCheck = RecordSchemaCheck.resolve(validator, schemaID: kind.schemaID)
        projection = RecordInterpreter.tapeProjection(for: kind, validator: validator)
    }

    /// Analyzes a block of lines, in order, with one tape.
    func analyze(_ block: NDJSONBlock) -> [AnalyzedLine] {
        var tape = JSONTape()
        return block.lines.map { analyze(number: $0.number, block.bytes[$0.range], tape: &tape) }
    }

    /// Analyzes one line. A valid record, the common case, is parsed once onto `tape` and checked there; any
    /// other line is parsed again in full, so that its problems are described as the parser and the evaluator
    /// describe them (the tape's verdict is theirs), and so that a record kept for the quarantine keeps its
    /// numbers as written.
    func analyze(number: Int, _ bytes: ArraySlice<UInt8>, tape: inout JSONTape) -> AnalyzedLine {
        var result = AnalyzedLine(number: number, bytes: bytes, isBlank: NDJSONLine.isBlank(bytes))
        if result.isBlank { return result }
        let valid = bytes.withUnsafeBufferPointer {
            tape.parseValid($0, check: schemaCheck, projection: projection)
        }
        if valid {
            result.problems = interpret(tape.value(at: 0), trace: { RecordInterpreter.trace(tape) }, into: &result)
            if !result.problems.isEmpty { result.value = Self.record(bytes) }
            return result
        }
        let value: JSONValue
        do {
            value = try bytes.withUnsafeBufferPointer { try JSONParser().parse($0) }
        } catch {
            result.value = .string(String(decoding: bytes, as: UTF8.self))
            result.problems = [RecordIssue(instanceLocation: "", keywordLocation: "", message: "not JSON: \(error)")]
            return result
        }
        result.problems = validator.problems(in: value, schemaID: kind.schemaID)
        if result.problems.isEmpty {
            result.problems = interpret(value, trace: { RecordInterpreter.trace(value) }, into: &result)
        }
        if !result.problems.isEmpty { result.value = value }
        return result
    }

    /// The checks of a record that passed its schema; `trace` reads a trace's facts (from a tape when it was
    /// checked on one, where `value` is then built only for the other kinds).
    private func interpret(
        _ value: @autoclosure () -> JSONValue,
        trace: () -> Result<TraceFacts, RecordInterpreter.Problems>,
        into result: inout AnalyzedLine
    ) -> [RecordIssue] {
        switch kind {
        case .promptVersion:
            return checkPromptVersion(value(), into: &result)
        case .activation:
            let value = value()
            if value["project_id"]?.stringValue != project {
                return [Self.problem("/project_id", "is not \(project), the project of the file")]
            } else if let facts = ActivationFacts(value) {
                result.activation = facts
                return []
            } else {
                return [Self.problem("", "not an activation line")]
            }
        default:
            return checkTrace(trace(), into: &result)
        }
    }

    private func checkPromptVersion(_ value: JSONValue, into result: inout AnalyzedLine) -> [RecordIssue] {
        switch RecordInterpreter.promptVersion(value) {
        case .failure(let problems):
            return problems.problems
        case .success(let facts):
            guard facts.projectID == project else {
                return [Self.problem("/project_id", "is \(facts.projectID) but the file belongs to \(project)")]
            }
            result.promptVersion = facts
            return []
        }
    }

    private func checkTrace(
        _ interpreted: Result<TraceFacts, RecordInterpreter.Problems>,
        into result: inout AnalyzedLine
    ) -> [RecordIssue] {
        switch interpreted {
        case .failure(let problems):
            return problems.problems
        case .success(let facts):
            guard facts.projectID == project else {
                return [Self.problem("/project_id", "is \(facts.projectID) but the file belongs to \(project)")]
            }
            guard RFC3339Timestamp.utcDay(facts.createdAt) == day else {
                return [Self.problem("/created_at", "\(facts.createdAt) is not on \(day), the file's UTC day")]
            }
            result.trace = facts
            return []
        }
    }

    /// The record on a line that parsed once already (as a string if, against expectation, it does not).
    static func record(_ bytes: ArraySlice<UInt8>) -> JSONValue {
        (try? bytes.withUnsafeBufferPointer { try JSONParser().parse($0) })
            ?? .string(String(decoding: bytes, as: UTF8.self))
    }

    static func problem(_ location: String, _ message: String) -> RecordIssue {
        RecordIssue(instanceLocation: location, keywordLocation: "", message: message)
    }
}
