import Crypto
import TrailArchive
import TrailAudit
import TrailJSON

/// An audit archive written by `trail-archive` (`docs/archive-format.md`), read as an export source
/// without extracting it.
///
/// The archive is streamed once through ``SafeArchiveReader`` (which refuses unsafe entries and enforces
/// the size and entry limits): `bag-info.txt`, among the tag files that come first, names the projects;
/// then `data/prompts/<project_id>.jsonl` entries, which sort before `data/traces/`, and the
/// `data/traces/<project_id>/<day>.jsonl` entries are handed over as they come. Entries such as
/// `data/lineage.jsonl` and `data/quarantine/` are skipped: the export recomputes lineage from the records,
/// as it does for a workspace. Memory: one chunk of data plus one line. Not `Sendable`; one pass only.
final class ArchiveSource: ExportSource {
    /// The archive file.
    let path: String
    let projects: [String]
    private let reader: SafeArchiveReader
    /// The verified digest of every entry, when the archive was verified first.
    private let digests: [String: String]?
    /// The first payload entry, met while looking for `bag-info.txt`.
    private var pending: ArchiveEntry?
    private var consumed = false

    /// Reads the tag files of `file` up to the first payload entry.
    ///
    /// - Parameters:
    ///   - file: the archive, opened once (the same one that was verified).
    ///   - limits: the bounds the reader enforces.
    ///   - digests: the digests verification computed; each entry read is hashed again and must match.
    /// - Throws: ``ExportError/invalidSource(path:message:)`` when the file is not a readable archive or
    ///   not a PromptTrail audit archive of format version 1.
    init(file: ArchiveFile, limits: ArchiveLimits = .default, digests: [String: String]? = nil) throws {
        let path = file.path
        let reader: SafeArchiveReader
        do {
            reader = try SafeArchiveReader(file: file, limits: limits)
        } catch {
            throw ExportError.invalidSource(path: path, message: "\(error)")
        }
        var info: BagInfo?
        var pending: ArchiveEntry?
        do {
            while let entry = try reader.nextEntry() {
                if entry.path.hasPrefix("data/") {
                    pending = entry
                    break
                }
                if entry.path == BagLayout.info {
                    info = BagInfo.parse(String(decoding: try reader.readData(limit: 1 << 20), as: UTF8.self))
                }
            }
        } catch {
            reader.close()
            throw ExportError.invalidSource(path: path, message: "\(error)")
        }
        guard let info else {
            reader.close()
            throw ExportError.invalidSource(
                path: path,
                message: "not a PromptTrail audit archive: no readable \(BagLayout.info) before the payload"
            )
        }
        guard let version = info.value("PromptTrail-Archive-Format-Version").flatMap(Int.init),
            (1...BagLayout.formatVersion).contains(version)
        else {
            reader.close()
            throw ExportError.invalidSource(
                path: path,
                message: "\(BagLayout.info) does not declare a PromptTrail-Archive-Format-Version from 1 to "
                    + "\(BagLayout.formatVersion)"
            )
        }
        self.path = path
        self.reader = reader
        self.pending = pending
        self.digests = digests
        projects = info.values("PromptTrail-Project-ID").sorted()
    }

    deinit {
        reader.close()
    }

    func forEachFile(_ body: (SourceFile, (LineVisitor) throws -> Void) throws -> Void) throws {
        guard !consumed else {
            throw ExportError.invalidSource(path: path, message: "an archive source can be read once only")
        }
        consumed = true
        defer { reader.close() }
        do {
            var entry = try pending ?? reader.nextEntry()
            while let current = entry {
                if let file = Self.sourceFile(current.path) {
                    var hasher = SHA256()
                    try body(file) { visitor in
                        let lines = EntryLineReader(reader, observe: { hasher.update(bufferPointer: $0) })
                        let visit = { (number: Int, bytes: UnsafeBufferPointer<UInt8>) throws -> Void in
                            // Blank lines are skipped but counted, as a workspace's reader does.
                            if !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { try visitor(number, bytes) }
                        }
                        while try lines.next(visit) != nil {}
                        if let digests {
                            let digest = Hex.string(hasher.finalize())
                            guard digests[current.path] == digest else {
                                throw ExportError.invalidSource(
                                    path: path,
                                    message: "\(current.path) changed after it was verified; nothing of it was kept"
                                )
                            }
                        }
                    }
                }
                entry = try reader.nextEntry()
            }
        } catch let error as ArchiveError {
            throw ExportError.invalidSource(path: path, message: "\(error)")
        } catch let error as AuditError {
            throw ExportError.invalidSource(path: path, message: "\(error)")
        }
    }

    /// The file a payload entry holds, or `nil` for entries the export does not read.
    ///
    /// - Parameter entry: a bag-relative path.
    /// - Returns: the prompts file `data/prompts/<project_id>.jsonl` or the trace file
    ///   `data/traces/<project_id>/<YYYY-MM-DD>.jsonl`, named as in the workspace it was made from.
    static func sourceFile(_ entry: String) -> SourceFile? {
        guard entry.hasPrefix("data/"), entry.hasSuffix(".jsonl") else { return nil }
        let relative = String(entry.dropFirst(5))
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("prompts", 2) where parts[1].count > 6 && !parts[1].hasPrefix("."):
            return SourceFile(
                content: .promptVersions,
                project: String(parts[1].dropLast(6)),
                path: relative,
                displayName: entry
            )
        case ("activations", 2) where parts[1].count > 6 && !parts[1].hasPrefix("."):
            return SourceFile(
                content: .activations,
                project: String(parts[1].dropLast(6)),
                path: relative,
                displayName: entry
            )
        case ("traces", 3) where !parts[1].isEmpty && parts[2].count == 16 && !parts[2].hasPrefix("."):
            return SourceFile(
                content: .traces(day: String(parts[2].prefix(10))),
                project: parts[1],
                path: relative,
                displayName: entry
            )
        default:
            return nil
        }
    }
}
