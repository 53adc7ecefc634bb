import Crypto
import Foundation
import Testing
import TrailAudit
import TrailJSON
import TrailTestSupport

@Suite("The attestation: an in-toto statement in a DSSE envelope in a Sigstore bundle")
struct AttestationTests {
    /// The two kinds of signing key.
    enum KeyKind: String, CaseIterable, Sendable {
        case ed25519
        case p256

        func signer() -> AttestationSigner {
            switch self {
            case .ed25519: .ed25519(ArchiveSigningKey())
            case .p256: .p256(ArchiveP256SigningKey())
            }
        }
    }

    static let tagManifest = "tagmanifest-sha256.txt"
    static let manifest = "manifest-sha256.txt"

    /// The digests an archive would have.
    static let archiveDigests: [String: String] = [
        tagManifest: Hex.string(SHA256.hash(data: Array("tag manifest\n".utf8))),
        manifest: Hex.string(SHA256.hash(data: Array("payload manifest\n".utf8))),
    ]

    static let predicate: JSONValue = [
        "completeness": ["traces": 12, "prompt_versions": 4],
        "lineage": ["linked": 9, "unlinked": 2, "dangling": 1],
    ]

    static func statement(
        digests: [String: String] = archiveDigests,
        predicateType: String = InTotoStatement.archivePredicateType
    ) -> InTotoStatement {
        InTotoStatement(
            subjects: [tagManifest, manifest].map { InTotoStatement.Subject(name: $0, sha256: digests[$0]!) },
            predicateType: predicateType,
            predicate: predicate
        )
    }

    /// The checks that failed.
    static func checks(_ result: AttestationVerification) -> [AttestationVerification.Check] {
        result.failures.map(\.check)
    }

    // MARK: Pre-authentication encoding

    @Test("PAE: the DSSE specification's example")
    func preAuthenticationEncoding() {
        let encoding = DSSEEnvelope.preAuthenticationEncoding(
            payloadType: "http://example.com/HelloWorld",
            payload: Array("hello world".utf8)
        )
        #expect(String(decoding: encoding, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test("PAE counts bytes, not characters, and keeps an empty payload")
    func preAuthenticationEncodingCountsBytes() {
        let encoding = DSSEEnvelope.preAuthenticationEncoding(payloadType: "tÿpe", payload: [])
        #expect(encoding == Array("DSSEv1 5 tÿpe 0 ".utf8))
    }

    // MARK: Round trips

    @Test("sign, serialize, parse and verify", arguments: KeyKind.allCases)
    func roundTrip(kind: KeyKind) throws {
        let signer = kind.signer()
        let statement = Self.statement()
        let bundle = try SigstoreBundle.sign(statement: statement, with: signer)
        let parsed = try SigstoreBundle.parse(bundle.bytes)
        #expect(parsed == bundle)
        #expect(parsed.publicKeyHint == signer.keyID)
        #expect(parsed.envelope.payloadType == "application/vnd.in-toto+json")
        #expect(parsed.envelope.payload == statement.bytes)
        let result = parsed.verify(with: signer.verifier, expectedSubjects: Self.archiveDigests)
        #expect(result.isValid, "\(result.failures)")
        #expect(result.statement == statement)

        let json = try JSONValue(parsing: bundle.bytes)
        #expect(json["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json")
        #expect(json["verificationMaterial"]?["publicKey"]?["hint"] == .string(signer.keyID))
        #expect(json["verificationMaterial"]?["tlogEntries"] == [])
        #expect(json["dsseEnvelope"]?["signatures"]?[0]?["keyid"] == .string(signer.keyID))

        #expect(try DSSEEnvelope.parse(bundle.envelope.bytes) == bundle.envelope)
        #expect(bundle.envelope.verify(with: signer.verifier))
        #expect(try InTotoStatement.parse(statement.bytes) == statement)
    }

    @Test("the statement is canonical JSON with the Statement v1 members")
    func statementShape() throws {
        let statement = Self.statement()
        #expect(statement.bytes == statement.json.canonicalized())
        let json = try JSONValue(parsing: statement.bytes)
        #expect(json["_type"] == "https://in-toto.io/Statement/v1")
        #expect(json["subject"]?[0]?["name"] == .string(Self.tagManifest))
        #expect(json["subject"]?[0]?["digest"]?["sha256"] == .string(Self.archiveDigests[Self.tagManifest]!))
        #expect(json["predicateType"] == "https://schemas.prompttrail.dev/attestation/archive/v1")
        #expect(json["predicate"] == Self.predicate)
        #expect(
            String(decoding: statement.bytes, as: UTF8.self).hasPrefix(#"{"_type":"https://in-toto.io/Statement/v1","#)
        )
    }

    @Test("an Ed25519 bundle is the same bytes every time; a P-256 one verifies every time")
    func determinism() throws {
        let ed25519 = KeyKind.ed25519.signer()
        let statement = Self.statement()
        #expect(
            try SigstoreBundle.sign(statement: statement, with: ed25519).bytes
                == SigstoreBundle.sign(statement: statement, with: ed25519).bytes
        )
        let p256 = KeyKind.p256.signer()
        for _ in 0..<3 {
            #expect(try SigstoreBundle.sign(statement: statement, with: p256).verify(with: p256.verifier).isValid)
        }
    }

    // MARK: Keys

    @Test("the key id is SHA-256 of the SubjectPublicKeyInfo in the PEM file", arguments: KeyKind.allCases)
    func keyID(kind: KeyKind) throws {
        let verifier = kind.signer().verifier
        let pem = verifier.pemRepresentation
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: body))
        #expect(verifier.keyID == Hex.string(SHA256.hash(data: der)))
        #expect(verifier.keyID.count == 64)
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n") && pem.hasSuffix("-----END PUBLIC KEY-----\n"))
    }

    @Test(
        "key files: generate writes 0600/0644 PEM files, and loading recognises the kind",
        arguments: KeyKind.allCases
    )
    func keyFiles(kind: KeyKind) throws {
        let directory = try TemporaryDirectory()
        let privatePath = directory.appending("key.pem").path
        let publicPath = directory.appending("key.pub").path
        let generated: AttestationSigner
        switch kind {
        case .ed25519:
            generated = .ed25519(try ArchiveSigningKey.generate(privatePath: privatePath, publicPath: publicPath))
        case .p256:
            generated = .p256(try ArchiveP256SigningKey.generate(privatePath: privatePath, publicPath: publicPath))
        }
        let mode = try FileManager.default.attributesOfItem(atPath: privatePath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let privateText = try String(contentsOfFile: privatePath, encoding: .utf8)
        #expect(
            privateText.hasPrefix("-----BEGIN PRIVATE KEY-----\n")
                && privateText.hasSuffix("-----END PRIVATE KEY-----\n")
        )

        let signer = try AttestationSigner.load(contentsOf: privatePath)
        let verifier = try AttestationVerifier.load(contentsOf: publicPath)
        #expect(verifier == generated.verifier)
        #expect(signer.verifier == verifier)
        switch (kind, signer, verifier) {
        case (.ed25519, .ed25519, .ed25519), (.p256, .p256, .p256): break
        default: Issue.record("\(kind) key files were read as \(signer.verifier.scheme) and \(verifier.scheme)")
        }
        let bundle = try SigstoreBundle.sign(statement: Self.statement(), with: signer)
        #expect(bundle.verify(with: verifier).isValid)

        #expect(throws: AuditError.self) {
            try ArchiveP256SigningKey.generate(privatePath: privatePath, publicPath: directory.appending("other").path)
        }
    }

    @Test("keys written by OpenSSL are read: P-256 as PKCS #8 and SEC 1, Ed25519 as PKCS #8")
    func openSSLKeys() throws {
        let directory = try TemporaryDirectory()
        let files: [(arguments: [String], file: String, scheme: String)] = [
            (
                ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], "pkcs8-p256.pem",
                "ecdsa-sha2-nistp256"
            ),
            (["ecparam", "-name", "prime256v1", "-genkey", "-noout"], "sec1-p256.pem", "ecdsa-sha2-nistp256"),
            (["genpkey", "-algorithm", "ed25519"], "ed25519.pem", "ed25519"),
        ]
        for (arguments, file, scheme) in files {
            let path = directory.appending(file).path
            let made = try AuditFixtures.run("openssl", arguments + ["-out", path])
            try #require(made.status == 0, "openssl \(arguments): \(made.output)")
            let publicPath = path + ".pub"
            let exported = try AuditFixtures.run("openssl", ["pkey", "-in", path, "-pubout", "-out", publicPath])
            try #require(exported.status == 0, "openssl pkey: \(exported.output)")
            let signer = try AttestationSigner.load(contentsOf: path)
            let verifier = try AttestationVerifier.load(contentsOf: publicPath)
            #expect(signer.verifier == verifier, "\(file)")
            #expect(verifier.scheme == scheme, "\(file)")
            let der = try AuditFixtures.run(
                "openssl",
                ["pkey", "-pubin", "-in", publicPath, "-outform", "DER", "-out", publicPath + ".der"]
            )
            try #require(der.status == 0, "openssl pkey -outform DER: \(der.output)")
            let bytes = try #require(FileManager.default.contents(atPath: publicPath + ".der"))
            #expect(verifier.keyID == Hex.string(SHA256.hash(data: bytes)), "\(file)")
        }
    }

    @Test("a file that is neither kind of key is refused, naming the file")
    func badKeyFiles() throws {
        let directory = try TemporaryDirectory()
        let certificate = directory.appending("not-a-key.pem").path
        try "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".write(
            toFile: certificate,
            atomically: true,
            encoding: .utf8
        )
        let garbage = directory.appending("garbage.pem").path
        try "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".write(
            toFile: garbage,
            atomically: true,
            encoding: .utf8
        )
        for path in [certificate, garbage, directory.appending("absent").path] {
            let error = #expect(throws: AuditError.self) { try AttestationSigner.load(contentsOf: path) }
            #expect(error?.description.hasPrefix("key \(path): ") == true, "\(String(describing: error))")
            #expect(throws: AuditError.self) { try AttestationVerifier.load(contentsOf: path) }
        }
    }

    // MARK: Bad input, each named by its check

    @Test("the wrong key: the hint names another key and the signature does not verify", arguments: KeyKind.allCases)
    func wrongKey(kind: KeyKind) throws {
        let signer = kind.signer()
        let other = kind.signer().verifier
        let result = try SigstoreBundle.sign(statement: Self.statement(), with: signer).verify(with: other)
        #expect(Self.checks(result) == [.keyHint, .signature], "\(result.failures)")
        #expect(
            result.failures.first?.description
                == "key: the bundle was signed with key \(signer.keyID), not with the given key \(other.keyID)"
        )
        #expect(result.failures.last?.description.hasPrefix("signature: the DSSE signature does not verify") == true)
        #expect(try !SigstoreBundle.sign(statement: Self.statement(), with: signer).envelope.verify(with: other))
    }

    @Test("a statement edited after signing: only the signature fails", arguments: KeyKind.allCases)
    func editedStatement(kind: KeyKind) throws {
        let signer = kind.signer()
        var bundle = try SigstoreBundle.sign(statement: Self.statement(), with: signer)
        var edited = Self.statement()
        edited.predicate = ["completeness": ["traces": 13], "lineage": [:]]
        bundle.envelope.payload = edited.bytes
        let result = try SigstoreBundle.parse(bundle.bytes).verify(
            with: signer.verifier,
            expectedSubjects: Self.archiveDigests
        )
        #expect(Self.checks(result) == [.signature], "\(result.failures)")
        #expect(
            result.failures.first?.description
                == "signature: the DSSE signature does not verify with key \(signer.keyID): the statement was "
                + "changed after signing, or it was signed with another key"
        )
        #expect(result.statement == edited)
    }

    @Test("a signed statement whose subject digests are not the archive's")
    func subjectMismatch() throws {
        let signer = KeyKind.ed25519.signer()
        var digests = Self.archiveDigests
        let wrong = String(repeating: "0", count: 64)
        digests[Self.tagManifest] = wrong
        let bundle = try SigstoreBundle.sign(statement: Self.statement(digests: digests), with: signer)
        let result = bundle.verify(with: signer.verifier, expectedSubjects: Self.archiveDigests)
        #expect(Self.checks(result) == [.subjects], "\(result.failures)")
        #expect(
            result.failures.first?.description
                == "subjects: subject tagmanifest-sha256.txt has digest \(wrong) but the archive's is "
                + Self.archiveDigests[Self.tagManifest]!
        )
        #expect(bundle.verify(with: signer.verifier).isValid, "without expected digests subjects are not compared")

        let missing = bundle.verify(
            with: signer.verifier,
            expectedSubjects: [Self.manifest: Self.archiveDigests[Self.manifest]!, "bag-info.txt": wrong]
        )
        #expect(
            missing.failures.map(\.message) == [
                "subject tagmanifest-sha256.txt is not a file of the archive",
                "the statement has no subject bag-info.txt",
            ]
        )
    }

    @Test("a signed statement of an unknown predicate type")
    func unknownPredicateType() throws {
        let signer = KeyKind.p256.signer()
        let other = "https://slsa.dev/provenance/v1"
        let bundle = try SigstoreBundle.sign(statement: Self.statement(predicateType: other), with: signer)
        let result = bundle.verify(with: signer.verifier, expectedSubjects: Self.archiveDigests)
        #expect(Self.checks(result) == [.predicateType], "\(result.failures)")
        #expect(
            result.failures.first?.description
                == "predicate type: unknown predicate type \(other); expected "
                + "https://schemas.prompttrail.dev/attestation/archive/v1"
        )
    }

    @Test("two signatures in the envelope")
    func twoSignatures() throws {
        let signer = KeyKind.ed25519.signer()
        let second = KeyKind.ed25519.signer()
        var bundle = try SigstoreBundle.sign(statement: Self.statement(), with: signer)
        let extra = try DSSEEnvelope.sign(payload: bundle.envelope.payload, with: second)
        bundle.envelope.signatures += extra.signatures
        let result = try SigstoreBundle.parse(bundle.bytes).verify(with: signer.verifier)
        #expect(Self.checks(result) == [.signatureCount, .keyHint], "\(result.failures)")
        #expect(
            result.failures.first?.description
                == "signature count: the DSSE envelope has 2 signatures; a Sigstore bundle has exactly one"
        )
        #expect(bundle.envelope.verify(with: signer.verifier) && bundle.envelope.verify(with: second.verifier))
    }

    @Test("another media type")
    func wrongMediaType() throws {
        let signer = KeyKind.ed25519.signer()
        var bundle = try SigstoreBundle.sign(statement: Self.statement(), with: signer)
        bundle.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.2"
        let result = try SigstoreBundle.parse(bundle.bytes).verify(with: signer.verifier)
        #expect(Self.checks(result) == [.mediaType], "\(result.failures)")
        #expect(
            result.failures.first?.description
                == "media type: the bundle's media type is application/vnd.dev.sigstore.bundle+json;version=0.2; "
                + "expected application/vnd.dev.sigstore.bundle.v0.3+json"
        )
    }

    @Test("a signed payload that is not an in-toto statement, or of another payload type")
    func notAStatement() throws {
        let signer = KeyKind.ed25519.signer()
        var json = Self.statement().json.objectValue!
        json["_type"] = "https://in-toto.io/Statement/v0.1"
        let envelope = try DSSEEnvelope.sign(payload: JSONValue.object(json).canonicalized(), with: signer)
        let result = SigstoreBundle(envelope: envelope, publicKeyHint: signer.keyID).verify(with: signer.verifier)
        #expect(Self.checks(result) == [.statement], "\(result.failures)")
        #expect(
            result.failures.first?.description
                == "statement: the in-toto statement has _type https://in-toto.io/Statement/v0.1, not "
                + "https://in-toto.io/Statement/v1"
        )
        let typed = try DSSEEnvelope.sign(payload: Self.statement().bytes, payloadType: "text/plain", with: signer)
        let other = SigstoreBundle(envelope: typed, publicKeyHint: signer.keyID).verify(with: signer.verifier)
        #expect(Self.checks(other) == [.statement], "\(other.failures)")
        #expect(other.statement == Self.statement())
    }

    @Test("a signature under another payload type does not verify: the type is signed too")
    func payloadTypeIsSigned() throws {
        let signer = KeyKind.p256.signer()
        var envelope = try DSSEEnvelope.sign(payload: Self.statement().bytes, with: signer)
        envelope.payloadType = "application/json"
        #expect(!envelope.verify(with: signer.verifier))
    }

    @Test("DSSE verify tries signatures of the key's id or of none, and skips others")
    func keyIDMatching() throws {
        let signer = KeyKind.ed25519.signer()
        var envelope = try DSSEEnvelope.sign(payload: Array("hello".utf8), payloadType: "text/plain", with: signer)
        envelope.signatures[0].keyID = ""
        #expect(envelope.verify(with: signer.verifier))
        envelope.signatures[0].keyID = String(repeating: "a", count: 64)
        #expect(!envelope.verify(with: signer.verifier))
        envelope.signatures = []
        #expect(!envelope.verify(with: signer.verifier))
    }

    // MARK: Reading

    @Test("unreadable input throws, naming what is wrong")
    func unreadable() throws {
        let cases: [(bytes: String, message: String)] = [
            ("not json", "the Sigstore bundle is not JSON"),
            ("[]", "the Sigstore bundle is not a JSON object"),
            (#"{"mediaType": "x"}"#, "the Sigstore bundle has no dsseEnvelope"),
            (
                #"{"mediaType": "x", "messageSignature": {}}"#,
                "has a messageSignature where a dsseEnvelope was expected"
            ),
            (
                #"{"mediaType": "x", "dsseEnvelope": {"payloadType": "t", "payload": "%%", "signatures": []}}"#,
                "has a payload that is not base64"
            ),
            (
                #"{"mediaType": "x", "dsseEnvelope": {"payloadType": "t", "payload": "", "signatures": [{"keyid": 1, "sig": ""}]}}"#,
                "keyid in signatures[0] that is not a string"
            ),
        ]
        for (bytes, message) in cases {
            let error = #expect(throws: AuditError.self) { try SigstoreBundle.parse(Array(bytes.utf8)) }
            #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        }
        let error = #expect(throws: AuditError.self) {
            try InTotoStatement.parse(Array(#"{"_type": "https://in-toto.io/Statement/v1", "subject": []}"#.utf8))
        }
        #expect(error?.description == "attestation: the in-toto statement has an empty subject array")
    }

    @Test("base64 in the standard or URL-safe alphabet, padded or not, is read")
    func base64Alphabets() throws {
        let payload: [UInt8] = [0xFB, 0xFF, 0xBF, 0x00]
        for encoded in ["+/+/AA==", "-_-_AA==", "-_-_AA"] {
            let text = #"{"payloadType": "t", "payload": "\#(encoded)", "signatures": [{"sig": "\#(encoded)"}]}"#
            let envelope = try DSSEEnvelope.parse(Array(text.utf8))
            #expect(envelope.payload == payload && envelope.signatures.first?.signature == payload, "\(encoded)")
            #expect(envelope.signatures.first?.keyID == "")
        }
    }

    // MARK: Independent checks

    @Test(
        "securesystemslib verifies the envelopes and sigstore-protobuf-specs reads the bundles",
        .timeLimit(.minutes(2))
    )
    func independentChecks() throws {
        let python = try AuditFixtures.venvPython()
        let directory = try TemporaryDirectory()
        for kind in KeyKind.allCases {
            let signer = kind.signer()
            let bundle = try SigstoreBundle.sign(statement: Self.statement(), with: signer)
            try Data(bundle.bytes).write(to: directory.appending("\(kind.rawValue).sigstore.json"))
            try signer.verifier.pemRepresentation.write(
                to: directory.appending("\(kind.rawValue).pub.pem"),
                atomically: true,
                encoding: .utf8
            )
        }
        let script = PackagePaths.root.appendingPathComponent("Tests/Python/attestation_check.py").path
        let run = try AuditFixtures.run(python, [script, directory.url.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ed25519: ed25519 bundle checked"), "\(run.output)")
        #expect(run.output.contains("p256: ecdsa-sha2-nistp256 bundle checked"), "\(run.output)")
    }
}
