import Foundation
import Testing
import TrailCompression
import TrailJSON
import TrailTestSupport

@Suite("NDJSON reader")
struct NDJSONReaderTests {
    static func lines(
        _ bytes: [UInt8],
        options: NDJSONReader.Options = .init(),
        decompression: [NDJSONDecompression] = [.gzip]
    ) throws -> [NDJSONLine] {
        let directory = try TemporaryDirectory()
        let url = directory.appending("data.ndjson")
        try Data(bytes).write(to: url)
        let reader = try NDJSONReader(path: url.path, options: options, decompression: decompression)
        var result: [NDJSONLine] = []
        while let line = try reader.next() { result.append(line) }
        return result
    }

    @Test("splits LF and CRLF lines, keeps a last line without a break, counts skipped blank lines")
    func lineEnds() throws {
        let text = "{\"a\":1}\r\n\n  \n{\"a\":2}\n{\"a\":3}"
        let lines = try Self.lines(Array(text.utf8))
        #expect(lines.map(\.number) == [1, 4, 5])
        #expect(lines.map { String(decoding: $0.bytes, as: UTF8.self) } == ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"])
        let reported = try Self.lines(Array(text.utf8), options: .init(blankLines: .report))
        #expect(reported.map(\.number) == [1, 2, 3, 4, 5])
        #expect(reported[1].isBlank && reported[2].isBlank)
    }

    @Test("reads across chunk boundaries with bounded chunks")
    func chunks() throws {
        var text = ""
        for index in 0..<5_000 {
            text += "{\"index\":\(index),\"pad\":\"\(String(repeating: "x", count: index % 97))\"}\n"
        }
        let lines = try Self.lines(Array(text.utf8), options: .init(chunkSize: 4096))
        #expect(lines.count == 5_000)
        for (position, line) in lines.enumerated() {
            #expect(try JSONValue(parsing: line.bytes)["index"]?.intValue == position)
        }
    }

    @Test("decompresses gzip transparently and reports truncation")
    func gzip() throws {
        let text = (1...1_000).map { "{\"n\":\($0)}" }.joined(separator: "\n") + "\n"
        let compressed = try Gzip.compress(Array(text.utf8))
        let lines = try Self.lines(compressed, options: .init(chunkSize: 4096))
        #expect(lines.count == 1_000)
        #expect(lines.last?.bytes == Array("{\"n\":1000}".utf8))
        #expect(throws: JSONParseError.self) { try Self.lines(Array(compressed.dropLast(20))) }
    }

    @Test("without a decompression form, gzip bytes are read as they are, not decoded")
    func noDecompression() throws {
        let compressed = try Gzip.compress(Array("{\"n\":1}\n".utf8))
        let lines = try Self.lines(compressed, decompression: [])
        #expect(lines.first?.bytes.starts(with: [0x1F, 0x8B]) == true)
    }

    @Test("fails on a line over the limit, naming the line")
    func lineTooLong() throws {
        let text = "{}\n" + String(repeating: "x", count: 20_000) + "\n{}\n"
        let error = try #require(throws: JSONParseError.self) {
            try Self.lines(Array(text.utf8), options: .init(maxLineLength: 10_000, chunkSize: 4096))
        }
        #expect(error.code == .lineTooLong)
        #expect(error.line == 2)
    }

    @Test("reports a missing file as an I/O error")
    func missingFile() throws {
        let error = try #require(throws: JSONParseError.self) { try NDJSONReader(path: "/no/such/file.ndjson") }
        #expect(error.code == .io)
        #expect(error.message.contains("/no/such/file.ndjson"))
    }

    @Test("batches lines for parallel work")
    func batches() throws {
        let directory = try TemporaryDirectory()
        let url = directory.appending("data.ndjson")
        try Data((1...100).map { "[\($0)]\n" }.joined().utf8).write(to: url)
        let reader = try NDJSONReader(path: url.path)
        var numbers: [Int] = []
        while case let batch = try reader.nextBatch(maxLines: 30), !batch.isEmpty {
            #expect(batch.count <= 30)
            numbers += batch.map(\.number)
        }
        #expect(numbers == Array(1...100))
    }

    @Test("blocks hold the same lines as single reads, across chunk boundaries and for lines longer than a chunk")
    func blocks() throws {
        var text = ""
        for index in 0..<3_000 {
            // Every 500th line is longer than a read chunk; some lines are blank or end in CRLF.
            let padding = index % 500 == 499 ? 10_000 : index % 61
            text += "{\"index\":\(index),\"pad\":\"\(String(repeating: "é", count: padding))\"}"
            text += index % 7 == 0 ? "\r\n" : "\n"
            if index % 11 == 0 { text += "  \n" }
        }
        text += "{\"last\":true}"
        let directory = try TemporaryDirectory()
        let url = directory.appending("data.ndjson")
        try Data(text.utf8).write(to: url)
        let expected = try Self.lines(Array(text.utf8), options: .init(chunkSize: 4096))

        let reader = try NDJSONReader(path: url.path, options: .init(chunkSize: 4096))
        var lines: [NDJSONLine] = []
        var blocks = 0
        while case let block = try reader.nextBlock(maxBytes: 8192, maxLines: 100), !block.isEmpty {
            #expect(block.lines.count <= 100)
            var viewed: [NDJSONLine] = []
            block.forEachLine { number, bytes in viewed.append(NDJSONLine(number: number, bytes: Array(bytes))) }
            #expect(viewed == block.separateLines)
            var lastFirst: [NDJSONLine] = []
            block.forEachLine(lastFirst: true) { number, bytes in
                lastFirst.append(NDJSONLine(number: number, bytes: Array(bytes)))
            }
            #expect(lastFirst == viewed.reversed())
            lines += viewed
            blocks += 1
        }
        #expect(blocks > 30)
        #expect(lines == expected)
        #expect(lines.last?.bytes == Array("{\"last\":true}".utf8))
        #expect(try reader.nextBlock().isEmpty)
    }

    @Test("a block stops after the line that reaches the byte limit, and reports blank lines by policy")
    func blockLimits() throws {
        let directory = try TemporaryDirectory()
        let url = directory.appending("data.ndjson")
        try Data("[1]\n\n[22]\n[333]\n".utf8).write(to: url)
        let reader = try NDJSONReader(path: url.path, options: .init(blankLines: .report))
        let first = try reader.nextBlock(maxBytes: 5)
        #expect(first.lines.map(\.number) == [1, 2])
        #expect(first.separateLines.map(\.bytes) == [Array("[1]".utf8), []])
        let second = try reader.nextBlock()
        #expect(second.lines.map(\.number) == [3, 4])
        #expect(second.separateLines.map(\.bytes) == [Array("[22]".utf8), Array("[333]".utf8)])
        #expect(try reader.nextBlock().isEmpty)
    }

    @Test("blocks share the reader's buffer: lines from one read each, the same lines as next() reads")
    func sharedBlocks() throws {
        let directory = try TemporaryDirectory()
        let url = directory.appending("data.ndjson")
        // Lines of 1 to 300 bytes over reads of 4,096, and every 50th of 5,000: lines cross reads, some longer
        // than a read.
        var text = ""
        var length = 1
        for number in 0..<1000 {
            let size = number % 50 == 49 ? 5000 : length
            text += "\"" + String(repeating: "x", count: size) + "\"" + (number % 7 == 0 ? "\r\n" : "\n")
            if number % 11 == 0 { text += "  \n" }
            length = (length * 37 + 11) % 300 + 1
        }
        text += "\"last\""
        try Data(text.utf8).write(to: url)
        for policy in [NDJSONReader.BlankLinePolicy.skip, .report] {
            let options = NDJSONReader.Options(blankLines: policy, chunkSize: 4096)
            let expected = try Self.lines(Array(text.utf8), options: options)
            let reader = try NDJSONReader(path: url.path, options: options)
            var lines: [NDJSONLine] = []
            var previous = NDJSONBlock()
            var shared = 0
            while true {
                let block = try reader.nextBlock(maxBytes: 10_000, maxLines: 5)
                if block.isEmpty { break }
                #expect(block.lines.count <= 5)
                // A block's bytes are a whole read (and what was left of the one before), not a copy of its lines.
                #expect(block.bytes.count >= block.lines.map { $0.range.count }.reduce(0, +))
                // The same memory as the block before (kept alive, so its address is not reused).
                let address = block.bytes.withUnsafeBufferPointer { $0.baseAddress }
                if address == previous.bytes.withUnsafeBufferPointer({ $0.baseAddress }) { shared += 1 }
                previous = block
                lines += block.separateLines
            }
            #expect(lines == expected, "\(policy)")
            #expect(shared > 10)
        }
    }
}
