/// Reads a tar archive's own headers alongside libarchive, so that entry names are checked as the bytes
/// the archive holds.
///
/// libarchive hands names out as C strings: a name field or a pax `path` record holding a NUL reaches the
/// caller cut at the NUL (`data/x\0../../evil` arrives as `data/x`), and other readers may cut it elsewhere
/// or not at all. This check reads the bytes libarchive reads, in step with the entries it returns: for a
/// compressed archive the bytes libarchive's tar reader was handed (a ``ByteTee``), for an uncompressed one
/// the file a second time. It parses each entry's headers (ustar name and prefix, pax `x`/`g` records, GNU `L`/`K` long
/// names) and returns the name they state. It refuses bytes after a NUL in a name field, a NUL in a pax
/// `path` or `linkpath`, malformed pax records, and a name that is not the one libarchive reported.
final class TarHeaderCheck {
    /// The file read a second time, or `nil` when libarchive's own reading fills `tee`.
    private let reader: ArchiveReader?
    private let tee: ByteTee
    private var chunk: [UInt8] = []
    private let path: String

    /// Checks the headers of `file` by reading it a second time.
    init(file: ArchiveFile) throws {
        let reader = try ArchiveReader(file: file, raw: true)
        self.reader = reader
        tee = ByteTee()
        path = file.path
        _ = try reader.nextEntry()
    }

    /// Checks the headers in the bytes a tar reader of `path` hands to `tee`.
    init(tee: ByteTee, path: String) {
        reader = nil
        self.tee = tee
        self.path = path
    }

    /// Reads the headers of the next entry, returns the name they state, and skips the entry's data.
    ///
    /// - Returns: the name's bytes, or `nil` at the end of the archive.
    /// - Throws: ``ArchiveError/unsafeEntry(path:reason:)`` for a name that is not plain bytes.
    func nextName() throws -> [UInt8]? {
        var longName: [UInt8]?
        var paxPath: [UInt8]?
        var paxSize: Int64?
        while true {
            guard let header = try take(512) else { return nil }
            if header.allSatisfy({ $0 == 0 }) { return nil }
            let size = paxSize ?? Self.number(header[124..<136])
            guard size >= 0 else { throw refuse(Array(header[0..<100]), "header size field is not a number") }
            let type = header[156]
            switch type {
            case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "g"):
                guard size <= 1 << 20 else { throw refuse(Array(header[0..<100]), "pax header over 1 MiB") }
                let records = try takeData(size)
                let parsed = try Self.paxRecords(records, refuse: { self.refuse(Array(header[0..<100]), $0) })
                if type != UInt8(ascii: "g") {
                    if let value = parsed["path"] { paxPath = value }
                    if let value = parsed["size"] {
                        guard let number = Int64(String(decoding: value, as: UTF8.self)), number >= 0 else {
                            throw refuse(paxPath ?? Array(header[0..<100]), "pax size is not a number")
                        }
                        paxSize = number
                    }
                }
                for key in ["path", "linkpath"] {
                    if let value = parsed[key], value.contains(0) {
                        throw refuse(value, "NUL byte in the pax \(key) record")
                    }
                }
            case UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard size <= 1 << 20 else { throw refuse(Array(header[0..<100]), "GNU long name over 1 MiB") }
                let data = try takeData(size)
                let name = try Self.field(data[...], refuse: { self.refuse(data, $0) })
                if type == UInt8(ascii: "L") { longName = name }
            default:
                let name = try Self.field(header[0..<100], refuse: { self.refuse(Array(header[0..<100]), $0) })
                _ = try Self.field(header[157..<257], refuse: { self.refuse(name, "link name: \($0)") })
                var full = name
                // POSIX ustar ("ustar\0"): the prefix field continues the name; GNU ("ustar  ") uses it otherwise.
                if header[257..<263].elementsEqual(Array("ustar".utf8) + [0]) {
                    let prefix = try Self.field(header[345..<500], refuse: { self.refuse(name, "prefix: \($0)") })
                    if !prefix.isEmpty { full = prefix + [UInt8(ascii: "/")] + name }
                }
                let stated = paxPath ?? longName ?? full
                skip(type == UInt8(ascii: "5") ? 0 : size)
                return stated
            }
        }
    }

    private func refuse(_ name: [UInt8], _ reason: String) -> ArchiveError {
        .unsafeEntry(path: ArchivePath.display(name), reason: reason)
    }

    /// The bytes of a NUL-padded header field up to its first NUL; anything but NULs after it is refused.
    private static func field(
        _ bytes: ArraySlice<UInt8>,
        refuse: (String) -> ArchiveError
    ) throws -> [UInt8] {
        guard let nul = bytes.firstIndex(of: 0) else { return Array(bytes) }
        guard bytes[nul...].allSatisfy({ $0 == 0 }) else { throw refuse("bytes after a NUL in the name") }
        return Array(bytes[..<nul])
    }

    /// A numeric header field: octal digits (padded with spaces or NULs), or base-256 when the high bit of
    /// the first byte is set; -1 when it is neither.
    private static func number(_ bytes: ArraySlice<UInt8>) -> Int64 {
        guard let first = bytes.first else { return -1 }
        if first & 0x80 != 0 {
            guard first == 0x80, bytes.dropFirst().prefix(3).allSatisfy({ $0 == 0 }) else { return -1 }
            return bytes.dropFirst(4).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        }
        var value: Int64 = 0
        var digits = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                value = value << 3 | Int64(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: " "), 0:
                if digits > 0 { return value }
            default:
                return -1
            }
        }
        return value
    }

    /// Parses pax extended header records, `"<length> <key>=<value>\n"`.
    private static func paxRecords(
        _ data: [UInt8],
        refuse: (String) -> ArchiveError
    ) throws -> [String: [UInt8]] {
        var records: [String: [UInt8]] = [:]
        var index = 0
        while index < data.count {
            if data[index] == 0 { break }  // padding after the last record
            guard let space = data[index...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: data[index..<space], as: UTF8.self)),
                length > space - index, index + length <= data.count, data[index + length - 1] == 0x0A,
                let equals = data[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "="))
            else { throw refuse("malformed pax extended header") }
            records[String(decoding: data[(space + 1)..<equals], as: UTF8.self)] = Array(
                data[(equals + 1)..<(index + length - 1)]
            )
            index += length
        }
        return records
    }

    /// The next `count` bytes of the decompressed stream, or `nil` at its end.
    private func take(_ count: Int) throws -> [UInt8]? {
        while tee.available < count, !tee.ended {
            guard let reader else {
                // libarchive reported an entry whose headers it has not read: the two readings disagree.
                throw ArchiveError.unsafeEntry(
                    path: path,
                    reason: "its tar header is not where libarchive read it: the archive is truncated or malformed"
                )
            }
            if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: 1 << 16) }
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { tee.end() }
            chunk.withUnsafeBytes { tee.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return tee.take(count)
    }

    /// The data of an extension header (padded to 512 bytes).
    private func takeData(_ size: Int64) throws -> [UInt8] {
        let padded = Int((size + 511) / 512 * 512)
        guard let bytes = try take(padded) else {
            throw ArchiveError.unsafeEntry(path: path, reason: "truncated tar header")
        }
        return Array(bytes[0..<Int(size)])
    }

    /// Skips an entry's data, padded to 512 bytes: what is held now, and the rest as it arrives.
    private func skip(_ size: Int64) {
        tee.skip((size + 511) / 512 * 512)
    }
}
