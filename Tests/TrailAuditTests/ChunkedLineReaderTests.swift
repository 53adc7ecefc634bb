import Testing
import TrailJSON

@testable import TrailAudit

/// The verifier's main pass cuts record lines out of the prefetcher's chunks without copying them; the lines
/// must be those ``EntryLineReader`` reads from the same bytes, however the chunks fall.
@Suite("Chunked line reader")
struct ChunkedLineReaderTests {
    /// A seeded generator (SplitMix64), so that a failing case can be run again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    /// Text of short, blank, long and `\r\n`-ended lines, with or without a last line break.
    static func text(_ random: inout Seeded) -> [UInt8] {
        var text: [UInt8] = []
        for _ in 0..<Int.random(in: 0...40, using: &random) {
            switch Int.random(in: 0..<7, using: &random) {
            case 0: text += Array("{\"a\":1}\n".utf8)
            case 1: text += Array("\n".utf8)
            case 2: text += Array("  \t\r\n".utf8)
            case 3: text += Array("{\"b\":\"x\"}\r\n".utf8)
            case 4:
                text += [UInt8](repeating: UInt8(ascii: "y"), count: Int.random(in: 100...900, using: &random)) + [0x0A]
            case 5: text += Array("\r".utf8)
            default: text += Array("z".utf8)
            }
        }
        return text
    }

    /// `text` cut into chunks of random sizes.
    static func chunks(_ text: [UInt8], _ random: inout Seeded) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var start = 0
        let most = [1, 3, 16, 200, 5000].randomElement(using: &random)!
        while start < text.count {
            let end = min(text.count, start + Int.random(in: 1...most, using: &random))
            chunks.append(Array(text[start..<end]))
            start = end
        }
        return chunks
    }

    /// The lines ``EntryLineReader`` reads from `text`.
    static func expected(_ text: [UInt8]) throws -> [NDJSONLine] {
        var offset = 0
        let reader = EntryLineReader(
            read: { buffer in
                let count = min(buffer.count, text.count - offset, 777)
                text.withUnsafeBytes {
                    buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count)
                }
                offset += count
                return count
            },
            archive: "a.tar",
            entry: "data/x.jsonl"
        )
        var lines: [NDJSONLine] = []
        while let line = try reader.next({ NDJSONLine(number: $0, bytes: Array($1)) }) { lines.append(line) }
        return lines
    }

    /// A reader over `chunks`, and a way to tell whether a block's bytes are one of the chunks themselves.
    final class Source {
        let chunks: [[UInt8]]
        var taken = 0
        var addresses: Set<UnsafeRawPointer> = []

        init(_ chunks: [[UInt8]]) { self.chunks = chunks }

        func next() -> [UInt8]? {
            guard taken < chunks.count else { return nil }
            defer { taken += 1 }
            chunks[taken].withUnsafeBytes { _ = addresses.insert($0.baseAddress!) }
            return chunks[taken]
        }

        func isChunk(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { $0.baseAddress.map(addresses.contains) ?? false }
        }
    }

    @Test("the lines of EntryLineReader, wherever the chunks end, in blocks that share the chunks", arguments: 0..<64)
    func sameLines(seed: UInt64) throws {
        var random = Seeded(state: seed)
        for _ in 0..<8 {
            let text = Self.text(&random)
            let source = Source(Self.chunks(text, &random))
            let reader = ChunkedLineReader(nextChunk: source.next, archive: "a.tar", entry: "data/x.jsonl")
            let maxLines = [1, 2, 5, 1024].randomElement(using: &random)!
            let maxBytes = [1, 30, 256 << 10].randomElement(using: &random)!
            var lines: [NDJSONLine] = []
            while true {
                let block = try reader.nextBlock(maxBytes: maxBytes, maxLines: maxLines)
                if block.isEmpty { break }
                #expect(block.lines.count <= maxLines)
                // Several lines in a block come from one chunk, which the block holds itself.
                if block.lines.count > 1 { #expect(source.isChunk(block.bytes)) }
                lines += block.separateLines
            }
            #expect(lines == (try Self.expected(text)), "seed \(seed)")
            #expect(source.taken == source.chunks.count)
            #expect(try reader.nextBlock(maxBytes: maxBytes, maxLines: maxLines).isEmpty)
        }
    }

    @Test("a line over the limit, within a chunk or across chunks, is refused by number; the rest can be drained")
    func lineTooLong() throws {
        let text = Array(("{\"a\":1}\n" + String(repeating: "x", count: 100) + "\n{\"b\":2}\n").utf8)
        for size in [16, 1000] {
            let source = Source(Self.chunks(text, size: size))
            let reader = ChunkedLineReader(
                nextChunk: source.next,
                archive: "a.tar",
                entry: "data/x.jsonl",
                maxLineLength: 50
            )
            let first = try reader.nextBlock(maxBytes: 1 << 20, maxLines: 1024)
            #expect(first.separateLines == [NDJSONLine(number: 1, bytes: Array("{\"a\":1}".utf8))])
            Self.expectTooLong(line: 2, entry: "data/x.jsonl") {
                _ = try reader.nextBlock(maxBytes: 1 << 20, maxLines: 1024)
            }
            try reader.drain()
            #expect(source.taken == source.chunks.count)
            #expect(try reader.nextBlock(maxBytes: 1 << 20, maxLines: 1024).isEmpty)
        }
        // At the limit, and a last line without a line break over it.
        let exact = Array((String(repeating: "x", count: 50) + "\r\n" + String(repeating: "y", count: 51)).utf8)
        let source = Source(Self.chunks(exact, size: 7))
        let reader = ChunkedLineReader(nextChunk: source.next, archive: "a.tar", entry: "e", maxLineLength: 50)
        #expect(try reader.nextBlock(maxBytes: 1 << 20, maxLines: 1024).lines.map(\.range.count) == [50])
        Self.expectTooLong(line: 2, entry: "e") { _ = try reader.nextBlock(maxBytes: 1 << 20, maxLines: 1024) }
    }

    /// Expects `body` to refuse line `line` of `entry` as longer than 50 bytes.
    static func expectTooLong(line: Int, entry: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("line \(line) was accepted")
        } catch AuditError.lineTooLong(let archive, let name, let number, let limit) {
            #expect(archive == "a.tar" && name == entry && number == line && limit == 50)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// `text` in chunks of `size` bytes.
    static func chunks(_ text: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: text.count, by: size).map { Array(text[$0..<min(text.count, $0 + size)]) }
    }
}
