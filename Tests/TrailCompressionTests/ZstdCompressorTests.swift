import Foundation
import Testing
import TrailCompression

/// Frames from ``ZstdCompressor`` decoded by the reference `zstd` program, an independent reader.
@Suite("ZstdCompressor")
struct ZstdCompressorTests {
    /// Decodes a zstd frame with `zstd -dc`.
    private func decode(_ frame: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zstd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("frame.zst")
        let output = directory.appendingPathComponent("plain")
        try Data(frame).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zstd", "-q", "-dc", input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "zstd could not decode the frame")
        return Array(try Data(contentsOf: output))
    }

    @Test("frames decode to their input with the reference zstd, at every level, one context for many blocks")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let text = Array(String(repeating: "prompt version 東京 naïve ", count: 4000).utf8)
        let noise = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for level in [1, 3, 19] {
            let compressor = try ZstdCompressor(level: level)
            for block in [[], [0x41], text, noise, text] as [[UInt8]] {
                let frame = try compressor.compress(block)
                #expect(Array(frame.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD], "a zstd frame starts with its magic")
                #expect(try decode(frame) == block)
            }
        }
    }

    @Test("the same input and level give the same bytes; text shrinks; levels are clamped to 1...19")
    func deterministic() throws {
        let text = Array(String(repeating: "reviewed trace output ", count: 2000).utf8)
        let first = try ZstdCompressor(level: 3).compress(text)
        #expect(try ZstdCompressor(level: 3).compress(text) == first)
        #expect(first.count < text.count / 10)
        #expect(try ZstdCompressor(level: 0).level == 1)
        #expect(try ZstdCompressor(level: 40).level == 19)
    }

    @Test("a checksum only when asked (the frame header says so, zstd checks it); levels to 22 only with ultra")
    func checksumAndUltra() throws {
        let text = Array(String(repeating: "lineage line ", count: 500).utf8)
        let plain = try ZstdCompressor(level: 3).compress(text)
        let summed = try ZstdCompressor(level: 3, checksum: true).compress(text)
        #expect(plain[4] & 0x04 == 0, "no content checksum by default")
        #expect(summed[4] & 0x04 != 0, "the frame header announces the checksum")
        #expect(summed.count == plain.count + 4, "a 4-byte checksum ends the frame")
        #expect(try decode(summed) == text)
        #expect(try ZstdCompressor(level: 40, ultra: true).level == 22)
        #expect(try decode(try ZstdCompressor(level: 22, ultra: true).compress(text)) == text)
    }
}
