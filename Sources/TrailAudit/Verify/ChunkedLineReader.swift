import TrailJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cuts one entry's data, handed over in whole chunks (``EntryPrefetcher/nextChunk()``), into blocks of lines
/// that share the chunks' memory: a block's ``TrailJSON/NDJSONBlock/bytes`` is the chunk itself, not a copy of
/// its lines. Only a line that runs over the end of a chunk is copied, into a block of its own.
///
/// Lines are what ``EntryLineReader`` returns: they end at `\n`, a `\r` before it is dropped, the last line
/// needs no line break, blank lines are returned and counted. Not `Sendable`: it belongs to one thread.
final class ChunkedLineReader {
    private let nextChunk: () throws -> [UInt8]?
    private let archive: String
    private let entry: String
    private let maxLineLength: Int
    /// The chunk being cut, and where its next line starts.
    private var chunk: [UInt8] = []
    private var start = 0
    private var ended = false
    /// The number of the last line returned (0 before the first).
    private(set) var number = 0

    /// Reads one entry's chunks.
    ///
    /// - Parameters:
    ///   - nextChunk: the entry's next chunk of data, `nil` at its end.
    ///   - archive: the archive's path, for errors.
    ///   - entry: the entry's path, for errors.
    ///   - maxLineLength: the longest line accepted, in bytes.
    init(
        nextChunk: @escaping () throws -> [UInt8]?,
        archive: String,
        entry: String,
        maxLineLength: Int = 64 << 20
    ) {
        self.nextChunk = nextChunk
        self.archive = archive
        self.entry = entry
        self.maxLineLength = maxLineLength
    }

    /// The next lines, up to about `maxBytes` bytes or `maxLines` lines, all from one chunk; or a line that
    /// runs over a chunk's end, alone; empty at the end of the entry.
    ///
    /// - Throws: ``AuditError/lineTooLong(archive:entry:line:limit:)`` for a line longer than the limit (the rest
    ///   of the entry can still be read with ``drain()``), or what `nextChunk` threw (before any line of the
    ///   block is cut, so no line is lost).
    func nextBlock(maxBytes: Int, maxLines: Int) throws -> NDJSONBlock {
        while start == chunk.count {
            guard !ended, let next = try nextChunk() else {
                ended = true
                return NDJSONBlock()
            }
            chunk = next
            start = 0
        }
        var block = NDJSONBlock()
        block.lines.reserveCapacity(min(maxLines, 1024))
        var tooLong = false
        chunk.withUnsafeBufferPointer { bytes in
            var bytesTaken = 0
            while start < bytes.count, block.lines.count < maxLines, bytesTaken < maxBytes {
                let rest = bytes.count - start
                guard let found = memchr(bytes.baseAddress! + start, 0x0A, rest) else { break }
                let newline = UnsafeRawPointer(bytes.baseAddress!).distance(to: UnsafeRawPointer(found))
                var lineEnd = newline
                if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                guard lineEnd - start <= maxLineLength else {
                    tooLong = true
                    break
                }
                number += 1
                block.lines.append(NDJSONBlock.Line(number: number, range: start..<lineEnd))
                bytesTaken += newline + 1 - start
                start = newline + 1
            }
        }
        if !block.isEmpty {
            block.bytes = chunk
            return block
        }
        if tooLong { throw tooLongError() }
        return try carriedLine()
    }

    /// Reads the rest of the entry without cutting lines.
    func drain() throws {
        chunk = []
        start = 0
        while !ended {
            if try nextChunk() == nil { ended = true }
        }
    }

    /// The line that starts at `start` and has no line break in the current chunk, copied together from the
    /// chunks it spans, as a block of its own.
    private func carriedLine() throws -> NDJSONBlock {
        var line = Array(chunk[start...])
        chunk = []
        start = 0
        while true {
            // Past the limit even if a `\r` ends it: the line break has not come yet.
            guard line.count <= maxLineLength + 1 else { throw tooLongError() }
            guard let next = try nextChunk() else {
                // The last line, without a line break.
                ended = true
                guard line.count <= maxLineLength else { throw tooLongError() }
                number += 1
                var block = NDJSONBlock()
                block.lines = [NDJSONBlock.Line(number: number, range: 0..<line.count)]
                block.bytes = line
                return block
            }
            guard let newline = next.firstIndex(of: 0x0A) else {
                line += next
                continue
            }
            line += next[..<newline]
            chunk = next
            start = newline + 1
            var lineEnd = line.count
            if lineEnd > 0, line[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            guard lineEnd <= maxLineLength else { throw tooLongError() }
            number += 1
            var block = NDJSONBlock()
            block.lines = [NDJSONBlock.Line(number: number, range: 0..<lineEnd)]
            block.bytes = line
            return block
        }
    }

    /// The error for the next line, which is longer than the limit.
    private func tooLongError() -> AuditError {
        AuditError.lineTooLong(archive: archive, entry: entry, line: number + 1, limit: maxLineLength)
    }
}
