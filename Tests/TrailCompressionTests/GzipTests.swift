import Foundation
import Testing
import TrailCompression

@Suite("Gzip")
struct GzipTests {
    /// Deterministic, partly compressible bytes.
    static func sampleBytes(count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        let words = Array("prompt version trace lineage ✓ ".utf8)
        while bytes.count < count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if state >> 62 == 0 {
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            } else {
                bytes.append(contentsOf: words.prefix(count - bytes.count))
            }
        }
        return bytes
    }

    @Test("round-trips data of many sizes", arguments: [0, 1, 100, 65_536, 65_537, 1_000_000])
    func roundTrip(size: Int) throws {
        let original = Self.sampleBytes(count: size)
        let compressed = try Gzip.compress(original)
        #expect(compressed.starts(with: [0x1f, 0x8b]))
        #expect(try Gzip.decompress(compressed) == original)
    }

    @Test("streams in small chunks both ways")
    func chunkedStreaming() throws {
        let original = Self.sampleBytes(count: 300_000)
        let encoder = try GzipEncoder(level: 9)
        var compressed: [UInt8] = []
        for start in stride(from: 0, to: original.count, by: 7_777) {
            compressed += try encoder.update(original[start..<min(start + 7_777, original.count)])
        }
        compressed += try encoder.finish()

        let decoder = try GzipDecoder()
        var restored: [UInt8] = []
        for start in stride(from: 0, to: compressed.count, by: 100) {
            restored += try decoder.update(compressed[start..<min(start + 100, compressed.count)])
        }
        try decoder.finish()
        #expect(restored == original)
    }

    @Test("reads concatenated gzip members as one stream")
    func concatenatedMembers() throws {
        let first = Array("first line\n".utf8)
        let second = Array("second line\n".utf8)
        let joined = try Gzip.compress(first) + Gzip.compress(second)
        #expect(try Gzip.decompress(joined) == first + second)
    }

    @Test("reports a truncated stream")
    func truncated() throws {
        let compressed = try Gzip.compress(Self.sampleBytes(count: 50_000))
        #expect(throws: CompressionError.truncated) {
            try Gzip.decompress(compressed.dropLast(10))
        }
    }

    @Test("reports corrupt data with zlib's explanation")
    func corrupt() throws {
        let error = #expect(throws: CompressionError.self) {
            try Gzip.decompress(Array("this is not gzip".utf8))
        }
        guard case .corruptData(let message) = error else {
            Issue.record("expected corruptData, got \(String(describing: error))")
            return
        }
        #expect(message.contains("header"))
    }

    @Test("stops at the output limit")
    func limit() throws {
        let compressed = try Gzip.compress([UInt8](repeating: 0, count: 1_000_000))
        #expect(throws: CompressionError.limitExceeded(limit: 10_000)) {
            try Gzip.decompress(compressed, limit: 10_000)
        }
    }

    @Test("interoperates with gzip(1) both ways")
    func systemGzip() throws {
        let original = Self.sampleBytes(count: 200_000, seed: 7)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // Ours → gzip -dc.
        let ours = directory.appendingPathComponent("ours.gz")
        try Data(try Gzip.compress(original)).write(to: ours)
        #expect(try Self.run("/usr/bin/env", ["gzip", "-dc", ours.path]) == Data(original))

        // gzip -c → ours.
        let plain = directory.appendingPathComponent("plain.bin")
        try Data(original).write(to: plain)
        let theirs = try Self.run("/usr/bin/env", ["gzip", "-c", "-9", plain.path])
        #expect(try Gzip.decompress(theirs) == original)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data
    }
}
