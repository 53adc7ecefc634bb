public import TrailJSON

/// A Sigstore bundle (v0.3, JSON) carrying one DSSE envelope signed with a user's key: keyed signing, with no
/// certificate authority and no transparency log, so it is made and checked offline.
///
/// The verification material is only a public-key hint, the signer's ``AttestationVerifier/keyID``; the key
/// itself comes from elsewhere (`trail-verify --key`). `tlogEntries` is empty and there is no
/// `timestampVerificationData`. Member names are the protobuf JSON names of
/// `dev.sigstore.bundle.v1.Bundle`, and bytes are base64. See
/// <https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto>.
public struct SigstoreBundle: Sendable, Equatable {
    /// The media type of a v0.3 bundle in JSON.
    public static let mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"

    /// The bundle's `mediaType`.
    public var mediaType: String
    /// The `verificationMaterial.publicKey.hint`, or `nil` when the bundle has none.
    public var publicKeyHint: String?
    /// The `dsseEnvelope`.
    public var envelope: DSSEEnvelope

    /// Creates a bundle from its parts.
    ///
    /// - Parameters:
    ///   - envelope: the DSSE envelope.
    ///   - publicKeyHint: the signer's key id.
    ///   - mediaType: the media type; the v0.3 one unless a test needs another.
    public init(envelope: DSSEEnvelope, publicKeyHint: String?, mediaType: String = SigstoreBundle.mediaType) {
        self.mediaType = mediaType
        self.publicKeyHint = publicKeyHint
        self.envelope = envelope
    }

    /// Signs a statement into a bundle: the statement's ``InTotoStatement/bytes`` become the payload of a DSSE
    /// envelope of type `application/vnd.in-toto+json`, and the key's id becomes the public-key hint.
    ///
    /// - Parameters:
    ///   - statement: the statement.
    ///   - signer: the key.
    /// - Returns: the bundle.
    /// - Throws: when the crypto backend fails.
    public static func sign(statement: InTotoStatement, with signer: AttestationSigner) throws -> SigstoreBundle {
        let envelope = try DSSEEnvelope.sign(payload: statement.bytes, with: signer)
        return SigstoreBundle(envelope: envelope, publicKeyHint: signer.keyID)
    }

    /// The bundle as JSON: `mediaType`, `verificationMaterial` (`publicKey.hint`, `tlogEntries`) and
    /// `dsseEnvelope`.
    public var json: JSONValue {
        var material = JSONObject()
        if let publicKeyHint { material["publicKey"] = ["hint": .string(publicKeyHint)] }
        material["tlogEntries"] = []
        return [
            "mediaType": .string(mediaType),
            "verificationMaterial": .object(material),
            "dsseEnvelope": envelope.json,
        ]
    }

    /// The bundle's bytes: the RFC 8785 canonical form of ``json``, so the same bundle always gives the same
    /// bytes. (An Ed25519 signature is deterministic, so signing the same statement again gives the same
    /// bundle; an ECDSA signature is not.)
    public var bytes: [UInt8] { json.canonicalized() }

    /// Reads a bundle from its JSON bytes.
    ///
    /// Reading is lenient about what ``verify(with:expectedSubjects:)`` checks (media type, number of
    /// signatures, hint) so that those are reported as failed checks; transparency-log entries and timestamps
    /// are ignored.
    ///
    /// - Parameter bytes: the JSON text.
    /// - Returns: the bundle.
    /// - Throws: ``AuditError/invalidAttestation(_:)`` when the bytes are not JSON, or not a bundle with a DSSE
    ///   envelope.
    public static func parse(_ bytes: [UInt8]) throws -> SigstoreBundle {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw AuditError.invalidAttestation("the Sigstore bundle is not JSON: \(error)")
        }
        func fail(_ message: String) -> AuditError {
            AuditError.invalidAttestation("the Sigstore bundle \(message)")
        }
        guard case .object(let object) = json else { throw fail("is not a JSON object") }
        guard let mediaType = object["mediaType"]?.stringValue else { throw fail("has no mediaType string") }
        guard let envelope = object["dsseEnvelope"] else {
            throw fail(
                object["messageSignature"] == nil
                    ? "has no dsseEnvelope" : "has a messageSignature where a dsseEnvelope was expected"
            )
        }
        let material = object["verificationMaterial"]
        guard material == nil || material?.objectValue != nil else {
            throw fail("has a verificationMaterial that is not an object")
        }
        let hint = material?["publicKey"]?["hint"]
        guard hint == nil || hint?.stringValue != nil else { throw fail("has a publicKey.hint that is not a string") }
        return SigstoreBundle(
            envelope: try DSSEEnvelope(json: envelope),
            publicKeyHint: hint?.stringValue,
            mediaType: mediaType
        )
    }

    /// Checks the bundle with a public key obtained independently.
    ///
    /// The checks, each reported as a failure naming it: the media type is the v0.3 one; the envelope has
    /// exactly one signature; the public-key hint and the signature's key id are the key's id; the signature
    /// verifies over the pre-authentication encoding; the payload type is `application/vnd.in-toto+json` and the
    /// payload an in-toto Statement v1; its predicate type is ``InTotoStatement/archivePredicateType``; and, when
    /// `expectedSubjects` is given, the subjects are exactly those files with those digests.
    ///
    /// - Parameters:
    ///   - verifier: the public key.
    ///   - expectedSubjects: subject name → lowercase hex SHA-256, e.g. the archive's `tagmanifest-sha256.txt`
    ///     and `manifest-sha256.txt` with their digests; `nil` skips the subject check.
    /// - Returns: the failed checks (none when the bundle is valid) and the statement, if the payload is one.
    public func verify(
        with verifier: AttestationVerifier,
        expectedSubjects: [String: String]? = nil
    )
        -> AttestationVerification
    {
        var failures: [AttestationVerification.Failure] = []
        func fail(_ check: AttestationVerification.Check, _ message: String) {
            failures.append(AttestationVerification.Failure(check: check, message: message))
        }
        if mediaType != Self.mediaType {
            fail(.mediaType, "the bundle's media type is \(mediaType); expected \(Self.mediaType)")
        }
        if envelope.signatures.count != 1 {
            let count = envelope.signatures.count
            fail(
                .signatureCount,
                "the DSSE envelope has \(count) signature\(count == 1 ? "" : "s"); a Sigstore bundle has exactly one"
            )
        }
        let keyID = verifier.keyID
        if let publicKeyHint {
            if publicKeyHint != keyID {
                fail(.keyHint, "the bundle was signed with key \(publicKeyHint), not with the given key \(keyID)")
            }
        } else {
            fail(.keyHint, "the bundle has no public-key hint naming its signing key")
        }
        // The hint says which key signed; a signature naming another key contradicts it.
        for signature in envelope.signatures where !signature.keyID.isEmpty && signature.keyID != keyID {
            if let publicKeyHint, signature.keyID == publicKeyHint { continue }
            fail(
                .keyHint,
                "the DSSE signature names key \(signature.keyID), but the bundle's hint is \(publicKeyHint ?? "missing")"
            )
        }
        if !envelope.signatures.isEmpty && !envelope.verify(with: verifier) {
            fail(
                .signature,
                "the DSSE signature does not verify with key \(keyID): the statement was changed after signing, "
                    + "or it was signed with another key"
            )
        }
        var statement: InTotoStatement?
        if envelope.payloadType != DSSEEnvelope.inTotoPayloadType {
            fail(.statement, "the payload type is \(envelope.payloadType); expected \(DSSEEnvelope.inTotoPayloadType)")
        }
        do {
            statement = try InTotoStatement.parse(envelope.payload)
        } catch let error as AuditError {
            if case .invalidAttestation(let message) = error {
                fail(.statement, message)
            } else {
                fail(.statement, error.description)
            }
        } catch {
            fail(.statement, "\(error)")
        }
        if let statement {
            if statement.predicateType != InTotoStatement.archivePredicateType {
                fail(
                    .predicateType,
                    "unknown predicate type \(statement.predicateType); expected "
                        + InTotoStatement.archivePredicateType
                )
            }
            if let expectedSubjects {
                failures += Self.compare(statement.subjects, with: expectedSubjects)
            }
        }
        return AttestationVerification(failures: failures, statement: statement)
    }

    /// The subject failures: a subject with another digest than the archive's file, a subject that is not one
    /// of the expected files, and an expected file that is not a subject.
    static func compare(
        _ subjects: [InTotoStatement.Subject],
        with expected: [String: String]
    ) -> [AttestationVerification.Failure] {
        var failures: [AttestationVerification.Failure] = []
        var seen: Set<String> = []
        for subject in subjects {
            guard seen.insert(subject.name).inserted else {
                failures.append(.init(check: .subjects, message: "subject \(subject.name) is listed twice"))
                continue
            }
            guard let digest = expected[subject.name] else {
                failures.append(
                    .init(check: .subjects, message: "subject \(subject.name) is not a file of the archive")
                )
                continue
            }
            if digest != subject.sha256 {
                failures.append(
                    .init(
                        check: .subjects,
                        message: "subject \(subject.name) has digest \(subject.sha256) but the archive's is \(digest)"
                    )
                )
            }
        }
        for name in expected.keys.sorted() where !seen.contains(name) {
            failures.append(.init(check: .subjects, message: "the statement has no subject \(name)"))
        }
        return failures
    }
}
