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
    /// The line's bytes, without the line break.
    var bytes: [UInt8]
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

    func analyze(_ line: NDJSONLine) -> AnalyzedLine {
        var result = AnalyzedLine(number: line.number, bytes: line.bytes, isBlank: line.isBlank)
        if result.isBlank { return result }
        let value: JSONValue
        do {
            value = try line.bytes.withUnsafeBufferPointer { try JSONParser().parse($0) }
        } catch {
            result.value = .string(String(decoding: line.bytes, as: UTF8.self))
            result.problems = [RecordIssue(instanceLocation: "", keywordLocation: "", message: "not JSON: \(error)")]
            return result
        }
        result.problems = validator.problems(in: value, schemaID: kind.schemaID)
        if result.problems.isEmpty {
            switch kind {
            case .promptVersion:
                result.problems = checkPromptVersion(value, into: &result)
            case .activation:
                if value["project_id"]?.stringValue != project {
                    result.problems = [Self.problem("/project_id", "is not \(project), the project of the file")]
                } else if let facts = ActivationFacts(value) {
                    result.activation = facts
                } else {
                    result.problems = [Self.problem("", "not an activation line")]
                }
            default:
                result.problems = checkTrace(value, into: &result)
            }
        }
        if !result.problems.isEmpty { result.value = value }
        return result
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

    private func checkTrace(_ value: JSONValue, into result: inout AnalyzedLine) -> [RecordIssue] {
        switch RecordInterpreter.trace(value) {
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
    static func record(_ bytes: [UInt8]) -> JSONValue {
        (try? JSONParser().parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
    }

    static func problem(_ location: String, _ message: String) -> RecordIssue {
        RecordIssue(instanceLocation: location, keywordLocation: "", message: message)
    }
}
