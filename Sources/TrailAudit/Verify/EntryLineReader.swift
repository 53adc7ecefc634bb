public import TrailArchive
import TrailJSON

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
    private let reader: SafeArchiveReader
    private let maxLineLength: Int
    private let observe: (UnsafeRawBufferPointer) -> Void
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false
    /// The number of the last line returned (0 before the first).
    public private(set) var number = 0

    /// Reads the current entry of `reader` line by line.
    ///
    /// - Parameters:
    ///   - reader: a safe reader positioned on the entry (just after ``SafeArchiveReader/nextEntry()``).
    ///   - maxLineLength: the longest line accepted, in bytes.
    ///   - observe: called with every chunk of the entry's data, in order, before its lines are returned.
    public init(
        _ reader: SafeArchiveReader,
        maxLineLength: Int = 64 << 20,
        observe: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
    ) {
        self.reader = reader
        self.maxLineLength = maxLineLength
        self.observe = observe
        buffer.reserveCapacity(1 << 20)
    }

    /// Calls `body` with the next line, without its `\n` (and `\r`), and its 1-based number; blank lines are
    /// returned too.
    ///
    /// - Parameter body: receives the line number and the line's bytes (valid only during the call).
    /// - Returns: what `body` returned, or `nil` at the end of the entry.
    /// - Throws: what `body` throws, ``AuditError/invalidOption(_:)`` for a line longer than the limit, or
    ///   ``TrailArchive/ArchiveError`` when the archive is corrupt or over its limits.
    public func next<Result>(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result? {
        while true {
            if let newline = findNewline() {
                number += 1
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let lineStart = start
                start = newline + 1
                return try buffer.withUnsafeBufferPointer {
                    try body(number, UnsafeBufferPointer(rebasing: $0[lineStart..<end]))
                }
            }
            if ended {
                guard start < buffer.count else { return nil }
                number += 1
                let lineStart = start
                start = buffer.count
                return try buffer.withUnsafeBufferPointer {
                    try body(number, UnsafeBufferPointer(rebasing: $0[lineStart...]))
                }
            }
            guard buffer.count - start <= maxLineLength else {
                throw AuditError.invalidOption("line \(number + 1) is longer than \(maxLineLength) bytes")
            }
            try fill()
        }
    }

    /// The next lines, up to about `maxBytes` bytes or `maxLines` lines, copied out with their numbers;
    /// empty at the end of the entry.
    func nextBatch(maxBytes: Int, maxLines: Int) throws -> [NDJSONLine] {
        var lines: [NDJSONLine] = []
        var bytes = 0
        while bytes < maxBytes && lines.count < maxLines,
            let line = try next({ number, bytes in NDJSONLine(number: number, bytes: Array(bytes)) })
        {
            bytes += line.bytes.count + 1
            lines.append(line)
        }
        return lines
    }

    private func findNewline() -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBytes { bytes -> Int? in
            guard let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) else { return nil }
            return bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }

    private func fill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: 1 << 20))
        let count = try buffer.withUnsafeMutableBytes { bytes in
            try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[old...]))
        }
        buffer.removeLast((1 << 20) - count)
        if count == 0 {
            ended = true
        } else {
            buffer.withUnsafeBytes { observe(UnsafeRawBufferPointer(rebasing: $0[old..<(old + count)])) }
        }
    }
}
