public import TrailArchive

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits the current entry of a ``SafeArchiveReader`` into LF-terminated lines, handing every chunk
/// read to `observe` (to hash it) first. Memory: one chunk plus one line. Not `Sendable`.
///
/// The verifier, the provenance look-up and `trail-export`'s archive source read records through it.
public final class EntryLineReader {
    private let readChunk: (UnsafeMutableRawBufferPointer) throws -> Int
    private let archive: String
    private let entry: String
    private let maxLineLength: Int
    private let observe: (UnsafeRawBufferPointer) -> Void
    /// Bytes `start..<end` of `storage` are read and not yet returned; `scanned` is where the search for
    /// the next newline resumes, so a long line is searched once, not once per chunk.
    /// Memory of the reader's own (lending an array's storage would retain and release it for every line).
    private var storage: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var ended = false
    private static let chunk = 1 << 20
    /// The number of the last line returned (0 before the first).
    public private(set) var number = 0

    /// Reads the current entry of `reader` line by line.
    ///
    /// - Parameters:
    ///   - reader: a safe reader positioned on the entry (just after ``SafeArchiveReader/nextEntry()``).
    ///   - maxLineLength: the longest line accepted, in bytes.
    ///   - observe: called with every chunk of the entry's data, in order, before its lines are returned.
    public convenience init(
        _ reader: SafeArchiveReader,
        maxLineLength: Int = 64 << 20,
        observe: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
    ) {
        self.init(
            read: reader.read(into:),
            archive: reader.path,
            entry: reader.currentEntry?.path ?? "?",
            maxLineLength: maxLineLength,
            observe: observe
        )
    }

    /// Reads one entry's data, as `read` hands it over, line by line.
    ///
    /// - Parameters:
    ///   - read: fills a buffer with the entry's next bytes and returns how many; 0 at the end.
    ///   - archive: the archive's path, for errors.
    ///   - entry: the entry's path, for errors.
    ///   - maxLineLength: the longest line accepted, in bytes.
    ///   - observe: called with every chunk of the entry's data, in order, before its lines are returned.
    init(
        read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int,
        archive: String,
        entry: String,
        maxLineLength: Int = 64 << 20,
        observe: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
    ) {
        readChunk = read
        self.archive = archive
        self.entry = entry
        self.maxLineLength = maxLineLength
        self.observe = observe
        storage = .allocate(capacity: 2 * Self.chunk)
    }

    deinit {
        storage.deallocate()
    }

    /// Calls `body` with the next line, without its `\n` (and `\r`), and its 1-based number; blank lines are
    /// returned too.
    ///
    /// - Parameter body: receives the line number and the line's bytes (valid only during the call).
    /// - Returns: what `body` returned, or `nil` at the end of the entry.
    /// - Throws: what `body` throws, ``AuditError/lineTooLong(archive:entry:line:limit:)`` for a line longer
    ///   than the limit (the rest of the entry can still be read with ``drain()``), or
    ///   ``TrailArchive/ArchiveError`` when the archive is corrupt or over its limits.
    public func next<Result>(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result? {
        while true {
            if let newline = findNewline() {
                number += 1
                var lineEnd = newline
                if lineEnd > start, storage[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let lineStart = start
                start = newline + 1
                scanned = start
                return try body(number, UnsafeBufferPointer(rebasing: storage[lineStart..<lineEnd]))
            }
            if ended {
                guard start < end else { return nil }
                number += 1
                let lineStart = start
                let lineEnd = end
                start = end
                scanned = end
                return try body(number, UnsafeBufferPointer(rebasing: storage[lineStart..<lineEnd]))
            }
            guard end - start <= maxLineLength else {
                throw AuditError.lineTooLong(
                    archive: archive,
                    entry: entry,
                    line: number + 1,
                    limit: maxLineLength
                )
            }
            try fill()
        }
    }

    /// Reads the rest of the entry without returning lines (each chunk still goes to `observe`).
    public func drain() throws {
        start = 0
        end = 0
        scanned = 0
        while !ended { try fill() }
        start = 0
        end = 0
    }

    private func findNewline() -> Int? {
        guard scanned < end else { return nil }
        let base = UnsafeRawPointer(storage.baseAddress!)
        guard let found = memchr(base + scanned, 0x0A, end - scanned) else {
            scanned = end
            return nil
        }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Reads the next chunk after the unread bytes, moving them to the front or growing the storage first.
    private func fill() throws {
        if start > 0 {
            let count = end - start
            memmove(storage.baseAddress!, storage.baseAddress! + start, count)
            scanned -= start
            end = count
            start = 0
        }
        if storage.count - end < Self.chunk {
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(
                capacity: storage.count + max(Self.chunk, storage.count)
            )
            larger.baseAddress!.initialize(from: storage.baseAddress!, count: end)
            storage.deallocate()
            storage = larger
        }
        let count = try readChunk(
            UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: storage[end..<(end + Self.chunk)]))
        )
        if count == 0 {
            ended = true
        } else {
            observe(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: storage[end..<(end + count)])))
            end += count
        }
    }
}
