private import TrailIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line of an NDJSON (JSON Lines) stream.
public struct NDJSONLine: Sendable, Hashable {
    /// The line's 1-based number in the (decompressed) stream; blank lines count.
    public var number: Int
    /// The line's bytes, without the line break (`\n` or `\r\n`).
    public var bytes: [UInt8]

    /// Creates a line.
    ///
    /// - Parameters:
    ///   - number: the 1-based line number.
    ///   - bytes: the content without the line break.
    public init(number: Int, bytes: [UInt8]) {
        self.number = number
        self.bytes = bytes
    }

    /// Whether the line holds only spaces and tabs (or nothing).
    public var isBlank: Bool { Self.isBlank(bytes) }

    /// Whether `bytes` hold only spaces and tabs (or nothing): a blank line.
    ///
    /// - Parameter bytes: a line's content, without the line break.
    /// - Returns: `true` for a blank line.
    @inlinable
    public static func isBlank(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}

/// Consecutive lines of an NDJSON stream in one buffer, so that a batch of lines costs no allocation per line.
/// Made by ``NDJSONReader/nextBlock(maxBytes:maxLines:)``.
public struct NDJSONBlock: Sendable, Hashable {
    /// Where one line lies in ``bytes``.
    public struct Line: Sendable, Hashable {
        /// The line's 1-based number in the (decompressed) stream; blank lines count.
        public var number: Int
        /// The line's bytes in ``NDJSONBlock/bytes``, without the line break.
        public var range: Range<Int>

        /// Creates a line entry.
        ///
        /// - Parameters:
        ///   - number: the 1-based line number.
        ///   - range: where the line's content lies in the block's bytes.
        public init(number: Int, range: Range<Int>) {
            self.number = number
            self.range = range
        }
    }

    /// The memory the lines lie in, at their ``Line/range``s: the lines one after another, or (from
    /// ``NDJSONReader/nextBlock(maxBytes:maxLines:)``) the reader's buffer, shared, with the line breaks and
    /// any bytes before and after the block's lines.
    public var bytes: [UInt8]
    /// The lines, in stream order.
    public var lines: [Line]

    /// Creates an empty block.
    public init() {
        bytes = []
        lines = []
    }

    /// Whether the block holds no line.
    public var isEmpty: Bool { lines.isEmpty }

    /// Appends a copy of line `number`'s bytes.
    ///
    /// - Parameters:
    ///   - number: the line's 1-based number.
    ///   - line: its content, without the line break.
    public mutating func append(number: Int, _ line: UnsafeBufferPointer<UInt8>) {
        let start = bytes.count
        bytes.append(contentsOf: line)
        lines.append(Line(number: number, range: start..<bytes.count))
    }

    /// The lines as separate ``NDJSONLine`` values (one allocation each).
    public var separateLines: [NDJSONLine] {
        lines.map { NDJSONLine(number: $0.number, bytes: Array(bytes[$0.range])) }
    }

    /// Calls `body` with each line's number and bytes, without copying them: in order, or the last line first
    /// (for a caller that collects results to take them off the end of an array in file order).
    ///
    /// - Parameters:
    ///   - lastFirst: whether to start with the last line.
    ///   - body: receives the line number and the line's bytes (valid only during the call).
    /// - Throws: whatever `body` throws.
    public func forEachLine(
        lastFirst: Bool = false,
        _ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBufferPointer { buffer in
            for step in lines.indices {
                let line = lines[lastFirst ? lines.count - 1 - step : step]
                try body(line.number, UnsafeBufferPointer(rebasing: buffer[line.range]))
            }
        }
    }
}

/// Reads an NDJSON stream line by line from a file or file descriptor, plain or compressed, with bounded
/// memory: it reads fixed-size chunks and never holds more than one chunk plus one line.
///
/// Compressed input is decoded only in the forms the caller passes (``NDJSONDecompression``, such as
/// TrailCompression's `.gzip`), recognised by their magic bytes whatever the file is called; otherwise
/// the bytes are read as they are. Lines end at `\n`;
/// a `\r` before it is dropped; the last line needs no line break. Blank lines (empty or only spaces and
/// tabs) are skipped by default but still counted, so line numbers always match the file; with
/// ``BlankLinePolicy/report`` they are returned and the caller decides.
///
/// Not `Sendable`: a reader belongs to one task. To parallelize, read batches with
/// ``nextBatch(maxBytes:maxLines:)`` and hand them to workers.
public final class NDJSONReader {
    /// What to do with blank lines.
    public enum BlankLinePolicy: Sendable, Hashable {
        /// Count them but do not return them (the default).
        case skip
        /// Return them like any other line.
        case report
    }

    /// Reader settings.
    public struct Options: Sendable, Hashable {
        /// The longest line accepted, in bytes; a longer one fails with ``JSONParseError/Code/lineTooLong``.
        public var maxLineLength: Int
        /// What to do with blank lines.
        public var blankLines: BlankLinePolicy
        /// How many bytes to read from the file at a time.
        public var chunkSize: Int

        /// Creates settings.
        ///
        /// - Parameters:
        ///   - maxLineLength: the longest line accepted (64 MiB by default).
        ///   - blankLines: the blank-line policy (skip by default).
        ///   - chunkSize: the read size (1 MiB by default).
        public init(maxLineLength: Int = 64 << 20, blankLines: BlankLinePolicy = .skip, chunkSize: Int = 1 << 20) {
            self.maxLineLength = maxLineLength
            self.blankLines = blankLines
            self.chunkSize = max(4096, chunkSize)
        }
    }

    private let options: Options
    private let name: String
    private var descriptor: Int32
    private let ownsDescriptor: Bool
    private let decompression: [NDJSONDecompression]
    private var decoder: (any NDJSONDecompressor)?
    private var sniffed = false
    private var endOfInput = false
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var lineNumber = 0
    /// Compressed input's read buffer, made on the first read after the input was found compressed (plain
    /// input is read straight into the line buffer).
    private lazy var chunk = [UInt8](repeating: 0, count: options.chunkSize)

    /// The number of (decompressed) bytes consumed so far.
    public private(set) var bytesRead = 0

    /// The number of lines read so far, blank lines skipped by policy included: at the end of the stream, the
    /// number of the last line.
    public var linesRead: Int { lineNumber }

    /// Whether the last line read ended with a line break. At the end of the stream, `false` tells that the
    /// input's last line has no final line break (as `printf '{}'` writes it).
    public private(set) var lastLineEndedWithBreak = false

    /// Opens a file.
    ///
    /// - Parameters:
    ///   - path: the file's path.
    ///   - options: reader settings.
    ///   - decompression: the compressed forms the input may take (recognised by their first bytes);
    ///     none by default, so input is read as it is.
    /// - Throws: ``JSONParseError`` (code ``JSONParseError/Code/io``) when the file cannot be opened.
    public init(path: String, options: Options = Options(), decompression: [NDJSONDecompression] = []) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw JSONParseError(code: .io, message: "cannot open \(path): \(Self.systemMessage())")
        }
        self.descriptor = descriptor
        self.ownsDescriptor = true
        self.options = options
        self.decompression = decompression
        self.name = path
    }

    /// Reads from an open file descriptor (standard input is 0), which stays open afterwards.
    ///
    /// - Parameters:
    ///   - fileDescriptor: a readable descriptor.
    ///   - name: how to name the stream in errors (`<stdin>` by default).
    ///   - options: reader settings.
    ///   - decompression: the compressed forms the input may take; none by default.
    public init(
        fileDescriptor: Int32,
        name: String = "<stdin>",
        options: Options = Options(),
        decompression: [NDJSONDecompression] = []
    ) {
        self.descriptor = fileDescriptor
        self.ownsDescriptor = false
        self.options = options
        self.decompression = decompression
        self.name = name
    }

    deinit {
        close()
    }

    /// Closes the file (when the reader opened it). Idempotent.
    public func close() {
        guard descriptor >= 0 else { return }
        let descriptor = self.descriptor
        self.descriptor = -1
        if ownsDescriptor { _ = Glibc.close(descriptor) }
    }

    /// The next line, or `nil` at the end of the stream.
    ///
    /// - Returns: the line.
    /// - Throws: ``JSONParseError`` with code ``JSONParseError/Code/io`` when reading or decompressing fails,
    ///   or ``JSONParseError/Code/lineTooLong`` for a line over the limit.
    public func next() throws -> NDJSONLine? {
        guard let (number, range) = try nextLineRange() else { return nil }
        return NDJSONLine(number: number, bytes: Array(buffer[range]))
    }

    /// The next lines, up to about `maxBytes` bytes or `maxLines` lines; empty at the end of the stream.
    ///
    /// - Parameters:
    ///   - maxBytes: stop once the batch holds this many bytes.
    ///   - maxLines: stop once the batch holds this many lines.
    /// - Returns: the lines, in order.
    /// - Throws: as ``next()``.
    public func nextBatch(maxBytes: Int = 1 << 20, maxLines: Int = 8192) throws -> [NDJSONLine] {
        var lines: [NDJSONLine] = []
        var bytes = 0
        while bytes < maxBytes && lines.count < maxLines, let line = try next() {
            bytes += line.bytes.count + 1
            lines.append(line)
        }
        return lines
    }

    /// The next lines in one buffer, up to about `maxBytes` bytes or `maxLines` lines; empty at the end of the
    /// stream. The same lines as ``nextBatch(maxBytes:maxLines:)`` returns, with one allocation per block.
    ///
    /// - Parameters:
    ///   - maxBytes: stop once the block holds this many bytes (counting one line break per line).
    ///   - maxLines: stop once the block holds this many lines.
    /// - Returns: the lines, in order.
    /// - Throws: as ``next()``. Lines read before the failure are lost with the block; read smaller blocks
    ///   when that matters.
    ///
    /// The block shares the reader's buffer rather than copying its lines: its lines all come from one read (a
    /// line that needs the next read starts the next block), and the next read goes into a new buffer.
    public func nextBlock(maxBytes: Int = 1 << 20, maxLines: Int = 8192) throws -> NDJSONBlock {
        var block = NDJSONBlock()
        var bytes = 0
        while bytes < maxBytes && block.lines.count < maxLines,
            let (number, range) = try nextLineRange(mayRead: block.lines.isEmpty)
        {
            block.lines.append(NDJSONBlock.Line(number: number, range: range))
            bytes += range.count + 1
        }
        if !block.lines.isEmpty { block.bytes = buffer }
        return block
    }

    /// The next line to return (blank lines skipped by policy), as a range of `buffer` that stays valid until
    /// the buffer is next filled; `nil` at the end of the stream, or, without `mayRead`, when the line is not
    /// all in the buffer yet.
    private func nextLineRange(mayRead: Bool = true) throws -> (Int, Range<Int>)? {
        while true {
            guard let range = try nextRawLine(mayRead: mayRead) else { return nil }
            if options.blankLines == .skip && isBlank(range) { continue }
            return (lineNumber, range)
        }
    }

    private func isBlank(_ range: Range<Int>) -> Bool {
        NDJSONLine.isBlank(buffer[range])
    }

    /// The next line's content as a range of `buffer` (valid until the next fill), counting it in `lineNumber`.
    private func nextRawLine(mayRead: Bool) throws -> Range<Int>? {
        while true {
            if let newline = findNewline() {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let range = start..<end
                start = newline + 1
                scanned = start
                lineNumber += 1
                lastLineEndedWithBreak = true
                return range
            }
            scanned = buffer.count
            if buffer.count - start > options.maxLineLength {
                throw JSONParseError(
                    code: .lineTooLong,
                    message:
                        "\(name): line \(lineNumber + 1) is longer than the limit of \(options.maxLineLength) bytes",
                    line: lineNumber + 1
                )
            }
            if endOfInput {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let range = start..<end
                start = buffer.count
                lineNumber += 1
                lastLineEndedWithBreak = false
                return range
            }
            guard mayRead else { return nil }
            try fill()
        }
    }

    private func findNewline() -> Int? {
        guard scanned < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let base = pointer.baseAddress else { return nil }
            guard let found = memchr(base + scanned, 0x0A, pointer.count - scanned) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Reads the next chunk, decompressing when the stream starts with a configured form's magic bytes, into a
    /// new buffer that starts with the unread bytes of the last one (which blocks may still share).
    private func fill() throws {
        guard let decoder else {
            try readAfterUnread()
            if !sniffed { try sniff() }
            return
        }
        let count = try readChunk()
        if count == 0 {
            endOfInput = true
            try wrapping { try decoder.finish() }
            return
        }
        moveUnreadToNewBuffer(reserving: count)
        try decode(chunk[0..<count], with: decoder)
    }

    /// After the first read: when the input starts with a configured form's magic bytes, what was read is
    /// compressed, and is decoded into a new buffer.
    private func sniff() throws {
        sniffed = true
        guard let form = decompression.first(where: { buffer.count >= $0.magic.count && buffer.starts(with: $0.magic) })
        else { return }
        let decoder = try wrapping { try form.makeDecompressor() }
        self.decoder = decoder
        let compressed = buffer
        buffer = []
        bytesRead = 0
        try decode(compressed[...], with: decoder)
    }

    /// Appends what `decoder` makes of `bytes` to the buffer, fed in slices so that one chunk of a highly
    /// compressed stream stays bounded in memory.
    private func decode(_ bytes: ArraySlice<UInt8>, with decoder: any NDJSONDecompressor) throws {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let end = min(bytes.endIndex, offset + 65_536)
            let output = try wrapping { try decoder.update(bytes[offset..<end]) }
            buffer.append(contentsOf: output)
            bytesRead += output.count
            offset = end
        }
    }

    /// Starts a new buffer with the unread bytes of the current one, with room for `more` bytes after them.
    private func moveUnreadToNewBuffer(reserving more: Int) {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(buffer.count - start + more)
        fresh.append(contentsOf: buffer[start...])
        buffer = fresh
        scanned -= start
        start = 0
    }

    /// Reads the next chunk of plain input straight into a new buffer, after the unread bytes of the current one.
    private func readAfterUnread() throws {
        let unread = buffer.count - start
        var failure: (any Error)?
        let fresh = [UInt8](unsafeUninitializedCapacity: unread + options.chunkSize) { storage, initialized in
            buffer.withUnsafeBufferPointer { old in
                if unread > 0 { storage.baseAddress!.initialize(from: old.baseAddress! + start, count: unread) }
            }
            initialized = unread
            guard descriptor >= 0 else { return }
            do {
                initialized += try FileIO.read(
                    descriptor,
                    into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: storage[unread...])),
                    path: name
                )
            } catch {
                failure = error
            }
        }
        if let error = failure as? SystemCallError {
            throw JSONParseError(code: .io, message: "cannot read \(name): \(error.message)", line: lineNumber + 1)
        } else if let failure {
            throw failure
        }
        buffer = fresh
        scanned -= start
        start = 0
        bytesRead += buffer.count - unread
        if buffer.count == unread { endOfInput = true }
    }

    private func readChunk() throws -> Int {
        guard descriptor >= 0 else { return 0 }
        do {
            return try chunk.withUnsafeMutableBytes { raw in try FileIO.read(descriptor, into: raw, path: name) }
        } catch let error as SystemCallError {
            throw JSONParseError(code: .io, message: "cannot read \(name): \(error.message)", line: lineNumber + 1)
        }
    }

    private func wrapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as JSONParseError {
            throw error
        } catch {
            throw JSONParseError(code: .io, message: "\(name): \(error)", line: lineNumber + 1)
        }
    }

    private static func systemMessage() -> String {
        String(cString: strerror(errno))
    }
}
