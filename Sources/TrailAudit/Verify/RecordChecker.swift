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
    /// The schema check of `kind`, resolved once.
    let schemaCheck: RecordSchemaCheck?
    /// What of a line is parsed onto the tape.
    let projection: TapeProjection?

    init(kind: RecordKind, validator: (any ArchiveRecordValidator)?) {
        self.kind = kind
        self.validator = validator
        schemaCheck = RecordSchemaCheck.resolve(validator, schemaID: kind.schemaID)
        projection = RecordInterpreter.tapeProjection(for: kind, validator: validator)
    }

    /// Checks a block of lines, in order, with one tape.
    func check(_ block: NDJSONBlock) -> [CheckedRecord] {
        var tape = JSONTape()
        var checked: [CheckedRecord] = []
        checked.reserveCapacity(block.lines.count)
        block.forEachLine { number, bytes in checked.append(check(number, bytes, tape: &tape)) }
        return checked
    }

    /// Checks line `number`. A valid record, the common case, is parsed once onto `tape` and checked there; any
    /// other line is parsed again in full, so that its problems are described as the parser and the evaluator
    /// describe them (the tape's verdict is theirs).
    func check(_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>, tape: inout JSONTape) -> CheckedRecord {
        var result = CheckedRecord(number: number)
        if NDJSONLine.isBlank(bytes) {
            result.isBlank = true
            return result
        }
        if tape.parseValid(bytes, check: schemaCheck, projection: projection) {
            interpret(tape.value(at: 0), trace: { RecordInterpreter.trace(tape) }, into: &result)
            return result
        }
        let value: JSONValue
        do { value = try JSONParser().parse(bytes) } catch {
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
