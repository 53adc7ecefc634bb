import Foundation
import Testing
import TrailCompression

/// Frames from ``ParallelZstdEncoder``, checked and decoded by the reference `zstd` program.
@Suite("ParallelZstdEncoder")
struct ParallelZstdEncoderTests {
    /// Runs `zstd` with `arguments` on `bytes` written to a file; returns its standard output.
    private func zstd(_ arguments: [String], _ bytes: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pzstd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("stream.zst")
        let output = directory.appendingPathComponent("out")
        try Data(bytes).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zstd", "-q"] + arguments + [input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "zstd \(arguments) failed")
        return Array(try Data(contentsOf: output))
    }

    /// Feeds the same writes, frame ends and whole frames to an encoder with `threads` threads.
    private func encode(threads: Int, blockSize: Int) throws -> (frames: [[UInt8]], input: [UInt8], ended: Int) {
        var frames: [[UInt8]] = []
        let encoder = ParallelZstdEncoder(level: 3, threads: threads, blockSize: blockSize) { frames.append($0) }
        var input: [UInt8] = []
        let text = Array(String(repeating: "{\"output\":\"naïve 東京 reply\",\"n\":12345}\n", count: 900).utf8)
        var state: UInt32 = 7
        for round in 0..<40 {
            let count = Int(state % UInt32(text.count))
            state = state &* 1_103_515_245 &+ 12345
            let piece = Array(text[0..<count])
            try piece.withUnsafeBytes { try encoder.write($0) }
            input += piece
            if round % 7 == 0 { try encoder.endFrame() }
            if round % 11 == 0 {
                try encoder.writeFrame(text)
                input += text
            }
        }
        try encoder.endFrame()
        try encoder.endFrame()  // nothing pending: no frame
        try encoder.writeFrame([])  // no bytes: no frame
        try encoder.finish()
        return (frames, input, encoder.framesEnded)
    }

    @Test("the frames are the same for 1, 2 and 4 threads, in order; zstd checks every checksum and decodes the input")
    func deterministicAndDecodable() throws {
        let one = try encode(threads: 1, blockSize: 16 << 10)
        #expect(one.frames.count == one.ended)
        #expect(one.frames.count > 20, "blocks, frame ends and whole frames each make frames")
        for threads in [2, 4] {
            let other = try encode(threads: threads, blockSize: 16 << 10)
            #expect(other.frames == one.frames, "\(threads) threads")
        }
        for frame in one.frames {
            #expect(Array(frame.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD], "each frame starts with zstd's magic")
            // The frame header's descriptor: a content checksum (bit 2) and a content size (single segment or
            // a size field), so `zstd -t` checks each frame on its own.
            #expect(frame[4] & 0x04 != 0)
        }
        let stream = one.frames.flatMap { $0 }
        _ = try zstd(["-t"], stream)
        #expect(try zstd(["-dc"], stream) == one.input)
        // A frame is a stream of its own: the last one decodes to the input's tail.
        let last = try zstd(["-dc"], try #require(one.frames.last))
        #expect(one.input.suffix(last.count) == last[...])
    }

    @Test("a block is cut at the block size; a frame end with nothing pending makes no frame")
    func blocks() throws {
        var frames: [[UInt8]] = []
        let encoder = ParallelZstdEncoder(level: 1, threads: 2, blockSize: 1000) { frames.append($0) }
        let bytes = [UInt8](repeating: 0x61, count: 2500)
        try bytes.withUnsafeBytes { try encoder.write($0) }
        #expect(encoder.framesEnded == 2, "two full blocks are sent once more bytes follow them")
        try encoder.endFrame()
        try encoder.endFrame()
        try encoder.flush()
        #expect(encoder.framesEnded == 3)
        #expect(frames.count == 3)
        #expect(try zstd(["-dc"], frames.flatMap { $0 }) == bytes)
        try encoder.finish()
        #expect(throws: CompressionError.self) { try bytes.withUnsafeBytes { try encoder.write($0) } }
    }
}
