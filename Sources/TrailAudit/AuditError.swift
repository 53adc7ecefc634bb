public import TrailArchive

/// An error that stops archiving or verification: bad input files, unreadable archives, bad keys.
///
/// Problems *inside* an archive being verified (a checksum that differs, an invalid record) are not
/// errors but ``VerificationFinding`` values in a ``VerificationReport``; problems in a workspace's
/// records are quarantined, not thrown.
public enum AuditError: Error, Sendable, CustomStringConvertible {
    /// A file or directory could not be read or written.
    case fileSystem(operation: String, path: String, message: String)
    /// The workspace is not one PromptTrail can archive (missing `workspace.json`, unknown layout).
    case invalidWorkspace(path: String, message: String)
    /// A key file is missing, malformed or of the wrong kind.
    case invalidKey(path: String, message: String)
    /// A command-line choice that cannot be honoured (unknown extension, bad date).
    case invalidOption(String)
    /// Records failed validation and the caller asked for that to be fatal.
    case invalidRecords(count: Int, firstProblem: String)
    /// A workspace file changed between the analysis pass and the writing pass.
    case workspaceChanged(path: String)
    /// The archive could not be written or read.
    case archive(ArchiveError)
    /// The trace asked for is not in the archive.
    case traceNotFound(id: String, archive: String)
    /// A line of an archive entry is longer than the reader accepts.
    case lineTooLong(archive: String, entry: String, line: Int, limit: Int)
    /// An attestation (in-toto statement, DSSE envelope or Sigstore bundle) cannot be read at all.
    ///
    /// A readable attestation that fails a check is not an error but a failure in an ``AttestationVerification``.
    case invalidAttestation(String)

    public var description: String {
        switch self {
        case .fileSystem(let operation, let path, let message):
            return "\(operation) \(path): \(message)"
        case .invalidWorkspace(let path, let message):
            return "\(path) is not a PromptTrail workspace: \(message)"
        case .invalidKey(let path, let message):
            return "key \(path): \(message)"
        case .invalidOption(let message):
            return message
        case .invalidRecords(let count, let firstProblem):
            return "\(count) invalid record\(count == 1 ? "" : "s") (first: \(firstProblem)); "
                + "without --fail-on-invalid they are quarantined"
        case .workspaceChanged(let path):
            return "\(path) changed while it was being archived; run trail-archive again"
        case .archive(let error):
            return error.description
        case .traceNotFound(let id, let archive):
            return "trace \(id) is not in \(archive)"
        case .lineTooLong(let archive, let entry, let line, let limit):
            return "\(archive): \(entry):\(line): the line is longer than \(limit) bytes"
        case .invalidAttestation(let message):
            return "attestation: \(message)"
        }
    }
}
