import Crypto
import Dispatch
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
/// been handed out, so callers see what a line-by-line reader would show. With more than one job, the next
/// batch is read on a thread of its own while the caller takes the lines of the last one
/// (``startReadingAhead()`` starts the first before any line is asked for).
final class LineageCursor {
    /// How far a refill reads ahead (lines, and bytes of lines), and the lines of one chunk handed to a worker.
    struct ReadAhead: Sendable {
        var lines = 16384
        var bytes = 16 << 20
        var chunk = 256
    }

    struct Item: Sendable, Hashable {
        var line: Int
        /// The line itself, when it passed the lineage schema on a tape (the common case), in the memory of the
        /// lines read with it (no copy of its own). Its record is read from it only when asked for: the verifier
        /// first compares it with the line its trace gives.
        var text: ArraySlice<UInt8>?
        /// The record of a line that did not pass on the tape, read from its parsed value.
        private var parsed: LineageRecord?
        var findings: [VerificationFinding] = []

        /// A line that passed on the tape.
        init(line: Int, text: ArraySlice<UInt8>) {
            self.line = line
            self.text = text
        }

        /// A line that did not pass on the tape, with what could be read from it and its findings.
        init(line: Int, record: LineageRecord?, findings: [VerificationFinding]) {
            self.line = line
            parsed = record
            self.findings = findings
        }

        /// The record the line states, if it is one.
        var record: LineageRecord? {
            guard let text else { return parsed }
            return (try? JSONParser().parse(text)).flatMap(LineageRecord.init)
        }
    }

    /// SHA-256 and size of the entry's data as it is read, for the verifier's checksum of `lineage.jsonl`: the
    /// main pass reads the entry without hashing it, so that hashing its largest entry does not hold up the
    /// traces behind it while the other core waits. Used by one refill at a time.
    private final class RunningDigest: @unchecked Sendable {
        private var hasher = SHA256()
        private var size: Int64 = 0
        /// Set once the entry has been read to its end.
        private(set) var digest: EntryPrefetcher.Digest?

        func update(_ bytes: UnsafeRawBufferPointer) {
            hasher.update(bufferPointer: bytes)
            size += Int64(bytes.count)
        }

        func finish() {
            digest = EntryPrefetcher.Digest(sha256: Hex.string(hasher.finalize()), size: size)
        }
    }

    /// What one refill read: its checked chunks (in the order they were read), whether the entry ended, and
    /// the read error that stopped it.
    private struct Refill: Sendable {
        var chunks: [[Item]] = []
        var ended = false
        var error: (any Error)?
    }

    /// A refill running on a thread of its own; its result is read once, after the thread has finished.
    private final class RefillAhead: @unchecked Sendable {
        private let finished = DispatchSemaphore(value: 0)
        private var result = Refill()

        init(_ body: @escaping @Sendable () -> Refill) {
            let thread = Thread {
                self.result = body()
                self.finished.signal()
            }
            thread.stackSize = OrderedParallelMap.stackSize
            thread.start()
        }

        /// Waits for the thread and takes what it read.
        func wait() -> Refill {
            finished.wait()
            return result
        }
    }

    private let reader: SafeArchiveReader
    private let running = RunningDigest()
    /// The threads that check lines, kept for every refill; `nil` with one job.
    private let workers: OrderedWorkers<[Item]>?
    private var lines: EntryLineReader?
    /// The refill reading ahead, which alone uses ``reader`` and ``lines`` until it is waited for.
    private var ahead: RefillAhead?
    private var peeked: Item?
    private var done = false
    /// The checked lines read ahead, in chunks, both in reverse order (the next chunk, and the next line of a
    /// chunk, last), so that each line is moved out rather than copied.
    private var chunks: [[Item]] = []
    private var current: [Item] = []
    private var readError: (any Error)?
    private(set) var findings: [VerificationFinding] = []

    private let readAhead: ReadAhead
    /// The record validator, for the problems of a line the schema check refuses.
    private let validator: (any ArchiveRecordValidator)?
    /// The lineage schema's check, resolved once.
    private let check: RecordSchemaCheck?

    /// Positions a reader on `data/lineage.jsonl` of `file`; its lines are checked against the lineage schema of
    /// `schemas` (not at all without).
    init(
        file: ArchiveFile,
        limits: ArchiveLimits,
        schemas: AuditSchemas?,
        jobs: Int = 1,
        readAhead: ReadAhead = ReadAhead()
    ) throws {
        self.readAhead = readAhead
        validator = schemas?.validator
        check = RecordSchemaCheck.resolve(validator, schemaID: RecordKind.lineage.schemaID)
        // The verifier's main pass checks every name with the tar headers; this reader need not.
        reader = try SafeArchiveReader(file: file, limits: limits, checksTarHeaders: false)
        workers = jobs > 1 ? OrderedWorkers(count: jobs, stackSize: OrderedParallelMap.stackSize) : nil
        while let entry = try reader.nextEntry() {
            if entry.path == BagLayout.lineage {
                let running = running
                lines = EntryLineReader(reader, observe: { running.update($0) })
                return
            }
        }
        done = true
    }

    deinit {
        _ = ahead?.wait()
        workers?.shutDown()
    }

    /// Starts reading the next lines on a thread of its own, with more than one job, unless a refill is
    /// already under way or the entry is read.
    func startReadingAhead() {
        guard ahead == nil, workers != nil, !done, readError == nil, let lines else { return }
        let transfer = UncheckedTransfer((self.readLines, lines))
        ahead = RefillAhead { transfer.value.0(transfer.value.1) }
    }

    /// The digest of `data/lineage.jsonl`, once it has been read to its end (``next()`` returned `nil`); `nil`
    /// before, or when reading stopped at an error.
    var digest: EntryPrefetcher.Digest? { done ? running.digest : nil }

    func peek() throws -> Item? {
        if peeked == nil { peeked = try read() }
        return peeked
    }

    /// Hands back the line ``next()`` returned last, for the next call to return again.
    func putBack(_ item: Item) {
        precondition(peeked == nil, "only the last line can be put back")
        peeked = item
    }

    func next() throws -> Item? {
        if let item = peeked.take() { return item }
        return try read()
    }

    private func read() throws -> Item? {
        while current.isEmpty {
            if chunks.isEmpty { refill() }
            guard let chunk = chunks.popLast() else { break }
            current = chunk
        }
        if let item = current.popLast() {
            if !item.findings.isEmpty { findings += item.findings }
            return item
        }
        if let error = readError {
            readError = nil
            throw error
        }
        return nil
    }

    /// Takes the lines read ahead, or reads the next lines now, as far as ``ReadAhead`` allows; then starts
    /// reading the ones after them.
    private func refill() {
        chunks.removeAll(keepingCapacity: true)
        var refill = Refill()
        if let ahead = ahead.take() {
            refill = ahead.wait()
        } else if !done, readError == nil, let lines {
            refill = readLines(lines)
        }
        if refill.ended { done = true }
        if let error = refill.error { readError = error }
        chunks = refill.chunks
        chunks.reverse()
        startReadingAhead()
    }

    /// Reads the next lines of `lines` in chunks on the calling thread while the workers check the chunks read
    /// before. Touches no state of the cursor but ``reader`` (closed at the end of the entry), so it can run
    /// on another thread while the caller takes lines already checked.
    private func readLines(_ lines: EntryLineReader) -> Refill {
        let validator = validator
        let check = check
        let reader = reader
        let running = running
        var result = Refill()
        var read = (lines: 0, bytes: 0)
        let limit = readAhead
        let produce = { () -> NDJSONBlock? in
            guard !result.ended, result.error == nil else { return nil }
            var chunk = NDJSONBlock()
            do {
                while chunk.lines.count < limit.chunk && read.lines < limit.lines && read.bytes < limit.bytes {
                    let count = try lines.next { number, line in
                        chunk.append(number: number, line)
                        return line.count
                    }
                    guard let count else {
                        result.ended = true
                        running.finish()
                        reader.close()
                        break
                    }
                    read.lines += 1
                    read.bytes += count
                }
            } catch {
                result.error = error
            }
            return chunk.isEmpty ? nil : chunk
        }
        let transform = { @Sendable (block: NDJSONBlock) -> [Item] in
            var tape = JSONTape()
            var items: [Item] = []
            items.reserveCapacity(block.lines.count)
            // The chunk's items last first, so that lines are taken off its end in file order.
            block.bytes.withUnsafeBufferPointer { buffer in
                for line in block.lines.reversed() {
                    let bytes = UnsafeBufferPointer(rebasing: buffer[line.range])
                    items.append(
                        tape.parseValid(bytes, check: check)
                            ? Item(line: line.number, text: block.bytes[line.range])
                            : Self.refused(line.number, bytes, validator: validator)
                    )
                }
            }
            return items
        }
        // `produce` records a read error instead of throwing it, and `consume` does not throw.
        var chunks: [[Item]] = []
        if let workers {
            try? OrderedParallelMap.run(on: workers, produce: produce, transform: transform) { chunks.append($0) }
        } else {
            try? OrderedParallelMap.run(workers: 1, produce: produce, transform: transform) { chunks.append($0) }
        }
        result.chunks = chunks
        return result
    }

    /// Line `number`, which did not pass the lineage schema on a tape, parsed again in full to describe its
    /// problems.
    private static func refused(
        _ number: Int,
        _ bytes: UnsafeBufferPointer<UInt8>,
        validator: (any ArchiveRecordValidator)?
    ) -> Item {
        guard let value = try? JSONParser().parse(bytes) else {
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
