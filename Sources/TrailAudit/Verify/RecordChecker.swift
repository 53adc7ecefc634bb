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

    func check(_ line: NDJSONLine) -> CheckedRecord {
        var result = CheckedRecord(number: line.number)
        if line.isBlank {
            result.isBlank = true
            return result
        }
        let value: JSONValue
        do { value = try line.bytes.withUnsafeBufferPointer { try JSONParser().parse($0) } } catch {
            result.parseError = "\(error)"
            return result
        }
        if let validator { result.schemaProblems = validator.problems(in: value, schemaID: kind.schemaID) }
        switch kind {
        case .promptVersion:
            switch RecordInterpreter.promptVersion(value) {
            case .success(let facts): result.promptVersion = facts
            case .failure(let problems): result.recordProblems = problems.problems
            }
        case .trace:
            switch RecordInterpreter.trace(value) {
            case .success(let facts): result.trace = facts
            case .failure(let problems): result.recordProblems = problems.problems
            }
        case .quarantine:
            result.quarantineReasons = AuditPageData.reasons(value)
        case .activation:
            if result.schemaProblems.isEmpty { result.activation = ActivationFacts(value) }
        default:
            break
        }
        return result
    }
}
