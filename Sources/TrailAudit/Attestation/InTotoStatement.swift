public import TrailJSON

/// An in-toto Statement v1: what was attested (the subjects, by digest) and the claim made about them (the
/// predicate).
///
/// Serialized in the RFC 8785 canonical form, so that the same statement always gives the same bytes; the
/// bytes are the payload of a ``DSSEEnvelope``. See <https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md>.
public struct InTotoStatement: Sendable, Equatable {
    /// The value of `_type` in every Statement v1.
    public static let type = "https://in-toto.io/Statement/v1"

    /// The predicate type of PromptTrail's archive attestation: its predicate carries the archive's completeness
    /// statement and lineage summary (`schemas/prompttrail/archive-predicate.json`).
    public static let archivePredicateType = "https://schemas.prompttrail.dev/attestation/archive/v1"

    /// One attested artifact: a name and the SHA-256 of its bytes.
    public struct Subject: Sendable, Equatable {
        /// The artifact's name; in an archive, its path from the bag's root (`tagmanifest-sha256.txt`).
        public var name: String
        /// The lowercase hexadecimal SHA-256 of the artifact.
        public var sha256: String

        /// Creates a subject.
        ///
        /// - Parameters:
        ///   - name: the artifact's name.
        ///   - sha256: the lowercase hexadecimal SHA-256 of its bytes.
        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// The attested artifacts; at least one.
    public var subjects: [Subject]
    /// The URI naming the kind of predicate.
    public var predicateType: String
    /// The claim about the subjects; a JSON object.
    public var predicate: JSONValue

    /// Creates a statement.
    ///
    /// - Parameters:
    ///   - subjects: the attested artifacts.
    ///   - predicateType: the URI naming the kind of predicate, e.g. ``archivePredicateType``.
    ///   - predicate: the claim, a JSON object.
    public init(subjects: [Subject], predicateType: String, predicate: JSONValue) {
        self.subjects = subjects
        self.predicateType = predicateType
        self.predicate = predicate
    }

    /// The statement as JSON: `_type`, `subject`, `predicateType`, `predicate`.
    public var json: JSONValue {
        let subject: [JSONValue] = subjects.map { subject in
            ["name": .string(subject.name), "digest": ["sha256": .string(subject.sha256)]]
        }
        return [
            "_type": .string(Self.type),
            "subject": .array(subject),
            "predicateType": .string(predicateType),
            "predicate": predicate,
        ]
    }

    /// The statement's bytes: the RFC 8785 canonical form of ``json``.
    public var bytes: [UInt8] { json.canonicalized() }

    /// Reads a statement from its JSON bytes.
    ///
    /// Members the Statement v1 does not define are ignored, as the specification asks; digests other than
    /// `sha256` are ignored too.
    ///
    /// - Parameter bytes: the JSON text, e.g. a DSSE envelope's payload.
    /// - Returns: the statement.
    /// - Throws: ``AuditError/invalidAttestation(_:)`` naming what is missing or malformed.
    public static func parse(_ bytes: [UInt8]) throws -> InTotoStatement {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw AuditError.invalidAttestation("the in-toto statement is not JSON: \(error)")
        }
        return try InTotoStatement(json: json)
    }

    /// Reads a statement from parsed JSON; see ``parse(_:)``.
    ///
    /// - Parameter json: the statement.
    /// - Throws: ``AuditError/invalidAttestation(_:)`` naming what is missing or malformed.
    public init(json: JSONValue) throws {
        func fail(_ message: String) -> AuditError {
            AuditError.invalidAttestation("the in-toto statement \(message)")
        }
        guard case .object(let object) = json else { throw fail("is not a JSON object") }
        guard let type = object["_type"]?.stringValue else { throw fail("has no _type string") }
        guard type == Self.type else { throw fail("has _type \(type), not \(Self.type)") }
        guard let subjects = object["subject"]?.arrayValue else { throw fail("has no subject array") }
        guard !subjects.isEmpty else { throw fail("has an empty subject array") }
        self.subjects = try subjects.enumerated().map { index, subject in
            guard let name = subject["name"]?.stringValue else { throw fail("has no name in subject[\(index)]") }
            guard let sha256 = subject["digest"]?["sha256"]?.stringValue else {
                throw fail("has no digest.sha256 in subject[\(index)] (\(name))")
            }
            guard Self.isSHA256(sha256) else {
                throw fail("has a digest.sha256 in subject[\(index)] (\(name)) that is not 64 lowercase hex digits")
            }
            return Subject(name: name, sha256: sha256)
        }
        guard let predicateType = object["predicateType"]?.stringValue, !predicateType.isEmpty else {
            throw fail("has no predicateType string")
        }
        self.predicateType = predicateType
        guard let predicate = object["predicate"], predicate.objectValue != nil else {
            throw fail("has no predicate object")
        }
        self.predicate = predicate
    }

    /// Whether `text` is a SHA-256 in lowercase hexadecimal.
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
