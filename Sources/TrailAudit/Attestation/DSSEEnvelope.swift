import Foundation
public import TrailJSON

/// A DSSE (Dead Simple Signing Envelope) v1 envelope: a payload, its type, and signatures over the two.
///
/// Each signature is made over the pre-authentication encoding (``preAuthenticationEncoding(payloadType:payload:)``),
/// never over the payload alone, so a signature cannot be moved to a payload of another type. In JSON the
/// payload and the signatures are base64 (RFC 4648 §4, with padding); reading accepts the URL-safe alphabet
/// and missing padding too, as the specification asks. See
/// <https://github.com/secure-systems-lab/dsse/blob/master/protocol.md>.
public struct DSSEEnvelope: Sendable, Equatable {
    /// The payload type of an in-toto statement.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// One signature and the identifier of the key that made it.
    public struct Signature: Sendable, Equatable {
        /// The key's identifier (``AttestationVerifier/keyID``); empty when the signer gave none.
        public var keyID: String
        /// The signature bytes: 64 raw bytes for Ed25519, DER for ECDSA P-256.
        public var signature: [UInt8]

        /// Creates a signature.
        ///
        /// - Parameters:
        ///   - keyID: the key's identifier, or empty.
        ///   - signature: the signature bytes.
        public init(keyID: String, signature: [UInt8]) {
            self.keyID = keyID
            self.signature = signature
        }
    }

    /// The payload's media type.
    public var payloadType: String
    /// The signed bytes.
    public var payload: [UInt8]
    /// The signatures, each over the pre-authentication encoding of ``payloadType`` and ``payload``.
    public var signatures: [Signature]

    /// Creates an envelope from its parts.
    ///
    /// - Parameters:
    ///   - payloadType: the payload's media type.
    ///   - payload: the signed bytes.
    ///   - signatures: the signatures.
    public init(payloadType: String, payload: [UInt8], signatures: [Signature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// The pre-authentication encoding DSSE v1 signs:
    /// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where `LEN` is the byte count in ASCII decimal.
    ///
    /// - Parameters:
    ///   - payloadType: the payload's media type.
    ///   - payload: the payload bytes.
    /// - Returns: the bytes to sign.
    public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        var bytes = Array("DSSEv1 \(type.count) ".utf8)
        bytes += type
        bytes += Array(" \(payload.count) ".utf8)
        bytes += payload
        return bytes
    }

    /// The pre-authentication encoding of this envelope's type and payload.
    public var preAuthenticationEncoding: [UInt8] {
        Self.preAuthenticationEncoding(payloadType: payloadType, payload: payload)
    }

    /// Signs a payload into a new envelope with one signature, identified by the signer's key id.
    ///
    /// - Parameters:
    ///   - payload: the bytes to sign, e.g. an ``InTotoStatement``'s ``InTotoStatement/bytes``.
    ///   - payloadType: the payload's media type.
    ///   - signer: the key.
    /// - Returns: the envelope.
    /// - Throws: when the crypto backend fails.
    public static func sign(
        payload: [UInt8],
        payloadType: String = DSSEEnvelope.inTotoPayloadType,
        with signer: AttestationSigner
    ) throws -> DSSEEnvelope {
        let encoding = preAuthenticationEncoding(payloadType: payloadType, payload: payload)
        let signature = Signature(keyID: signer.keyID, signature: try signer.signature(for: encoding))
        return DSSEEnvelope(payloadType: payloadType, payload: payload, signatures: [signature])
    }

    /// Whether a signature made by `verifier`'s key verifies over the pre-authentication encoding.
    ///
    /// Only signatures whose key id is the verifier's ``AttestationVerifier/keyID``, or is empty, are tried.
    ///
    /// - Parameter verifier: the public key.
    /// - Returns: `true` when one such signature verifies.
    public func verify(with verifier: AttestationVerifier) -> Bool {
        let keyID = verifier.keyID
        let encoding = preAuthenticationEncoding
        return signatures.contains { signature in
            (signature.keyID.isEmpty || signature.keyID == keyID)
                && verifier.isValidSignature(signature.signature, for: encoding)
        }
    }

    /// The envelope as JSON: `payload`, `payloadType`, `signatures` (`keyid`, `sig`).
    ///
    /// The member names are those of the DSSE specification and, being the protobuf JSON names too, of the
    /// `dsseEnvelope` member of a Sigstore bundle.
    public var json: JSONValue {
        [
            "payload": .string(Self.base64(payload)),
            "payloadType": .string(payloadType),
            "signatures": .array(
                signatures.map { ["keyid": .string($0.keyID), "sig": .string(Self.base64($0.signature))] }
            ),
        ]
    }

    /// The envelope's bytes: the RFC 8785 canonical form of ``json``.
    public var bytes: [UInt8] { json.canonicalized() }

    /// Reads an envelope from its JSON bytes.
    ///
    /// - Parameter bytes: the JSON text.
    /// - Returns: the envelope.
    /// - Throws: ``AuditError/invalidAttestation(_:)`` naming what is missing or malformed.
    public static func parse(_ bytes: [UInt8]) throws -> DSSEEnvelope {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw AuditError.invalidAttestation("the DSSE envelope is not JSON: \(error)")
        }
        return try DSSEEnvelope(json: json)
    }

    /// Reads an envelope from parsed JSON; see ``parse(_:)``. A missing `keyid` reads as empty.
    ///
    /// - Parameter json: the envelope.
    /// - Throws: ``AuditError/invalidAttestation(_:)`` naming what is missing or malformed.
    public init(json: JSONValue) throws {
        func fail(_ message: String) -> AuditError {
            AuditError.invalidAttestation("the DSSE envelope \(message)")
        }
        guard case .object(let object) = json else { throw fail("is not a JSON object") }
        guard let payloadType = object["payloadType"]?.stringValue else { throw fail("has no payloadType string") }
        guard let encoded = object["payload"]?.stringValue else { throw fail("has no payload string") }
        guard let payload = Self.decodeBase64(encoded) else { throw fail("has a payload that is not base64") }
        guard let signatures = object["signatures"]?.arrayValue else { throw fail("has no signatures array") }
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = try signatures.enumerated().map { index, signature in
            guard signature.objectValue != nil else { throw fail("has signatures[\(index)] that is not an object") }
            guard let encoded = signature["sig"]?.stringValue, let bytes = Self.decodeBase64(encoded) else {
                throw fail("has no base64 sig in signatures[\(index)]")
            }
            let keyID = signature["keyid"]
            guard keyID == nil || keyID?.stringValue != nil else {
                throw fail("has a keyid in signatures[\(index)] that is not a string")
            }
            return Signature(keyID: keyID?.stringValue ?? "", signature: bytes)
        }
    }

    /// Standard base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes standard or URL-safe base64, with or without padding; `nil` for anything else.
    static func decodeBase64(_ text: String) -> [UInt8]? {
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        guard !standard.contains("=") || standard.count % 4 == 0 else { return nil }
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
