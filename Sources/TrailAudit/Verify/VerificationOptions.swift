import Crypto
import Foundation
public import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema

/// How `trail-verify` checks archives.
public struct VerificationOptions: Sendable {
    /// The trusted public key; the signature must verify with it.
    public var key: ArchiveVerificationKey?
    /// The trusted key of the attestation (Ed25519 or P-256); set with ``key`` for an Ed25519 key.
    public var attestationKey: AttestationVerifier?
    /// Whether an unsigned archive is a failure.
    public var requireSignature: Bool
    /// Size and entry limits.
    public var limits: ArchiveLimits
    /// Schemas to use instead of the ones the archive carries (`nil`: the archive's own).
    public var schemas: AuditSchemas?
    /// Threads that parse, validate and hash records (at least 1); the report is the same for every count.
    public var jobs: Int
    /// Receives where the run is, for a progress display; `nil` reports nothing.
    public var progress: AuditProgressHandler?

    /// Creates options.
    ///
    /// - Parameters:
    ///   - key: the trusted public key.
    ///   - requireSignature: whether a signature is required.
    ///   - limits: size and entry limits.
    ///   - schemas: schemas overriding the archive's.
    ///   - jobs: record-checking threads, or `nil` for one per active processor.
    public init(
        key: ArchiveVerificationKey? = nil,
        requireSignature: Bool = false,
        limits: ArchiveLimits = .default,
        schemas: AuditSchemas? = nil,
        jobs: Int? = nil
    ) {
        self.key = key
        attestationKey = key.map(AttestationVerifier.ed25519)
        self.requireSignature = requireSignature
        self.limits = limits
        self.schemas = schemas
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}
