import Foundation
public import TrailArchive
public import TrailModel

/// How `trail-archive` packs a workspace.
public struct ArchiveBuildOptions: Sendable {
    /// tar or zip.
    public var format: ArchiveFormat
    /// The filter around a tar archive.
    public var compression: ArchiveCompression
    /// The compression level, or `nil` for the default (zstd 3, gzip 6, xz 6).
    public var level: Int?
    /// zstd and gzip compression threads (at least 1; the output is the same for every count).
    public var threads: Int
    /// Threads that parse, validate and hash records (at least 1); the archive is the same for every count.
    public var jobs: Int
    /// The key that signs the tag manifest, if any.
    public var signingKey: ArchiveSigningKey?
    /// The key that signs the attestation (`attestation.sigstore.json`); `nil` uses ``signingKey``. A P-256
    /// key signs the attestation only, since `signature.ed25519` is Ed25519.
    public var attestationSigner: AttestationSigner?
    /// Where to write a copy of the attestation bundle beside the archive (`--attestation FILE`).
    public var attestationOutput: String?

    /// The key the attestation is signed with.
    var effectiveAttestationSigner: AttestationSigner? {
        attestationSigner ?? signingKey.map(AttestationSigner.ed25519)
    }
    /// Whether an invalid record stops the run instead of being quarantined.
    public var failOnInvalid: Bool
    /// `Bagging-Date` (`YYYY-MM-DD`) instead of the one derived from the workspace.
    public var baggingDate: String?
    /// The schemas records are validated against and that the archive carries.
    public var schemas: AuditSchemas
    /// Traces created before this instant are left out (`--since`); `nil` keeps them from the first.
    public var since: Timestamp?
    /// Traces created at or after this instant are left out (`--until`); it must not pass the last pull's
    /// high-water mark of any project. `nil`: each project's high-water mark.
    public var until: Timestamp?
    /// Receives where the run is (both passes), for a progress display; `nil` reports nothing.
    public var progress: AuditProgressHandler?

    /// Creates options; the defaults give a multi-threaded `.tar.zst` validated against the bundled schemas.
    ///
    /// - Parameters:
    ///   - format: tar or zip.
    ///   - compression: the filter around a tar archive.
    ///   - level: the compression level.
    ///   - threads: zstd and gzip compression threads.
    ///   - signingKey: the signing key.
    ///   - failOnInvalid: whether invalid records are fatal.
    ///   - baggingDate: a fixed `Bagging-Date`.
    ///   - schemas: the schemas.
    ///   - jobs: record-checking threads, or `nil` for one per active processor.
    public init(
        format: ArchiveFormat = .tar,
        compression: ArchiveCompression = .zstd,
        level: Int? = nil,
        threads: Int = 2,
        signingKey: ArchiveSigningKey? = nil,
        failOnInvalid: Bool = false,
        baggingDate: String? = nil,
        schemas: AuditSchemas = .bundled,
        jobs: Int? = nil
    ) {
        self.format = format
        self.compression = compression
        self.level = level
        self.threads = max(1, threads)
        self.signingKey = signingKey
        self.failOnInvalid = failOnInvalid
        self.baggingDate = baggingDate
        self.schemas = schemas
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The container named by an output file's extension: `.tar.zst`/`.tzst`, `.tar.gz`/`.tgz`,
    /// `.tar.xz`/`.txz`, `.zip` or `.tar`.
    ///
    /// - Parameter path: the output path.
    /// - Returns: format and filter, or `nil` for an unknown extension.
    public static func container(forOutput path: String) -> (ArchiveFormat, ArchiveCompression)? {
        let name = path.lowercased()
        if name.hasSuffix(".tar.zst") || name.hasSuffix(".tzst") { return (.tar, .zstd) }
        if name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") { return (.tar, .gzip) }
        if name.hasSuffix(".tar.xz") || name.hasSuffix(".txz") { return (.tar, .xz) }
        if name.hasSuffix(".zip") { return (.zip, .none) }
        if name.hasSuffix(".tar") { return (.tar, .none) }
        return nil
    }

    /// The container for a `--compression` name: `zstd`, `gzip`, `xz`, `zip` or `none` (plain tar).
    ///
    /// - Parameter name: the name.
    /// - Returns: format and filter, or `nil` for an unknown name.
    public static func container(named name: String) -> (ArchiveFormat, ArchiveCompression)? {
        switch name.lowercased() {
        case "zstd", "zst": (.tar, .zstd)
        case "gzip", "gz": (.tar, .gzip)
        case "xz": (.tar, .xz)
        case "zip": (.zip, .none)
        case "none", "tar": (.tar, .none)
        default: nil
        }
    }
}

/// What `trail-archive` wrote.
public struct ArchiveBuildSummary: Sendable {
    /// The archive's path.
    public var output: String
    /// Payload bytes and files.
    public var payloadOxum: PayloadOxum
    /// Record counts.
    public var tally: ArchiveTally
    /// The signing key's fingerprint, when signed.
    public var signingKeyFingerprint: String?
}
