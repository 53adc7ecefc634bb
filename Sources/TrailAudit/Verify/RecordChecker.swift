import Crypto
import Foundation
import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema

/// What verification learns about one record line from the line alone, computed on a worker thread.
struct CheckedRecord: Sendable {
    /// The 1-based line number.
    var number: Int
    /// Whether the line holds only spaces and tabs.
    var isBlank = false
    /// Why the line is not JSON, if it is not.
    var parseError: String?
    /// The record's schema problems.
    var schemaProblems: [RecordIssue] = []
    /// Hash and shape problems found by ``RecordInterpreter``.
    var recordProblems: [RecordIssue] = []
    /// The facts of a prompt version that ``RecordInterpreter`` accepted.
    var promptVersion: PromptVersionFacts?
    /// The facts of a trace that ``RecordInterpreter`` accepted.
    var trace: TraceFacts?
    /// For a quarantine record, the messages of its errors.
    var quarantineReasons: String?
    /// The facts of an activation line that passed its schema.
    var activation: ActivationFacts?
}

/// The checks of one record line that need nothing but the line: JSON, the schema and the hashes.
/// Immutable, so several threads can use one checker at once.
struct RecordChecker: Sendable {
    let kind: RecordKind
    let validator: (any ArchiveRecordValidator)?
    /// What of a line is parsed onto the tape.
    let projection: TapeProjection?

    init(kind: RecordKind, validator: (any ArchiveRecordValidator)?) {
        self.kind = kind
        self.validator = validator
        projection = RecordInterpreter.tapeProjection(for: kind, validator: validator)
    }

    /// Checks a batch of lines, in order, with one tape.
    func check(_ lines: [NDJSONLine]) -> [CheckedRecord] {
        var tape = JSONTape()
        return lines.map { check($0, tape: &tape) }
    }

    /// Checks one line.
    func check(_ line: NDJSONLine) -> CheckedRecord {
        var tape = JSONTape()
        return check(line, tape: &tape)
    }

    /// Checks one line. A valid record, the common case, is parsed once onto `tape` and checked there; any
    /// other line is parsed again in full, so that its problems are described as the parser and the evaluator
    /// describe them (the tape's verdict is theirs).
    func check(_ line: NDJSONLine, tape: inout JSONTape) -> CheckedRecord {
        var result = CheckedRecord(number: line.number)
        if line.isBlank {
            result.isBlank = true
            return result
        }
        if tape.parseValid(line.bytes, schemaID: kind.schemaID, validator: validator, projection: projection) {
            interpret(tape.value(at: 0), trace: { RecordInterpreter.trace(tape) }, into: &result)
            return result
        }
        let value: JSONValue
        do { value = try line.bytes.withUnsafeBufferPointer { try JSONParser().parse($0) } } catch {
            result.parseError = "\(error)"
            return result
        }
        if let validator { result.schemaProblems = validator.problems(in: value, schemaID: kind.schemaID) }
        interpret(value, trace: { RecordInterpreter.trace(value) }, into: &result)
        return result
    }

    /// Reads the facts of a record whose schema check is done; `trace` reads a trace's (from a tape when it
    /// was checked on one, where `value` is then built only for the other kinds).
    private func interpret(
        _ value: @autoclosure () -> JSONValue,
        trace: () -> Result<TraceFacts, RecordInterpreter.Problems>,
        into result: inout CheckedRecord
    ) {
        switch kind {
        case .promptVersion:
            switch RecordInterpreter.promptVersion(value()) {
            case .success(let facts): result.promptVersion = facts
            case .failure(let problems): result.recordProblems = problems.problems
            }
        case .trace:
            switch trace() {
            case .success(let facts): result.trace = facts
            case .failure(let problems): result.recordProblems = problems.problems
            }
        case .quarantine:
            result.quarantineReasons = AuditPageData.reasons(value())
        case .activation:
            if result.schemaProblems.isEmpty { result.activation = ActivationFacts(value()) }
        default:
            break
        }
    }
}
