import Crypto
import Foundation
import Testing
import TrailArchive
import TrailJSON
import TrailTestSupport

@testable import TrailAudit

/// The verifier reads the archive on a thread of its own, which also hashes every entry; what it hands over
/// must be what reading the archive directly shows, in the same order, errors included.
@Suite("Entry prefetcher")
struct EntryPrefetcherTests {
    /// Buffer sizes a reader is asked to fill, in turn: smaller and larger than the prefetcher's chunks.
    static let sizes = [7, 4096, 1 << 20, 1]

    /// What a reader shows: each entry, its data's size and SHA-256 (read with buffers of ``sizes`` in turn), and
    /// the error that ends it. `digest` is the reader's own digest of the entry just read, if it has one.
    static func transcript(
        nextEntry: () throws -> ArchiveEntry?,
        read: (UnsafeMutableRawBufferPointer) throws -> Int,
        digest: () -> EntryPrefetcher.Digest? = { nil }
    ) -> [String] {
        var transcript: [String] = []
        do {
            var turn = 0
            while let entry = try nextEntry() {
                transcript.append("entry \(entry.path)")
                var hasher = SHA256()
                var size = 0
                while true {
                    var buffer = [UInt8](repeating: 0, count: sizes[turn % sizes.count])
                    turn += 1
                    let count = try buffer.withUnsafeMutableBytes { try read($0) }
                    if count == 0 { break }
                    hasher.update(data: buffer[0..<count])
                    size += count
                }
                let sha256 = Hex.string(hasher.finalize())
                if let stated = digest() {
                    #expect(stated == EntryPrefetcher.Digest(sha256: sha256, size: Int64(size)), "\(entry.path)")
                }
                transcript.append("data \(size) \(sha256)")
            }
            transcript.append("end")
        } catch {
            transcript.append("error \(error)")
        }
        return transcript
    }

    /// What reading `archive` directly shows.
    static func direct(_ archive: String, limits: ArchiveLimits) throws -> [String] {
        let reader = try SafeArchiveReader(file: try ArchiveFile(path: archive), limits: limits)
        defer { reader.close() }
        return transcript(nextEntry: reader.nextEntry, read: reader.read(into:))
    }

    /// The same, through an ``EntryPrefetcher``, whose digest of every entry must be that of the data read.
    static func prefetched(_ archive: String, limits: ArchiveLimits, maxBufferedBytes: Int) throws -> [String] {
        let reader = EntryPrefetcher(
            try SafeArchiveReader(file: try ArchiveFile(path: archive), limits: limits),
            maxBufferedBytes: maxBufferedBytes
        )
        defer { reader.close() }
        let result = transcript(nextEntry: reader.nextEntry, read: reader.read(into:), digest: { reader.digest })
        if result.last == "end" { #expect(try reader.nextEntry() == nil) }
        return result
    }

    @Test(
        "entries, data, digests and errors: those of the archive read directly",
        arguments: [1, 1000, 8 << 20]
    )
    func sameAsDirect(maxBufferedBytes: Int) throws {
        let signed = try SignedArchive()
        let (long, truncated) = try Self.longAndTruncated(signed)
        let cases: [(String, ArchiveLimits)] = [
            (long, .default),
            // Over the limit in the middle of the long entry, and at the fourth entry.
            (long, ArchiveLimits(maxTotalBytes: 400_000, maxEntries: 100)),
            (long, ArchiveLimits(maxTotalBytes: 1 << 30, maxEntries: 3)),
            (truncated, .default),
        ]
        var endings: Set<String> = []
        for (archive, limits) in cases {
            let expected = try Self.direct(archive, limits: limits)
            #expect(expected.count > 3)
            #expect(try Self.prefetched(archive, limits: limits, maxBufferedBytes: maxBufferedBytes) == expected)
            endings.insert(String(expected.last!.prefix(5)))
        }
        #expect(endings == ["end", "error"])
    }

    /// An archive with a long entry, so that data crosses the prefetcher's chunks and its bound, and a copy cut
    /// short in its middle.
    static func longAndTruncated(_ signed: SignedArchive) throws -> (long: String, truncated: String) {
        let long = try signed.edited(
            "long.tar.zst",
            inserting: [("data/extra.bin", (0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })]
        )
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: long)))
        let truncated = signed.directory.appending("truncated.tar.zst").path
        try Data(bytes[0..<(bytes.count * 2 / 3)]).write(to: URL(fileURLWithPath: truncated))
        return (long, truncated)
    }

    @Test("whole chunks after a few bytes read into a buffer: the same data, digests and errors")
    func wholeChunks() throws {
        let signed = try SignedArchive()
        let (long, truncated) = try Self.longAndTruncated(signed)
        for archive in [long, truncated] {
            let expected = try Self.direct(archive, limits: .default)
            let reader = EntryPrefetcher(
                try SafeArchiveReader(file: try ArchiveFile(path: archive)),
                maxBufferedBytes: 1000
            )
            defer { reader.close() }
            var transcript: [String] = []
            var chunks = 0
            do {
                while let entry = try reader.nextEntry() {
                    transcript.append("entry \(entry.path)")
                    var hasher = SHA256()
                    var head = [UInt8](repeating: 0, count: 7)
                    var size = try head.withUnsafeMutableBytes { try reader.read(into: $0) }
                    hasher.update(data: head[0..<size])
                    while let chunk = try reader.nextChunk() {
                        #expect(!chunk.isEmpty)
                        hasher.update(data: chunk)
                        size += chunk.count
                        chunks += 1
                    }
                    let sha256 = Hex.string(hasher.finalize())
                    #expect(reader.digest == EntryPrefetcher.Digest(sha256: sha256, size: Int64(size)), "\(entry.path)")
                    #expect(try reader.nextChunk() == nil)
                    transcript.append("data \(size) \(sha256)")
                }
                transcript.append("end")
            } catch {
                transcript.append("error \(error)")
            }
            #expect(transcript == expected)
            // The long entry alone comes in several chunks.
            #expect(chunks > 3)
        }
    }

    @Test("reading through the tar-header check lends libarchive's blocks: the same data as reading without it")
    func headerCheckSameData() throws {
        let signed = try SignedArchive()
        let (long, truncated) = try Self.longAndTruncated(signed)
        for archive in [long, truncated] {
            var transcripts: [[String]] = []
            for checks in [true, false] {
                let reader = try SafeArchiveReader(file: try ArchiveFile(path: archive), checksTarHeaders: checks)
                defer { reader.close() }
                // Errors are worded by whichever reader met them; where they stop the data is what matters.
                transcripts.append(
                    Self.transcript(nextEntry: reader.nextEntry, read: reader.read(into:)).map {
                        $0.hasPrefix("error") ? "error" : $0
                    }
                )
            }
            #expect(transcripts[0] == transcripts[1])
            #expect(transcripts[0].count > 3)
        }
    }

    @Test(
        "an entry read without hashing: the same data, its size, no digest; the others hashed",
        .timeLimit(.minutes(1))
    )
    func unhashed() throws {
        let signed = try SignedArchive()
        let expected = try Self.direct(signed.archive, limits: .default)
        let reader = EntryPrefetcher(
            try SafeArchiveReader(file: try ArchiveFile(path: signed.archive)),
            maxBufferedBytes: 4096,
            unhashed: [BagLayout.lineage]
        )
        defer { reader.close() }
        var digests: [String: EntryPrefetcher.Digest] = [:]
        var path = ""
        let transcript = Self.transcript(
            nextEntry: {
                let entry = try reader.nextEntry()
                path = entry?.path ?? ""
                return entry
            },
            read: { buffer in
                let count = try reader.read(into: buffer)
                if count == 0 { digests[path] = reader.digest }
                return count
            }
        )
        #expect(transcript == expected)
        let lineage = try #require(digests[BagLayout.lineage])
        #expect(lineage.sha256 == nil && lineage.size > 0)
        #expect(digests.filter { $0.value.sha256 == nil }.count == 1)
        #expect(digests[BagLayout.manifest]?.sha256 != nil)
    }

    @Test("skipping, reading whole and closing early: digests still those of the data", .timeLimit(.minutes(1)))
    func skipAndClose() throws {
        let signed = try SignedArchive()
        let expected = try Self.direct(signed.archive, limits: .default)
        var transcript: [String] = []
        let reader = EntryPrefetcher(
            try SafeArchiveReader(file: try ArchiveFile(path: signed.archive)),
            maxBufferedBytes: 1
        )
        var index = 0
        while let entry = try reader.nextEntry() {
            transcript.append("entry \(entry.path)")
            switch index % 3 {
            case 0:
                try reader.skipRest()
            case 1:
                let data = try reader.readData(limit: .max)
                #expect(Hex.string(SHA256.hash(data: data)) == reader.digest?.sha256)
            default:
                // A few bytes, then the rest is skipped by moving on.
                var buffer = [UInt8](repeating: 0, count: 5)
                _ = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
                #expect(reader.digest == nil)
                try reader.skipRest()
            }
            let digest = try #require(reader.digest)
            transcript.append("data \(digest.size) \(digest.sha256 ?? "unhashed")")
            index += 1
        }
        transcript.append("end")
        #expect(transcript == expected)

        // Closed after two entries, with the thread waiting to hand over more: close returns.
        let early = EntryPrefetcher(
            try SafeArchiveReader(file: try ArchiveFile(path: signed.archive)),
            maxBufferedBytes: 1
        )
        _ = try early.nextEntry()
        _ = try early.nextEntry()
        early.close()
        early.close()
    }

    @Test("an entry over readData's limit is refused, naming it")
    func readDataLimit() throws {
        let signed = try SignedArchive()
        let reader = EntryPrefetcher(try SafeArchiveReader(file: try ArchiveFile(path: signed.archive)))
        defer { reader.close() }
        while let entry = try reader.nextEntry() {
            guard entry.size > 10 else { continue }
            #expect(
                throws: ArchiveError.limitExceeded(
                    path: signed.archive,
                    reason: "entry \(entry.path) is larger than 10 bytes"
                )
            ) {
                _ = try reader.readData(limit: 10)
            }
            return
        }
        Issue.record("no entry over 10 bytes")
    }

    @Test("the channel lets go of each chunk when it is taken: what it holds stays within its bound")
    func channelMemory() throws {
        let bound = 64 << 10
        let channel = EntryPrefetcher.Channel(maxBytes: bound)
        let chunk = 4 << 10
        let writer = Thread {
            for index in 0..<2000 {
                let data = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: chunk)
                guard channel.put(.data(data)) else { return }
            }
            _ = channel.put(.finished)
        }
        writer.start()
        var taken = 0
        var most = 0
        while true {
            let event = channel.take()
            guard case .data(let data) = event else { break }
            #expect(data.first == UInt8(truncatingIfNeeded: taken))
            taken += 1
            most = max(most, channel.retainedBytes)
        }
        #expect(taken == 2000)
        // The writer may add one chunk while the bound is reached; every taken chunk must be let go of.
        #expect(most <= bound + 2 * (chunk + 64), "held \(most) bytes")
    }
}
