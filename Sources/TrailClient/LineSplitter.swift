/// Splits a byte stream into LF-terminated lines; a line is complete only once its `\n` has arrived.
struct LineSplitter {
    let maxLineBytes: Int
    private var pending: [UInt8] = []

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Whether bytes after the last LF are waiting (the stream stopped inside a line).
    var hasPartialLine: Bool { !pending.isEmpty }

    /// Adds a chunk and returns the lines it completes, without their LF (a trailing CR is dropped).
    mutating func push(_ chunk: [UInt8]) throws -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: 0x0A) {
            var line: ArraySlice<UInt8>
            if pending.isEmpty {
                line = chunk[start..<newline]
            } else {
                pending.append(contentsOf: chunk[start..<newline])
                line = pending[...]
                pending = []
            }
            if line.last == 0x0D { line = line.dropLast() }
            lines.append(line)
            start = newline + 1
        }
        pending.append(contentsOf: chunk[start...])
        guard pending.count <= maxLineBytes else { throw LineTooLong(limit: maxLineBytes) }
        return lines
    }
}

/// A JSON Lines line longer than the cap.
struct LineTooLong: Error, CustomStringConvertible {
    let limit: Int
    var description: String { "a line is longer than \(limit) bytes" }
}
