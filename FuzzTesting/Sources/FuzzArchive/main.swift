import FuzzSupport
import TrailArchive
import TrailAudit
import TrailJSON

private enum Scratch {
    static let file = ScratchFile("archive")
    static let limits = ArchiveLimits(maxTotalBytes: 8 << 20, maxEntries: 1000)
}

/// The safe archive reader and the audit-archive verifier on arbitrary bytes, with small limits. The first
/// byte picks the container the rest is wrapped in: as is (tar, zip or anything), gzip, zstd or xz.
Fuzz.main(fuzzArchive)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard let first = bytes.first else { return 0 }
    let (file, limits) = (Scratch.file, Scratch.limits)
    let contents = Array(bytes.dropFirst())
    let filter = Int(first % 4)
    file.write(filter == 0 ? contents : Fuzz.compress(contents, filter: filter))
    guard let archive = try? ArchiveFile(path: file.path) else { Fuzz.fail("cannot open \(file.path)") }
    if let reader = try? SafeArchiveReader(file: archive, limits: limits) {
        while (try? reader.nextEntry()) != nil, (try? reader.readData(limit: 1 << 20)) != nil {}
        reader.close()
    }
    if let verified = try? ArchiveVerifier.verify(file: archive, options: VerificationOptions(limits: limits, jobs: 1))
    {
        _ = verified.report.text
        _ = verified.report.json.serialized()
        _ = VerificationReport.junit([verified.report])
    }
    return 0
}
