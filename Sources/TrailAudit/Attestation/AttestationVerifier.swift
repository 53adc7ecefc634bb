import Crypto
import TrailJSON

/// A public key that checks attestation signatures: Ed25519 or ECDSA P-256.
///
/// Its ``keyID`` names it in DSSE signatures and in a Sigstore bundle's public-key hint.
public enum AttestationVerifier: Sendable, Equatable {
    /// An Ed25519 key (the archive's signing key; signatures are the 64 raw bytes).
    case ed25519(ArchiveVerificationKey)
    /// An ECDSA P-256 key (signatures are DER, over SHA-256).
    case p256(ArchiveP256VerificationKey)

    /// Reads a public key file, recognising the kind of key from its contents.
    ///
    /// A `PUBLIC KEY` PEM block with the Ed25519 algorithm, or the base64 of 32 raw bytes, is an Ed25519 key;
    /// any other `PUBLIC KEY` block must be an ECDSA P-256 key.
    ///
    /// - Parameter path: the key file.
    /// - Returns: the key.
    /// - Throws: ``AuditError/invalidKey(path:message:)`` when the file cannot be read or is neither kind.
    public static func load(contentsOf path: String) throws -> AttestationVerifier {
        let text = try KeyFile.text(path)
        if let der = KeyFile.pemBlock(text, label: "PUBLIC KEY"), !der.starts(with: KeyFile.spkiPrefix) {
            return .p256(try ArchiveP256VerificationKey(contentsOf: path))
        }
        return .ed25519(try ArchiveVerificationKey(contentsOf: path))
    }

    /// The key whose DER SubjectPublicKeyInfo is `der` (as `bag-info.txt` carries it), or `nil` when it is
    /// neither an Ed25519 nor a P-256 key.
    ///
    /// - Parameter der: the DER SubjectPublicKeyInfo.
    /// - Returns: the key.
    public static func from(subjectPublicKeyInfo der: [UInt8]) -> AttestationVerifier? {
        if der.starts(with: KeyFile.spkiPrefix) {
            return (try? ArchiveVerificationKey(raw: Array(der.dropFirst(KeyFile.spkiPrefix.count)))).map(Self.ed25519)
        }
        return (try? P256.Signing.PublicKey(derRepresentation: der)).map { .p256(ArchiveP256VerificationKey(key: $0)) }
    }

    /// The key's identifier: the lowercase hexadecimal SHA-256 of its DER SubjectPublicKeyInfo, that is of the
    /// bytes inside its PEM `PUBLIC KEY` block.
    ///
    /// It is the same for both kinds of key and can be recomputed with OpenSSL:
    /// `openssl pkey -pubin -in key.pub -outform DER | sha256sum`. For an Ed25519 key it differs from the
    /// archive's `fingerprint` (SHA-256 of the 32 raw key bytes) in `bag-info.txt`.
    public var keyID: String { Hex.string(SHA256.hash(data: subjectPublicKeyInfo)) }

    /// The DER SubjectPublicKeyInfo.
    public var subjectPublicKeyInfo: [UInt8] {
        switch self {
        case .ed25519(let key): key.subjectPublicKeyInfo
        case .p256(let key): key.subjectPublicKeyInfo
        }
    }

    /// The PEM text (SubjectPublicKeyInfo), as written to a public key file.
    public var pemRepresentation: String {
        switch self {
        case .ed25519(let key): key.pemRepresentation
        case .p256(let key): key.pemRepresentation
        }
    }

    /// The signature scheme, in the names securesystemslib and in-toto use: `ed25519` or `ecdsa-sha2-nistp256`.
    public var scheme: String {
        switch self {
        case .ed25519: "ed25519"
        case .p256: "ecdsa-sha2-nistp256"
        }
    }

    /// Whether `signature` is this key's signature of `message`.
    ///
    /// - Parameters:
    ///   - signature: the signature (64 raw bytes for Ed25519, DER for P-256).
    ///   - message: the signed bytes.
    /// - Returns: `true` when it verifies.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        switch self {
        case .ed25519(let key): key.isValidSignature(signature, for: message)
        case .p256(let key): key.isValidSignature(signature, for: message)
        }
    }
}
