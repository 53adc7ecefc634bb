import Crypto
import Foundation
import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema

/// A second reader over the same archive, positioned on `data/lineage.jsonl`, yielding its lines in order.
///
/// Lines are read ahead in batches whose parsing and validation run on `jobs` threads; each line's findings
/// are recorded when the line is handed out, and a read error is thrown only once the lines before it have
/// been handed out, so callers see what a line-by-line reader would show.
final class LineageCursor {
    struct Item: Sendable {
        var line: Int
        var record: LineageRecord?
        var findings: [VerificationFinding] = []
    }

    private let reader: SafeArchiveReader
    private let jobs: Int
    private var lines: EntryLineReader?
    private var peeked: Item?
    private var done = false
    private var buffered: [Item] = []
    private var head = 0
    private var readError: (any Error)?
    private(set) var findings: [VerificationFinding] = []

    init(file: ArchiveFile, limits: ArchiveLimits, jobs: Int = 1) throws {
        // The verifier's main pass checks every name with the tar headers; this reader need not.
        reader = try SafeArchiveReader(file: file, limits: limits, checksTarHeaders: false)
        self.jobs = jobs
        while let entry = try reader.nextEntry() {
            if entry.path == BagLayout.lineage {
                lines = EntryLineReader(reader, observe: { _ in })
                return
            }
        }
        done = true
    }

    func peek(schemas: AuditSchemas?) throws -> Item? {
        if peeked == nil { peeked = try read(schemas: schemas) }
        return peeked
    }

    func next(schemas: AuditSchemas?) throws -> Item? {
        if let item = peeked {
            peeked = nil
            return item
        }
        return try read(schemas: schemas)
    }

    private func read(schemas: AuditSchemas?) throws -> Item? {
        if head == buffered.count { refill(schemas: schemas) }
        if head < buffered.count {
            let item = buffered[head]
            head += 1
            findings += item.findings
            return item
        }
        if let error = readError {
            readError = nil
            throw error
        }
        return nil
    }

    /// Reads the next batch of lines and checks them on the worker threads.
    private func refill(schemas: AuditSchemas?) {
        buffered.removeAll(keepingCapacity: true)
        head = 0
        guard !done, readError == nil, let lines else { return }
        var batch: [NDJSONLine] = []
        do {
            while batch.count < 4096 {
                guard let line = try lines.next({ number, bytes in NDJSONLine(number: number, bytes: Array(bytes)) })
                else {
                    done = true
                    reader.close()
                    break
                }
                batch.append(line)
            }
        } catch {
            readError = error
        }
        let validator = schemas?.validator
        let chunk = max(64, (batch.count + 4 * jobs - 1) / (4 * jobs))
        var start = 0
        try? OrderedParallelMap.run(
            workers: jobs,
            produce: { () -> ArraySlice<NDJSONLine>? in
                guard start < batch.count else { return nil }
                defer { start += chunk }
                return batch[start..<min(start + chunk, batch.count)]
            },
            transform: { lines in
                var tape = JSONTape()
                return lines.map { Self.check($0, validator: validator, tape: &tape) }
            },
            consume: { buffered += $0 }
        )
    }

    /// Checks one line: a valid record on `tape`, anything else again in full, to describe its problems.
    private static func check(
        _ line: NDJSONLine,
        validator: (any ArchiveRecordValidator)?,
        tape: inout JSONTape
    ) -> Item {
        let number = line.number
        if line.bytes.withUnsafeBufferPointer({ tape.parse($0) }),
            validator?.isValid(tape, schemaID: RecordKind.lineage.schemaID) ?? true
        {
            return Item(line: number, record: LineageRecord(tape.value(at: 0)))
        }
        guard let value = try? JSONParser().parse(line.bytes) else {
            return Item(
                line: number,
                record: nil,
                findings: [VerificationFinding(.records, entry: BagLayout.lineage, line: number, message: "not JSON")]
            )
        }
        let findings = (validator?.problems(in: value, schemaID: RecordKind.lineage.schemaID) ?? []).map { problem in
            VerificationFinding(
                .records,
                entry: BagLayout.lineage,
                line: number,
                message: "\(problem) (lineage schema)"
            )
        }
        return Item(line: number, record: LineageRecord(value), findings: findings)
    }
}
