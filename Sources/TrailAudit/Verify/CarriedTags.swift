import Foundation
import TrailArchive
import TrailJSON
import TrailSchema

/// The tag files an archive carries that verification reads into memory, each under its own cap
/// (``TagLimits``): `bagit.txt`, `bag-info.txt`, the manifests, the signature, the attestation,
/// `completeness.json` and `schemas/`. Other tag files are only hashed by the main pass.
struct CarriedTags {
    /// Contents by archive path.
    private(set) var bytes: [String: [UInt8]] = [:]

    /// The contents of the tag file at `path`, if the archive carries it.
    subscript(path: String) -> [UInt8]? { bytes[path] }

    /// Reads the tag files verification needs into memory, each under its own cap; other tag files (the
    /// report, the format document, anything unknown) are only hashed by the main pass, so no archive can
    /// make verification hold more than ``TagLimits`` allow.
    init(file: ArchiveFile, limits: ArchiveLimits) throws {
        let path = file.path
        // The main pass reads every name again with the tar headers checked.
        let reader = try SafeArchiveReader(file: file, limits: limits, checksTarHeaders: false)
        defer { reader.close() }
        var schemaBytes = 0
        var schemaCount = 0
        while let entry = try reader.nextEntry() {
            if entry.path.hasPrefix("data/") {
                if bytes[BagLayout.declaration] != nil, bytes[BagLayout.manifest] != nil, bytes[BagLayout.info] != nil {
                    return
                }
                continue
            }
            let cap: Int
            if let limit = TagLimits.bytes[entry.path] {
                cap = limit
            } else if entry.path.hasPrefix(BagLayout.schemasDirectory), entry.path.hasSuffix(".json") {
                schemaCount += 1
                guard schemaCount <= TagLimits.schemaCount else {
                    throw ArchiveError.limitExceeded(
                        path: path,
                        reason: "more than \(TagLimits.schemaCount) schema files under \(BagLayout.schemasDirectory)"
                    )
                }
                cap = min(TagLimits.schemaBytes, TagLimits.schemaTotalBytes - schemaBytes)
            } else {
                continue
            }
            guard entry.size <= cap else {
                throw ArchiveError.limitExceeded(
                    path: path,
                    reason: "tag file \(entry.path) is larger than \(cap) bytes"
                )
            }
            let data = try reader.readData(limit: cap)
            if entry.path.hasPrefix(BagLayout.schemasDirectory) { schemaBytes += data.count }
            bytes[entry.path] = data
        }
    }

    /// Parses `bagit.txt`, `bag-info.txt` and both manifests; a missing or malformed one is a `structure`
    /// finding.
    ///
    /// - Returns: the payload manifest, the tag manifest and `bag-info.txt`, each when readable.
    func structure(findings: inout [VerificationFinding]) -> (Manifest?, Manifest?, BagInfo?) {
        func text(_ name: String) -> String? {
            guard let bytes = bytes[name] else {
                findings.append(VerificationFinding(.structure, entry: name, message: "missing"))
                return nil
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        if let declaration = text(BagLayout.declaration), !declaration.hasPrefix("BagIt-Version: ") {
            findings.append(
                VerificationFinding(
                    .structure,
                    entry: BagLayout.declaration,
                    message: "does not start with BagIt-Version"
                )
            )
        }
        var info: BagInfo?
        if let text = text(BagLayout.info) {
            info = BagInfo.parse(text)
            if info == nil {
                findings.append(VerificationFinding(.structure, entry: BagLayout.info, message: "a line has no label"))
            }
        }
        func manifest(_ name: String) -> Manifest? {
            guard let text = text(name) else { return nil }
            switch Manifest.parse(text) {
            case .success(let manifest):
                return manifest
            case .failure(let error):
                findings.append(
                    VerificationFinding(.structure, entry: name, line: error.line, message: "not \"<sha256>  <path>\"")
                )
                return nil
            }
        }
        return (manifest(BagLayout.manifest), manifest(BagLayout.tagManifest), info)
    }

    /// The schemas the archive carries under `schemas/`; a schema without `$id`, or a required one the
    /// archive lacks, is a `records` finding.
    ///
    /// - Parameters:
    ///   - formatVersion: the format version `bag-info.txt` declares.
    ///   - findings: where the findings go.
    /// - Returns: the carried schemas (possibly none).
    func schemas(formatVersion: Int, findings: inout [VerificationFinding]) -> AuditSchemas? {
        var documents: [BundledSchema] = []
        for (name, bytes) in bytes where name.hasPrefix(BagLayout.schemasDirectory) && name.hasSuffix(".json") {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let id = (try? JSONParser().parse(bytes))?["$id"]?.stringValue else {
                findings.append(VerificationFinding(.records, entry: name, message: "not a schema with an $id"))
                continue
            }
            documents.append(
                BundledSchema(path: String(name.dropFirst(BagLayout.schemasDirectory.count)), id: id, text: text)
            )
        }
        let schemas = AuditSchemas(documents: documents)
        let version = formatVersion
        for kind in RecordKind.required(formatVersion: version) where !schemas.contains(id: kind.schemaID) {
            findings.append(
                VerificationFinding(
                    .records,
                    entry: BagLayout.schemasDirectory,
                    message: "the archive does not carry \(kind.schemaID)"
                )
            )
        }
        return schemas
    }
}
