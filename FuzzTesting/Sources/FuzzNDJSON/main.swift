import FuzzSupport
import TrailCompression
import TrailJSON

private enum Scratch {
    static let file = ScratchFile("ndjson")
}

/// The NDJSON reader on arbitrary streams, plain or gzip: the first byte picks gzip (bit 0) and the blank-line
/// policy (bit 1). Reading line by line and block by block must give the same lines and the same error, and
/// every line goes through the parser.
Fuzz.main(fuzzNDJSON)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard !bytes.isEmpty else { return 0 }
    let file = Scratch.file
    let stream = Array(bytes.dropFirst())
    file.write(bytes[0] & 1 == 1 ? Fuzz.compress(stream, filter: 1) : stream)
    let options = NDJSONReader.Options(
        maxLineLength: 4096,
        blankLines: bytes[0] & 2 == 2 ? .report : .skip,
        chunkSize: 4096
    )

    var byLine: [NDJSONLine] = []
    let lineEnd = Result<Void, any Error> {
        let reader = try NDJSONReader(path: file.path, options: options, decompression: [.gzip])
        while let line = try reader.next() {
            _ = try? JSONParser().parse(line.bytes)
            byLine.append(line)
        }
    }
    var byBlock: [NDJSONLine] = []
    let blockEnd = Result<Void, any Error> {
        let reader = try NDJSONReader(path: file.path, options: options, decompression: [.gzip])
        while true {
            let block = try reader.nextBlock(maxBytes: 512, maxLines: 7)
            if block.isEmpty { break }
            block.forEachLine { _, line in _ = try? JSONParser().parse(line) }
            byBlock += block.separateLines
        }
    }
    // A failing block loses the lines read before the failure, so only a clean end must match exactly.
    switch (lineEnd, blockEnd) {
    case (.success, .success) where byLine == byBlock:
        break
    case (.failure(let a), .failure(let b)) where "\(a)" == "\(b)" && byLine.starts(with: byBlock):
        break
    default:
        Fuzz.fail("next() read \(byLine.count) lines (\(lineEnd)), nextBlock() \(byBlock.count) (\(blockEnd))")
    }
    return 0
}
