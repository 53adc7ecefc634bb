import Foundation
import Testing
import TrailCompression

@Suite("Parallel gzip")
struct ParallelGzipEncoderTests {
    static func compress(
        _ bytes: [UInt8],
        threads: Int,
        blockSize: Int = ParallelGzipEncoder.defaultBlockSize,
        chunk: Int = 1 << 20
    ) throws -> [UInt8] {
        var output: [UInt8] = []
        let encoder = ParallelGzipEncoder(level: 6, threads: threads, blockSize: blockSize) { output += $0 }
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            try bytes[offset..<end].withUnsafeBytes { (buffer) throws in try encoder.write(buffer) }
            offset = end
        }
        try encoder.finish()
        return output
    }

    @Test(
        "round-trips across block boundaries, identically for every thread count",
        arguments: [0, 1, 32_767, 131_072, 131_073, 600_001]
    )
    func roundTrip(size: Int) throws {
        let original = GzipTests.sampleBytes(count: size, seed: 11)
        let single = try Self.compress(original, threads: 1)
        #expect(single.starts(with: [0x1F, 0x8B, 8, 0, 0, 0, 0, 0]), "no name, no timestamp")
        #expect(try Gzip.decompress(single) == original)
        for threads in [2, 3, 8] {
            #expect(try Self.compress(original, threads: threads) == single, "\(threads) threads")
        }
        // How the input is handed over (odd chunk sizes) does not change the bytes either.
        #expect(try Self.compress(original, threads: 2, chunk: 4_099) == single)
    }

    @Test("gzip(1) reads the output and checks its CRC and length")
    func systemGzip() throws {
        let original = GzipTests.sampleBytes(count: 1_500_000, seed: 5)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("ours.gz")
        try Data(try Self.compress(original, threads: 2, blockSize: 40_000)).write(to: file)
        #expect(try GzipTests.run("/usr/bin/env", ["gzip", "-dc", file.path]) == Data(original))
        _ = try GzipTests.run("/usr/bin/env", ["gzip", "-t", file.path])
    }

    @Test("compresses about as well as one stream")
    func ratio() throws {
        let original = GzipTests.sampleBytes(count: 2_000_000, seed: 3)
        let blocks = try Self.compress(original, threads: 2)
        let whole = try Gzip.compress(original)
        // Each block restarts its Huffman statistics and ends with a 5-byte sync marker: a few percent at most.
        #expect(Double(blocks.count) <= Double(whole.count) * 1.03, "\(blocks.count) vs \(whole.count)")
    }

    @Test("an output failure is reported, not swallowed")
    func outputFailure() throws {
        struct DiskFull: Error {}
        let encoder = ParallelGzipEncoder(threads: 2, blockSize: 40_000) { _ in throw DiskFull() }
        let bytes = GzipTests.sampleBytes(count: 500_000)
        #expect(throws: DiskFull.self) {
            try bytes.withUnsafeBytes { (buffer) throws in try encoder.write(buffer) }
            try encoder.finish()
        }
    }
}
