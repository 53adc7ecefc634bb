public import Crypto
import Foundation
import TrailJSON

/// An Ed25519 private key that signs audit archives, read from and written to PEM (PKCS #8) files.
///
/// PEM files interoperate with OpenSSL (`openssl pkey -in key.pem -pubout`). A file holding only the
/// base64 of the 32 raw key bytes is accepted too.
public struct ArchiveSigningKey: Sendable {
    /// The swift-crypto key.
    public let key: Curve25519.Signing.PrivateKey

    /// Creates a new random key.
    public init() {
        key = Curve25519.Signing.PrivateKey()
    }

    /// Wraps an existing key.
    ///
    /// - Parameter key: the private key.
    public init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }

    /// Reads a private key file.
    ///
    /// - Parameter path: a PEM (`PRIVATE KEY`) or raw-base64 file.
    /// - Throws: ``AuditError/invalidKey(path:message:)`` when it is not an Ed25519 private key.
    public init(contentsOf path: String) throws {
        let raw = try KeyFile.read(path, pemLabel: "PRIVATE KEY", derPrefix: KeyFile.pkcs8Prefix)
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        } catch {
            throw AuditError.invalidKey(path: path, message: "not an Ed25519 private key (\(error))")
        }
    }

    /// The matching public key.
    public var publicKey: ArchiveVerificationKey { ArchiveVerificationKey(key: key.publicKey) }

    /// The PEM text (PKCS #8).
    public var pemRepresentation: String {
        KeyFile.pem(label: "PRIVATE KEY", der: KeyFile.pkcs8Prefix + Array(key.rawRepresentation))
    }

    /// Signs `message`. Ed25519 signatures are deterministic: the same key and bytes give the same signature.
    ///
    /// - Parameter message: the bytes to sign.
    /// - Returns: the 64-byte signature.
    /// - Throws: when the crypto backend fails.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: message))
    }

    /// Writes a new key pair: the private key with mode 0600, the public key with mode 0644.
    ///
    /// - Parameters:
    ///   - privatePath: where to write the private key; must not exist.
    ///   - publicPath: where to write the public key; must not exist.
    /// - Returns: the new key.
    /// - Throws: ``AuditError/fileSystem(operation:path:message:)`` when a file exists or cannot be written.
    @discardableResult
    public static func generate(privatePath: String, publicPath: String) throws -> ArchiveSigningKey {
        let signing = ArchiveSigningKey()
        try KeyFile.createPair(
            privatePath: privatePath,
            privatePEM: signing.pemRepresentation,
            publicPath: publicPath,
            publicPEM: signing.publicKey.pemRepresentation
        )
        return signing
    }
}

/// An Ed25519 public key that checks archive signatures, read from PEM (SubjectPublicKeyInfo) or raw base64.
public struct ArchiveVerificationKey: Sendable, Equatable {
    /// The swift-crypto key.
    public let key: Curve25519.Signing.PublicKey

    /// Wraps an existing key.
    ///
    /// - Parameter key: the public key.
    public init(key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    /// Creates a key from its 32 raw bytes.
    ///
    /// - Parameter raw: the raw public key.
    /// - Throws: when the bytes are not a public key.
    public init(raw: [UInt8]) throws {
        key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    /// Reads a public key file.
    ///
    /// - Parameter path: a PEM (`PUBLIC KEY`) or raw-base64 file.
    /// - Throws: ``AuditError/invalidKey(path:message:)`` when it is not an Ed25519 public key.
    public init(contentsOf path: String) throws {
        let raw = try KeyFile.read(path, pemLabel: "PUBLIC KEY", derPrefix: KeyFile.spkiPrefix)
        do {
            key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        } catch {
            throw AuditError.invalidKey(path: path, message: "not an Ed25519 public key (\(error))")
        }
    }

    /// The 32 raw key bytes.
    public var raw: [UInt8] { Array(key.rawRepresentation) }

    /// The fingerprint written to `bag-info.txt`: lowercase hex SHA-256 of the 32 raw key bytes.
    public var fingerprint: String { Hex.string(SHA256.hash(data: raw)) }

    /// The DER SubjectPublicKeyInfo (RFC 8410 §4): the body of the PEM file.
    public var subjectPublicKeyInfo: [UInt8] { KeyFile.spkiPrefix + raw }

    /// The PEM text (SubjectPublicKeyInfo).
    public var pemRepresentation: String {
        KeyFile.pem(label: "PUBLIC KEY", der: subjectPublicKeyInfo)
    }

    /// Whether `signature` is this key's signature of `message`.
    ///
    /// - Parameters:
    ///   - signature: the 64-byte signature.
    ///   - message: the signed bytes.
    /// - Returns: `true` when it verifies.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }

    public static func == (lhs: ArchiveVerificationKey, rhs: ArchiveVerificationKey) -> Bool {
        lhs.raw == rhs.raw
    }
}

/// An ECDSA P-256 private key that signs attestations, read from and written to PEM files.
///
/// The file is PKCS #8 (`PRIVATE KEY`, as `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`
/// writes it); SEC 1 (`EC PRIVATE KEY`) is read too. Signatures use SHA-256 and are DER-encoded
/// (`ecdsa-sha2-nistp256`). Unlike Ed25519 signatures they are randomized: signing the same bytes twice gives
/// two different signatures, both valid.
public struct ArchiveP256SigningKey: Sendable {
    /// The swift-crypto key.
    public let key: P256.Signing.PrivateKey

    /// Creates a new random key.
    public init() {
        key = P256.Signing.PrivateKey()
    }

    /// Wraps an existing key.
    ///
    /// - Parameter key: the private key.
    public init(key: P256.Signing.PrivateKey) {
        self.key = key
    }

    /// Reads a private key file.
    ///
    /// - Parameter path: a PEM file with a `PRIVATE KEY` (PKCS #8) or `EC PRIVATE KEY` (SEC 1) block.
    /// - Throws: ``AuditError/invalidKey(path:message:)`` when it is not a P-256 private key.
    public init(contentsOf path: String) throws {
        let text = try KeyFile.text(path)
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            throw AuditError.invalidKey(path: path, message: "not an ECDSA P-256 private key in PEM (\(error))")
        }
    }

    /// The matching public key.
    public var publicKey: ArchiveP256VerificationKey { ArchiveP256VerificationKey(key: key.publicKey) }

    /// The PEM text (PKCS #8).
    public var pemRepresentation: String { Self.normalized(key.pemRepresentation) }

    /// Signs `message`: ECDSA over its SHA-256 digest.
    ///
    /// - Parameter message: the bytes to sign.
    /// - Returns: the DER-encoded signature (an ASN.1 `SEQUENCE` of `r` and `s`).
    /// - Throws: when the crypto backend fails.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: message).derRepresentation)
    }

    /// Writes a new key pair: the private key with mode 0600, the public key with mode 0644.
    ///
    /// - Parameters:
    ///   - privatePath: where to write the private key; must not exist.
    ///   - publicPath: where to write the public key; must not exist.
    /// - Returns: the new key.
    /// - Throws: ``AuditError/fileSystem(operation:path:message:)`` when a file exists or cannot be written.
    @discardableResult
    public static func generate(privatePath: String, publicPath: String) throws -> ArchiveP256SigningKey {
        let signing = ArchiveP256SigningKey()
        try KeyFile.createPair(
            privatePath: privatePath,
            privatePEM: signing.pemRepresentation,
            publicPath: publicPath,
            publicPEM: signing.publicKey.pemRepresentation
        )
        return signing
    }

    /// swift-crypto's PEM text with the final line break that PEM files end with.
    static func normalized(_ pem: String) -> String {
        pem.hasSuffix("\n") ? pem : pem + "\n"
    }
}

/// An ECDSA P-256 public key that checks attestation signatures, read from PEM (SubjectPublicKeyInfo).
public struct ArchiveP256VerificationKey: Sendable, Equatable {
    /// The swift-crypto key.
    public let key: P256.Signing.PublicKey

    /// Wraps an existing key.
    ///
    /// - Parameter key: the public key.
    public init(key: P256.Signing.PublicKey) {
        self.key = key
    }

    /// Reads a public key file.
    ///
    /// - Parameter path: a PEM file with a `PUBLIC KEY` block.
    /// - Throws: ``AuditError/invalidKey(path:message:)`` when it is not a P-256 public key.
    public init(contentsOf path: String) throws {
        let text = try KeyFile.text(path)
        do {
            key = try P256.Signing.PublicKey(pemRepresentation: text)
        } catch {
            throw AuditError.invalidKey(path: path, message: "not an ECDSA P-256 public key in PEM (\(error))")
        }
    }

    /// The DER SubjectPublicKeyInfo (RFC 5480, uncompressed point): the body of the PEM file.
    public var subjectPublicKeyInfo: [UInt8] { Array(key.derRepresentation) }

    /// The PEM text (SubjectPublicKeyInfo).
    public var pemRepresentation: String { ArchiveP256SigningKey.normalized(key.pemRepresentation) }

    /// Whether `signature` is this key's signature of `message`.
    ///
    /// - Parameters:
    ///   - signature: the DER-encoded ECDSA signature.
    ///   - message: the signed bytes (hashed with SHA-256 here).
    /// - Returns: `true` when it verifies; `false` too when the signature is not DER.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: message)
    }

    public static func == (lhs: ArchiveP256VerificationKey, rhs: ArchiveP256VerificationKey) -> Bool {
        lhs.subjectPublicKeyInfo == rhs.subjectPublicKeyInfo
    }
}

/// Reading and writing key files.
enum KeyFile {
    /// DER prefix of an Ed25519 PKCS #8 private key (RFC 8410 §7), followed by the 32 key bytes.
    static let pkcs8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    /// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), followed by the 32 key bytes.
    static let spkiPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    static func read(_ path: String, pemLabel: String, derPrefix: [UInt8]) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.invalidKey(path: path, message: "cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        let begin = "-----BEGIN \(pemLabel)-----"
        let end = "-----END \(pemLabel)-----"
        if let start = text.range(of: begin) {
            guard let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
                throw AuditError.invalidKey(path: path, message: "missing \(end)")
            }
            let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
            guard let der = Data(base64Encoded: String(body)).map(Array.init),
                der.count == derPrefix.count + 32, Array(der.prefix(derPrefix.count)) == derPrefix
            else {
                throw AuditError.invalidKey(path: path, message: "the \(pemLabel) block is not an Ed25519 key")
            }
            return Array(der.suffix(32))
        }
        if text.contains("-----BEGIN") {
            throw AuditError.invalidKey(path: path, message: "expected a \(begin) block")
        }
        let body = text.filter { !$0.isWhitespace }
        guard let raw = Data(base64Encoded: body).map(Array.init), raw.count == 32 else {
            throw AuditError.invalidKey(path: path, message: "neither PEM nor the base64 of 32 raw key bytes")
        }
        return raw
    }

    /// Writes a key pair: the private key with mode 0600, then the public key with mode 0644. Neither file may
    /// exist; when the public key cannot be written, the private key is removed again.
    static func createPair(privatePath: String, privatePEM: String, publicPath: String, publicPEM: String) throws {
        try create(privatePath, contents: privatePEM, permissions: 0o600)
        do {
            try create(publicPath, contents: publicPEM, permissions: 0o644)
        } catch {
            try? FileManager.default.removeItem(atPath: privatePath)
            throw error
        }
    }

    /// The text of a key file.
    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.invalidKey(path: path, message: "cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The DER bytes of the first `label` block of a PEM text, or `nil` when there is no such block.
    static func pemBlock(_ text: String, label: String) -> [UInt8]? {
        guard let start = text.range(of: "-----BEGIN \(label)-----"),
            let stop = text.range(of: "-----END \(label)-----", range: start.upperBound..<text.endIndex)
        else { return nil }
        let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body)).map(Array.init)
    }

    static func pem(label: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// Creates `path` exclusively with `permissions` (not subject to a later chmod race).
    static func create(_ path: String, contents: String, permissions: Int) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
        guard descriptor >= 0 else {
            throw AuditError.fileSystem(
                operation: "create key file",
                path: path,
                message: String(cString: strerror(errno))
            )
        }
        defer { close(descriptor) }
        _ = fchmod(descriptor, mode_t(permissions))
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw AuditError.fileSystem(
                operation: "write key file",
                path: path,
                message: String(cString: strerror(errno))
            )
        }
    }
}
