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
    /// How far a refill reads ahead (lines, and bytes of lines), and the lines of one chunk handed to a worker.
    struct ReadAhead: Sendable {
        var lines = 16384
        var bytes = 16 << 20
        var chunk = 256
    }

    struct Item: Sendable, Hashable {
        var line: Int
        var record: LineageRecord?
        var findings: [VerificationFinding] = []
    }

    private let reader: SafeArchiveReader
    /// The threads that check lines, kept for every refill; `nil` with one job.
    private let workers: OrderedWorkers<[Item]>?
    private var lines: EntryLineReader?
    private var peeked: Item?
    private var done = false
    private var buffered: [Item] = []
    private var head = 0
    private var readError: (any Error)?
    private(set) var findings: [VerificationFinding] = []

    private let readAhead: ReadAhead

    init(file: ArchiveFile, limits: ArchiveLimits, jobs: Int = 1, readAhead: ReadAhead = ReadAhead()) throws {
        self.readAhead = readAhead
        // The verifier's main pass checks every name with the tar headers; this reader need not.
        reader = try SafeArchiveReader(file: file, limits: limits, checksTarHeaders: false)
        workers = jobs > 1 ? OrderedWorkers(count: jobs, stackSize: OrderedParallelMap.stackSize) : nil
        while let entry = try reader.nextEntry() {
            if entry.path == BagLayout.lineage {
                lines = EntryLineReader(reader, observe: { _ in })
                return
            }
        }
        done = true
    }

    deinit { workers?.shutDown() }

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

    /// Reads the next lines, as far as ``ReadAhead`` allows, and checks them on the worker threads: lines are
    /// read in chunks on this thread while the workers check the chunks read before.
    private func refill(schemas: AuditSchemas?) {
        buffered.removeAll(keepingCapacity: true)
        head = 0
        guard !done, readError == nil, let lines else { return }
        let validator = schemas?.validator
        var read = (lines: 0, bytes: 0)
        let limit = readAhead
        let produce = { () -> [NDJSONLine]? in
            var chunk: [NDJSONLine] = []
            guard !self.done, self.readError == nil else { return nil }
            do {
                while chunk.count < limit.chunk && read.lines < limit.lines && read.bytes < limit.bytes {
                    guard let line = try lines.next({ NDJSONLine(number: $0, bytes: Array($1)) }) else {
                        self.done = true
                        self.reader.close()
                        break
                    }
                    chunk.append(line)
                    read.lines += 1
                    read.bytes += line.bytes.count
                }
            } catch {
                self.readError = error
            }
            return chunk.isEmpty ? nil : chunk
        }
        let transform = { @Sendable (lines: [NDJSONLine]) -> [Item] in
            var tape = JSONTape()
            return lines.map { Self.check($0, validator: validator, tape: &tape) }
        }
        // `produce` records a read error instead of throwing it, and `consume` does not throw.
        if let workers {
            try? OrderedParallelMap.run(on: workers, produce: produce, transform: transform) { buffered += $0 }
        } else {
            try? OrderedParallelMap.run(workers: 1, produce: produce, transform: transform) { buffered += $0 }
        }
    }

    /// Checks one line: a valid record on `tape`, anything else again in full, to describe its problems.
    private static func check(
        _ line: NDJSONLine,
        validator: (any ArchiveRecordValidator)?,
        tape: inout JSONTape
    ) -> Item {
        let number = line.number
        if tape.parseValid(line.bytes, schemaID: RecordKind.lineage.schemaID, validator: validator) {
            return Item(line: number, record: LineageRecord(tape))
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
