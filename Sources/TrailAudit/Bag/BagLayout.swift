/// Paths and constants of PromptTrail's audit archive (docs/archive-format.md).
public enum BagLayout {
    /// The archive format version written into `bag-info.txt` and documented in docs/archive-format.md.
    public static let formatVersion = 3
    /// The PromptTrail release that writes the archive.
    public static let toolVersion = "0.1.0"

    /// `bagit.txt`: the bag declaration.
    public static let declaration = "bagit.txt"
    /// `bag-info.txt`: metadata, Payload-Oxum and PromptTrail's fields.
    public static let info = "bag-info.txt"
    /// `manifest-sha256.txt`: one line per payload file.
    public static let manifest = "manifest-sha256.txt"
    /// `tagmanifest-sha256.txt`: one line per tag file except itself and the signature.
    public static let tagManifest = "tagmanifest-sha256.txt"
    /// `signature.ed25519`: base64 Ed25519 signature over the exact bytes of the tag manifest.
    public static let signature = "signature.ed25519"
    /// `archive-format.md`: this layout's documentation, carried so the archive explains itself.
    public static let formatDocument = "archive-format.md"
    /// `report.md`: the human-readable summary.
    public static let report = "report.md"
    /// The auditor's page: the same facts as `report.md` with charts, self-contained HTML.
    public static let htmlReport = "report.html"
    /// What the archive claims to hold in full (``CompletenessStatement``); since format version 2.
    public static let completeness = "completeness.json"
    /// The Sigstore bundle (v0.3) with the DSSE-signed in-toto statement about the two manifests; signed
    /// archives of format version 2 carry it. Like the signature, no manifest can list it.
    public static let attestation = "attestation.sigstore.json"
    /// `schemas/`: the exact JSON Schemas the records were validated against.
    public static let schemasDirectory = "schemas/"
    /// `data/lineage.jsonl`: one line per model output.
    public static let lineage = "data/lineage.jsonl"
    /// `data/workspace.json`, `data/state.json`: the workspace's descriptor and pull state.
    public static let workspace = "data/workspace.json"
    /// `data/state.json`.
    public static let state = "data/state.json"
    /// `data/prompts/<project_id>.jsonl`.
    public static let promptsDirectory = "data/prompts/"
    /// `data/traces/<project_id>/<YYYY-MM-DD>.jsonl`.
    public static let tracesDirectory = "data/traces/"
    /// `data/quarantine/<project_id>/<stream>.jsonl`.
    public static let quarantineDirectory = "data/quarantine/"
    /// `data/activations/<project_id>.jsonl`: the workspace's activation history; since format version 3.
    public static let activationsDirectory = "data/activations/"

    /// The `bagit.txt` contents (RFC 8493 §2.1.1).
    public static let declarationText = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

    /// The position of an entry in the archive: tag files first, in a fixed order, then `schemas/` and
    /// `data/` sorted by their UTF-8 bytes. Readers stream tag files before any payload, which lets a
    /// verifier load the schemas and manifests before the first record.
    ///
    /// - Parameter path: a bag-relative path.
    /// - Returns: a key that sorts entries into archive order.
    public static func orderKey(_ path: String) -> (Int, [UInt8]) {
        let fixed = [
            declaration, info, manifest, tagManifest, signature, attestation, formatDocument, report, htmlReport,
            completeness,
        ]
        if let index = fixed.firstIndex(of: path) { return (index, []) }
        if path.hasPrefix(schemasDirectory) { return (fixed.count, Array(path.utf8)) }
        if path.hasPrefix("data/") { return (fixed.count + 2, Array(path.utf8)) }
        return (fixed.count + 1, Array(path.utf8))
    }

    /// Whether `lhs` comes before `rhs` in archive order.
    ///
    /// - Parameters:
    ///   - lhs: a bag-relative path.
    ///   - rhs: another.
    /// - Returns: `true` when `lhs` is written first.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let (a, b) = (orderKey(lhs), orderKey(rhs))
        return a.0 != b.0 ? a.0 < b.0 : a.1.lexicographicallyPrecedes(b.1)
    }
}
