import Crypto
import Foundation
public import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema

/// An archive that was verified, with the file it was read from and the digest of every entry.
///
/// Whatever a caller reads next from ``file`` can be compared with ``digests``: the same descriptor, and the
/// same bytes, or a mismatch it reports.
public struct VerifiedArchive: Sendable {
    /// The archive, opened once.
    public let file: ArchiveFile
    /// The verification report.
    public let report: VerificationReport
    /// The SHA-256 (lowercase hex) of every entry that was read, by bag-relative path.
    public let digests: [String: String]
}

extension ArchiveVerifier {
    /// Verifies the archive, then extracts it into the new directory `destination` if it is intact.
    ///
    /// The archive is opened once; verification and extraction read that one descriptor, so replacing the
    /// file by path in between changes nothing. The extraction hashes every entry again and accepts only
    /// the entries verification read, each with the digest it had then (an edit in place is caught), and
    /// goes through ``ArchiveExtraction``: nothing appears unless everything passed.
    ///
    /// - Parameters:
    ///   - path: the archive.
    ///   - destination: the directory to create (it must not exist).
    ///   - options: key, limits.
    /// - Returns: the verification report; when it is not intact nothing was written.
    /// - Throws: ``AuditError`` when the archive is unreadable or the extraction fails.
    public static func extract(
        _ path: String,
        to destination: String,
        options: VerificationOptions = VerificationOptions()
    ) throws -> VerificationReport {
        let verified = try verify(file: open(path), options: options)
        guard verified.report.isIntact else { return verified.report }
        try extract(verified, to: destination, limits: options.limits)
        return verified.report
    }

    /// Extracts an archive that ``verify(file:options:)`` found intact into the new directory `destination`.
    ///
    /// Reads `verified.file`, the descriptor that was verified, and accepts only the entries verification
    /// read, each with the digest it had then.
    ///
    /// - Parameters:
    ///   - verified: the verified archive.
    ///   - destination: the directory to create (it must not exist).
    ///   - limits: size and entry limits.
    /// - Throws: ``AuditError/archive(_:)`` when the archive was not intact, an entry changed since it was
    ///   verified, or writing fails; nothing is left behind.
    public static func extract(_ verified: VerifiedArchive, to destination: String, limits: ArchiveLimits) throws {
        guard verified.report.isIntact else {
            throw AuditError.archive(
                .unsafeEntry(path: verified.file.path, reason: "not extracted: verification found problems")
            )
        }
        var hashers: [String: SHA256] = [:]
        do {
            try ArchiveExtraction.extract(
                from: try SafeArchiveReader(file: verified.file, limits: limits),
                to: destination,
                observe: { entry, chunk in hashers[entry.path, default: SHA256()].update(bufferPointer: chunk) },
                accept: {
                    for (name, digest) in verified.digests {
                        let actual = hashers[name].map { Hex.string($0.finalize()) } ?? RecordInterpreter.sha256([])
                        guard actual == digest else {
                            throw ArchiveError.unsafeEntry(
                                path: name,
                                reason: "changed between verification and extraction"
                            )
                        }
                    }
                },
                admit: { entry in
                    guard verified.digests[entry.path] != nil else {
                        throw ArchiveError.unsafeEntry(path: entry.path, reason: "not among the verified entries")
                    }
                }
            )
        } catch let error as ArchiveError {
            throw AuditError.archive(error)
        }
    }
}
