import Foundation
import TrailArchive
import TrailJSON

/// Checks `signature.ed25519` (Ed25519 over the tag manifest) and `attestation.sigstore.json`, by the
/// given keys or, untrusted, by the keys `bag-info.txt` names.
struct SignatureCheck {
    private let tags: CarriedTags
    private let options: VerificationOptions
    /// What failed, as `signature` findings.
    private(set) var findings: [VerificationFinding] = []
    /// The signature's state in words.
    private(set) var signature = "not signed"

    /// Runs both checks.
    init(tags: CarriedTags, info: BagInfo?, options: VerificationOptions) {
        self.tags = tags
        self.options = options
        checkSignature(info: info)
        checkAttestation(info: info)
    }

    private mutating func checkSignature(info: BagInfo?) {
        let signature = tags[BagLayout.signature].flatMap {
            Data(base64Encoded: String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }.map { Array($0) }
        let message = tags[BagLayout.tagManifest] ?? []
        let declared = info?.value("PromptTrail-Signing-Key-SHA256")
        let embedded = info?.value("PromptTrail-Signing-Key").flatMap { Data(base64Encoded: $0) }.flatMap {
            try? ArchiveVerificationKey(raw: Array($0))
        }
        guard let signature else {
            if tags[BagLayout.signature] != nil {
                findings.append(VerificationFinding(.signature, entry: BagLayout.signature, message: "not base64"))
            } else if let named = declared ?? info?.value("PromptTrail-Signing-Key") {
                // A signed archive whose signature file was removed: bag-info.txt still names the key.
                findings.append(
                    VerificationFinding(
                        .signature,
                        entry: BagLayout.signature,
                        message: "missing, but \(BagLayout.info) names signing key \(named): the signature was removed"
                    )
                )
            } else if options.key != nil || options.requireSignature, tags[BagLayout.attestation] == nil {
                findings.append(
                    VerificationFinding(.signature, entry: BagLayout.signature, message: "the archive is not signed")
                )
            }
            return
        }
        if let key = options.key {
            if key.isValidSignature(signature, for: message) {
                self.signature = "valid, by the given key \(key.fingerprint)"
            } else {
                let named = declared.map { "; bag-info.txt names key \($0)" } ?? ""
                findings.append(
                    VerificationFinding(
                        .signature,
                        entry: BagLayout.signature,
                        message: "does not verify with the given key \(key.fingerprint)\(named)"
                    )
                )
                self.signature = "INVALID for the given key \(key.fingerprint)"
            }
            return
        }
        guard let embedded, embedded.fingerprint == declared else {
            findings.append(
                VerificationFinding(
                    .signature,
                    entry: BagLayout.info,
                    message: "the signing key in bag-info.txt is missing or does not match its fingerprint"
                )
            )
            return
        }
        if embedded.isValidSignature(signature, for: message) {
            self.signature = "valid, by key \(embedded.fingerprint) named in the archive (pass --key to trust it)"
        } else {
            findings.append(
                VerificationFinding(
                    .signature,
                    entry: BagLayout.signature,
                    message: "does not verify with the key the archive names"
                )
            )
        }
    }

    /// Checks `attestation.sigstore.json`: a Sigstore bundle whose DSSE signature, by the given key (or the
    /// one `bag-info.txt` names), covers an in-toto statement about the tag and payload manifests, with the
    /// completeness statement as its predicate.
    private mutating func checkAttestation(info: BagInfo?) {
        let entry = BagLayout.attestation
        func add(_ message: String) { findings.append(VerificationFinding(.signature, entry: entry, message: message)) }
        let named = info?.value("PromptTrail-Attestation-Key-ID")
        guard let bytes = tags[entry] else {
            if let named {
                add("missing, but \(BagLayout.info) names attestation key \(named): the attestation was removed")
            } else if let key = options.attestationKey, options.key == nil, tags[BagLayout.signature] == nil {
                add("the archive carries no attestation to check with the given key \(key.keyID)")
            }
            return
        }
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle.parse(bytes) } catch {
            add("not a readable Sigstore bundle: \(error)")
            return
        }
        let key: AttestationVerifier
        let trusted: Bool
        if let given = options.attestationKey {
            key = given
            trusted = true
        } else if let embedded = info?.value("PromptTrail-Attestation-Key").flatMap({ Data(base64Encoded: $0) })
            .flatMap({ AttestationVerifier.from(subjectPublicKeyInfo: Array($0)) }), embedded.keyID == named
        {
            key = embedded
            trusted = false
        } else {
            add("the attestation key in \(BagLayout.info) is missing or does not match its key id")
            return
        }
        let expected = [
            BagLayout.tagManifest: RecordInterpreter.sha256(tags[BagLayout.tagManifest] ?? []),
            BagLayout.manifest: RecordInterpreter.sha256(tags[BagLayout.manifest] ?? []),
        ]
        let result = bundle.verify(with: key, expectedSubjects: expected)
        for failure in result.failures { add("\(failure)") }
        guard result.isValid, let statement = result.statement else { return }
        let claimed = tags[BagLayout.completeness].flatMap { try? JSONParser().parse($0) }
        if statement.predicate["completeness"] != claimed {
            add("the signed predicate's completeness differs from \(BagLayout.completeness)")
            return
        }
        let attested = "attestation valid, by \(trusted ? "the given" : "the named") \(key.scheme) key \(key.keyID)"
        self.signature = self.signature == "not signed" ? attested : self.signature + "; " + attested
    }
}
