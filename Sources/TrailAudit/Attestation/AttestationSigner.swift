/// A private key that signs attestations: Ed25519 (the archive's key) or ECDSA P-256.
public enum AttestationSigner: Sendable {
    /// An Ed25519 key; its signatures are deterministic.
    case ed25519(ArchiveSigningKey)
    /// An ECDSA P-256 key; its signatures are DER over SHA-256, and randomized.
    case p256(ArchiveP256SigningKey)

    /// Reads a private key file, recognising the kind of key from its contents.
    ///
    /// A `PRIVATE KEY` PEM block with the Ed25519 algorithm (as `trail-archive keygen` writes it), or the base64
    /// of 32 raw bytes, is an Ed25519 key; any other `PRIVATE KEY` block, or an `EC PRIVATE KEY` block, must be
    /// an ECDSA P-256 key.
    ///
    /// - Parameter path: the key file.
    /// - Returns: the key.
    /// - Throws: ``AuditError/invalidKey(path:message:)`` when the file cannot be read or is neither kind.
    public static func load(contentsOf path: String) throws -> AttestationSigner {
        let text = try KeyFile.text(path)
        if text.contains("-----BEGIN EC PRIVATE KEY-----") {
            return .p256(try ArchiveP256SigningKey(contentsOf: path))
        }
        if let der = KeyFile.pemBlock(text, label: "PRIVATE KEY"), !der.starts(with: KeyFile.pkcs8Prefix) {
            return .p256(try ArchiveP256SigningKey(contentsOf: path))
        }
        return .ed25519(try ArchiveSigningKey(contentsOf: path))
    }

    /// The matching public key.
    public var verifier: AttestationVerifier {
        switch self {
        case .ed25519(let key): .ed25519(key.publicKey)
        case .p256(let key): .p256(key.publicKey)
        }
    }

    /// The identifier of the public key; see ``AttestationVerifier/keyID``.
    public var keyID: String { verifier.keyID }

    /// The PEM text of the private key (PKCS #8).
    public var pemRepresentation: String {
        switch self {
        case .ed25519(let key): key.pemRepresentation
        case .p256(let key): key.pemRepresentation
        }
    }

    /// Signs `message`.
    ///
    /// - Parameter message: the bytes to sign.
    /// - Returns: the signature: 64 raw bytes for Ed25519, DER for P-256.
    /// - Throws: when the crypto backend fails.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        switch self {
        case .ed25519(let key): try key.signature(for: message)
        case .p256(let key): try key.signature(for: message)
        }
    }
}
