import Crypto
import Foundation
import Testing
import TrailArchive
import TrailJSON
import TrailTestSupport

@testable import TrailAudit

/// The verifier reads `data/lineage.jsonl` ahead in refills checked on worker threads; where a refill or a
/// worker's chunk ends must change nothing the verifier is handed.
@Suite("Lineage read ahead")
struct LineageCursorTests {
    /// A cursor on `archive`'s lineage, checked against the bundled schemas.
    static func cursor(_ archive: String, jobs: Int, readAhead: LineageCursor.ReadAhead) throws -> LineageCursor {
        try LineageCursor(
            file: try ArchiveFile(path: archive),
            limits: .default,
            schemas: try AuditFixtures.schemas(),
            jobs: jobs,
            readAhead: readAhead
        )
    }

    /// Every item a cursor hands out, then the findings it recorded.
    static func items(
        _ archive: String,
        jobs: Int,
        readAhead: LineageCursor.ReadAhead,
        readingAheadFirst: Bool = false
    ) throws -> (items: [LineageCursor.Item], findings: [VerificationFinding]) {
        let cursor = try Self.cursor(archive, jobs: jobs, readAhead: readAhead)
        // As the verifier does when it reaches the entry: the first lines are read before any is asked for.
        if readingAheadFirst { cursor.startReadingAhead() }
        var items: [LineageCursor.Item] = []
        while true {
            // Every other item is peeked at first: the item handed out next must be the one peeked at. Every
            // fourth is put back once (as the verifier does with a line of a later trace) and read again; its
            // findings must be recorded once.
            if items.count % 2 == 0, let peeked = try cursor.peek() {
                let item = try #require(try cursor.next())
                #expect(item == peeked)
                items.append(item)
            } else if items.count % 4 == 3, let first = try cursor.next() {
                cursor.putBack(first)
                let again = try #require(try cursor.next())
                #expect(again == first)
                items.append(again)
            } else if let item = try cursor.next() {
                items.append(item)
            } else {
                break
            }
        }
        return (items, cursor.findings)
    }

    @Test("small refills and chunks, one or two jobs: the same lines, records and findings as one large refill")
    func refillBoundaries() throws {
        let signed = try SignedArchive()
        // A line that is not JSON and one that breaks the lineage schema, so that findings cross refills too.
        let archive = try signed.tampered(lines: BagLayout.lineage) { lines in
            lines[3] = "{not json"
            lines[10] = lines[10].replacingOccurrences(of: #""line":"#, with: #""line":"x","was":"#)
        }
        let whole = try Self.items(archive, jobs: 1, readAhead: .init(lines: 1 << 20, bytes: 1 << 30, chunk: 1 << 20))
        #expect(whole.items.count > 250)
        #expect(whole.items.map(\.line) == Array(1...whole.items.count))
        #expect(whole.items[3].record == nil && !whole.items[3].findings.isEmpty)
        #expect(!whole.items[10].findings.isEmpty)
        #expect(whole.findings == whole.items.flatMap(\.findings))
        for (jobs, readAhead) in [
            (2, LineageCursor.ReadAhead()),
            (2, LineageCursor.ReadAhead(lines: 7, bytes: 1 << 20, chunk: 3)),
            (1, LineageCursor.ReadAhead(lines: 5, bytes: 1 << 20, chunk: 2)),
            (2, LineageCursor.ReadAhead(lines: 1 << 20, bytes: 900, chunk: 4)),
            (2, LineageCursor.ReadAhead(lines: 1, bytes: 1, chunk: 1)),
        ] {
            for first in [false, true] {
                let read = try Self.items(archive, jobs: jobs, readAhead: readAhead, readingAheadFirst: first)
                #expect(read.items == whole.items, "\(jobs) jobs, \(readAhead), reading ahead first: \(first)")
                #expect(read.findings == whole.findings, "\(jobs) jobs, \(readAhead), reading ahead first: \(first)")
            }
        }
    }

    /// A copy of `signed` whose `lineage.jsonl` has 8,000 more lines that do not compress away, so that most of
    /// the archive is this entry.
    static func largeLineage(_ signed: SignedArchive) throws -> String {
        try signed.tampered(lines: BagLayout.lineage) { lines in
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for number in 0..<8_000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                lines.append(
                    #"{"filler":\#(number),"noise":"\#(String(state, radix: 36))\#(String(state >> 9, radix: 36))"}"#
                )
            }
        }
    }

    @Test(
        "the cursor's digest of lineage.jsonl: the entry's, whatever the refills; none before the end or after an error"
    )
    func digest() throws {
        let signed = try SignedArchive()
        let archive = try Self.largeLineage(signed)
        let reader = try SafeArchiveReader(file: try ArchiveFile(path: archive))
        var data: [UInt8] = []
        while data.isEmpty, let entry = try reader.nextEntry() {
            if entry.path == BagLayout.lineage { data = try reader.readData() }
        }
        reader.close()
        let expected = EntryPrefetcher.Digest(sha256: Hex.string(SHA256.hash(data: data)), size: Int64(data.count))
        for (jobs, readAhead) in [
            (1, LineageCursor.ReadAhead()),
            (2, LineageCursor.ReadAhead()),
            (2, LineageCursor.ReadAhead(lines: 7, bytes: 1 << 20, chunk: 3)),
            (2, LineageCursor.ReadAhead(lines: 1 << 20, bytes: 900, chunk: 4)),
        ] {
            let cursor = try Self.cursor(archive, jobs: jobs, readAhead: readAhead)
            cursor.startReadingAhead()
            _ = try cursor.next()
            // A refill of the default size reads the whole entry at once; a small one has not reached its end.
            if readAhead.lines < 100 || readAhead.bytes < 1000 { #expect(cursor.digest == nil) }
            while try cursor.next() != nil {}
            #expect(cursor.digest == expected, "\(jobs) jobs, \(readAhead)")
        }
        // Cut inside the entry: the lines before the cut, then the error, and no digest.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        let truncated = signed.directory.appending("truncated-lineage.tar.zst").path
        try Data(bytes[0..<(bytes.count * 3 / 4)]).write(to: URL(fileURLWithPath: truncated))
        let cursor = try LineageCursor(file: try ArchiveFile(path: truncated), limits: .default, schemas: nil, jobs: 2)
        #expect(throws: (any Error).self) { while try cursor.next() != nil {} }
        #expect(cursor.digest == nil)
    }

    @Test("a cut archive: reading ahead hands out the same lines and throws the same error as reading in turn")
    func readErrorAhead() throws {
        let signed = try SignedArchive()
        let archive = try Self.largeLineage(signed)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        var errors = 0
        for (cut, fraction) in [(3, 4), (4, 5), (7, 8)].enumerated() {
            let truncated = signed.directory.appending("truncated-\(cut).tar.zst").path
            try Data(bytes[0..<(bytes.count * fraction.0 / fraction.1)]).write(to: URL(fileURLWithPath: truncated))
            let one = try Self.lines(truncated, jobs: 1, readAhead: .init(), readingAheadFirst: false)
            #expect(one.lines == Array(1..<(one.lines.count + 1)))
            if one.error != nil { errors += 1 }
            for readAhead in [LineageCursor.ReadAhead(), .init(lines: 700, bytes: 1 << 20, chunk: 64)] {
                for first in [false, true] {
                    let ahead = try Self.lines(truncated, jobs: 2, readAhead: readAhead, readingAheadFirst: first)
                    #expect(ahead.lines == one.lines, "cut at \(fraction), \(readAhead), reading ahead first: \(first)")
                    #expect(ahead.error == one.error, "cut at \(fraction), \(readAhead), reading ahead first: \(first)")
                }
            }
        }
        // The first cuts fall inside the entry (libarchive then reports the truncated zstd input before any of
        // its lines), the last after it.
        #expect(errors == 2)
    }

    /// The line numbers a cursor hands out, and the error that stopped it.
    static func lines(
        _ archive: String,
        jobs: Int,
        readAhead: LineageCursor.ReadAhead,
        readingAheadFirst: Bool
    ) throws -> (lines: [Int], error: String?) {
        let cursor = try Self.cursor(archive, jobs: jobs, readAhead: readAhead)
        if readingAheadFirst { cursor.startReadingAhead() }
        var lines: [Int] = []
        do {
            while let item = try cursor.next() { lines.append(item.line) }
            return (lines, nil)
        } catch {
            return (lines, "\(error)")
        }
    }
}
