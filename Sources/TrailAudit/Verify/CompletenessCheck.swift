import TrailJSON
import TrailSchema

/// Reads `completeness.json` and recounts what it claims against what the archive holds.
enum CompletenessCheck {
    /// Reads `completeness.json`; required from format version 2 on.
    static func read(
        tags: CarriedTags,
        formatVersion version: Int,
        schemas: AuditSchemas?,
        findings: inout [VerificationFinding]
    ) -> CompletenessStatement? {
        guard let bytes = tags[BagLayout.completeness] else {
            if version >= 2 {
                findings.append(
                    VerificationFinding(
                        .completeness,
                        entry: BagLayout.completeness,
                        message: "missing, although the archive declares format version \(version)"
                    )
                )
            }
            return nil
        }
        let schemaID = CompletenessStatement.schemaID
        if let schemas, schemas.contains(id: schemaID), let value = try? JSONParser().parse(bytes) {
            for problem in schemas.validator.problems(in: value, schemaID: schemaID) {
                findings.append(
                    VerificationFinding(.completeness, entry: BagLayout.completeness, message: "\(problem) (schema)")
                )
            }
        }
        switch CompletenessStatement.parse(bytes) {
        case .success(let statement): return statement
        case .failure(let error):
            findings.append(VerificationFinding(.completeness, entry: BagLayout.completeness, message: "\(error)"))
            return nil
        }
    }

    /// Recounts what `completeness.json` claims: a day, a prompt version or a project that holds fewer
    /// traces than claimed is *missing*; more than claimed, or a project not claimed, is reported too.
    ///
    /// - Parameters:
    ///   - statement: what `completeness.json` claims.
    ///   - page: what the main pass found.
    ///   - manifestDigest: the SHA-256 of `manifest-sha256.txt` as read, when the archive has one.
    /// - Returns: `completeness` findings.
    static func compare(
        _ statement: CompletenessStatement,
        with page: AuditPageData,
        manifestDigest: String?
    ) -> [VerificationFinding] {
        var findings: [VerificationFinding] = []
        let entry = BagLayout.completeness
        func add(_ message: String) {
            findings.append(VerificationFinding(.completeness, entry: entry, message: message))
        }
        if let manifestDigest, manifestDigest != statement.payloadManifestSHA256 {
            add(
                "payload_manifest_sha256 is \(statement.payloadManifestSHA256) but \(BagLayout.manifest) hashes to \(manifestDigest)"
            )
        }
        let actual = CompletenessStatement.counts(of: page, windows: [:], projects: [])
        for id in Set(statement.projects.keys).union(actual.keys).sorted() {
            guard let claimed = statement.projects[id] else {
                add("project \(id) holds records but the statement does not claim it")
                continue
            }
            let held =
                actual[id]
                ?? CompletenessStatement.Project(
                    since: nil,
                    until: nil,
                    promptVersions: 0,
                    traces: 0,
                    days: [:],
                    versions: [:]
                )
            func compare(_ what: String, _ claimed: Int, _ held: Int) {
                if held < claimed {
                    add("missing: \(what) of project \(id): the statement claims \(claimed), the archive holds \(held)")
                } else if held > claimed {
                    add("\(what) of project \(id): the archive holds \(held), more than the \(claimed) claimed")
                }
            }
            compare("prompt versions", claimed.promptVersions, held.promptVersions)
            compare("traces", claimed.traces, held.traces)
            for day in Set(claimed.days.keys).union(held.days.keys).sorted() {
                compare("traces of \(day)", claimed.days[day] ?? 0, held.days[day] ?? 0)
            }
            for version in Set(claimed.versions.keys).union(held.versions.keys).sorted() {
                compare(
                    "traces of prompt version \(version)",
                    claimed.versions[version] ?? 0,
                    held.versions[version] ?? 0
                )
            }
        }
        return findings
    }
}
