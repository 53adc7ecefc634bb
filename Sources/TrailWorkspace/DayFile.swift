private import TrailIO

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Darwin)
    private import Darwin
#endif

/// A held day file opened for a merge that only inserts lines: where the batch's first line goes is found by
/// binary search over its sorted lines, so the lines before it (and those after the batch's last line) are
/// copied in bulk rather than read into memory, split and parsed one by one.
///
/// It reads with `pread` and never moves a file offset, so one descriptor serves every search and copy.
final class DayFile {
    let path: String
    let descriptor: Int32
    /// The file's size when opened.
    let size: Int
    /// Whether the file ends with a line break (or is empty): only then can bytes copied from it be
    /// followed by more lines.
    let endsWithLineBreak: Bool

    /// Bytes read at a time when looking for a line break.
    static let probeSize = 4096

    /// Opens `path`; `nil` when it does not exist.
    init?(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw WorkspaceError.io(operation: "open", path: path, errno: errno)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw WorkspaceError.io(operation: "stat", path: path, errno: code)
        }
        let size = Int(info.st_size)
        var last: UInt8 = 0x0A
        if size > 0 {
            do {
                let count = try WorkspaceError.wrapping {
                    try withUnsafeMutableBytes(of: &last) {
                        try FileIO.read(descriptor, into: $0, at: size - 1, path: path)
                    }
                }
                if count != 1 { last = 0 }
            } catch {
                close(descriptor)
                throw error
            }
        }
        self.path = path
        self.descriptor = descriptor
        self.size = size
        endsWithLineBreak = last == 0x0A
    }

    deinit { close(descriptor) }

    /// The start of the first line for which `isAfter` holds, or ``size`` when none does: the lines must be in
    /// an order in which `isAfter` is false for some first lines and true for all the others.
    ///
    /// Each step reads the line that starts at or after the middle of the range still open (or its first
    /// line, when none starts there), so about log₂(size) lines are read.
    func firstLine(where isAfter: (ArraySlice<UInt8>) throws -> Bool) throws -> Int {
        // Every line starting before `low` is not after; the line at `high` (a line start, or the end) is.
        var low = 0
        var high = size
        while low < high {
            var start = try lineStart(atOrAfter: low + (high - low) / 2)
            if start >= high { start = low }
            let (bytes, next) = try line(at: start)
            if try isAfter(bytes[...]) {
                high = start
            } else {
                low = next
            }
        }
        return low
    }

    /// The start of the first line that begins at or after `offset` (``size`` when none does).
    func lineStart(atOrAfter offset: Int) throws -> Int {
        if offset == 0 { return 0 }
        guard let lineBreak = try nextLineBreak(from: offset - 1) else { return size }
        return lineBreak + 1
    }

    /// The line starting at `offset`, without its line break, and where the next one starts.
    func line(at offset: Int) throws -> (bytes: [UInt8], next: Int) {
        let end = try nextLineBreak(from: offset) ?? size
        var bytes = [UInt8](repeating: 0, count: end - offset)
        try read(into: &bytes, at: offset)
        return (bytes, min(end + 1, size))
    }

    /// Calls `body` with each line from `offset` on (without its line break) and where the next line starts,
    /// until it returns `false` or the file ends.
    func forEachLine(from offset: Int, _ body: (ArraySlice<UInt8>, Int) throws -> Bool) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var bufferStart = offset
        var filled = 0
        var lineStart = 0
        while bufferStart + lineStart < size {
            if let lineBreak = buffer[lineStart..<filled].firstIndex(of: 0x0A) {
                let next = bufferStart + lineBreak + 1
                guard try body(buffer[lineStart..<lineBreak], next) else { return }
                lineStart = lineBreak + 1
                continue
            }
            if bufferStart + filled == size {
                // The last line has no line break.
                _ = try body(buffer[lineStart..<filled], size)
                return
            }
            // Keep the partial line, read more after it (growing the buffer for a line longer than it).
            let kept = filled - lineStart
            if lineStart > 0 {
                buffer.withUnsafeMutableBufferPointer { all in
                    let base = all.baseAddress!
                    base.update(from: base + lineStart, count: kept)
                }
                bufferStart += lineStart
                lineStart = 0
                filled = kept
            }
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let count = min(buffer.count - filled, size - (bufferStart + filled))
            let got = try WorkspaceError.wrapping {
                try buffer.withUnsafeMutableBytes { raw in
                    try FileIO.read(
                        descriptor,
                        into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<(filled + count)]),
                        at: bufferStart + filled,
                        path: path
                    )
                }
            }
            guard got > 0 else { throw WorkspaceError.corrupt(path: path, message: "the file shrank while merged") }
            filled += got
        }
    }

    /// Where the first line break at or after `offset` is; `nil` when there is none.
    private func nextLineBreak(from offset: Int) throws -> Int? {
        var chunk = [UInt8](repeating: 0, count: Self.probeSize)
        var position = offset
        while position < size {
            let count = min(chunk.count, size - position)
            let got = try WorkspaceError.wrapping {
                try chunk.withUnsafeMutableBytes { raw in
                    try FileIO.read(
                        descriptor,
                        into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<count]),
                        at: position,
                        path: path
                    )
                }
            }
            guard got > 0 else { throw WorkspaceError.corrupt(path: path, message: "the file shrank while merged") }
            if let index = chunk[0..<got].firstIndex(of: 0x0A) { return position + index }
            position += got
        }
        return nil
    }

    /// Fills `bytes` from `offset`.
    private func read(into bytes: inout [UInt8], at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let got = try WorkspaceError.wrapping {
                try bytes.withUnsafeMutableBytes { raw in
                    try FileIO.read(
                        descriptor,
                        into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]),
                        at: offset + done,
                        path: path
                    )
                }
            }
            guard got > 0 else { throw WorkspaceError.corrupt(path: path, message: "the file shrank while merged") }
            done += got
        }
    }
}
