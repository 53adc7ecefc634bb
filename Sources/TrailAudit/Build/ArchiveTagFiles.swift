import Foundation
import TrailModel
import TrailSchema

/// The tag files of an audit archive, made once the payload is planned: `bagit.txt`, `bag-info.txt`, the
/// manifests, the reports, the completeness statement, the bundled schemas and, when keys are given, the
/// signature and the attestation.
struct ArchiveTagFiles {
    /// Path and contents of every tag file, in archive order.
    private(set) var files: [(path: String, bytes: [UInt8])] = []
    /// The payload's `Payload-Oxum`.
    let oxum: PayloadOxum
    /// The signed attestation, when an attestation key was given.
    private(set) var bundle: SigstoreBundle?

    /// Makes every tag file.
    ///
    /// - Parameters:
    ///   - plans: the whole payload, sized and hashed.
    ///   - description: the workspace's `workspace.json` and `state.json`.
    ///   - windows: each project's trace window.
    ///   - tally: what pass 1 counted.
    ///   - page: what `report.html` shows.
    ///   - versions: prompt versions by id.
    ///   - options: keys, schemas and the bagging date.
    /// - Throws: ``AuditError`` when signing fails.
    init(
        plans: [PayloadPlan],
        description: WorkspaceDescription,
        windows: TraceWindows,
        tally: ArchiveTally,
        page: AuditPageData,
        versions: [String: PromptVersionFacts],
        options: ArchiveBuildOptions
    ) throws {
        oxum = PayloadOxum(octets: plans.reduce(0) { $0 + $1.size }, streams: plans.count)
        let manifest = Manifest(plans.map { Manifest.Entry(digest: $0.digest, path: $0.archivePath) })
        let manifestBytes = Array(manifest.text.utf8)
        var info = Self.bagInfo(description: description, oxum: oxum, tally: tally, options: options)
        if let key = options.signingKey?.publicKey {
            info.append("PromptTrail-Signing-Key-SHA256", key.fingerprint)
            info.append("PromptTrail-Signing-Key", Data(key.raw).base64EncodedString())
        }
        let attestationSigner = options.effectiveAttestationSigner
        if let attestationSigner {
            info.append("PromptTrail-Attestation-Key-ID", attestationSigner.keyID)
            info.append(
                "PromptTrail-Attestation-Key",
                Data(attestationSigner.verifier.subjectPublicKeyInfo).base64EncodedString()
            )
        }
        let completeness = CompletenessStatement(
            source: description.source,
            baseURL: description.baseURL,
            lastPull: description.stateUpdatedAt,
            projects: CompletenessStatement.counts(
                of: page,
                windows: windows.byProject,
                projects: description.projects
            ),
            payloadManifestSHA256: RecordInterpreter.sha256(manifestBytes)
        )
        files = [
            (BagLayout.declaration, Array(BagLayout.declarationText.utf8)),
            (BagLayout.info, Array(info.text.utf8)),
            (BagLayout.manifest, manifestBytes),
            (BagLayout.formatDocument, Array(ArchiveFormatDocument.text.utf8)),
            (BagLayout.report, Array(AuditReport.markdown(tally: tally, info: info, versions: versions).utf8)),
            (BagLayout.htmlReport, Array(AuditPage.html(page.with(info: info), title: AuditPageData.title(info)).utf8)),
            (BagLayout.completeness, completeness.bytes),
        ]
        for schema in options.schemas.documents {
            files.append((BagLayout.schemasDirectory + schema.path, Array(schema.text.utf8)))
        }
        let tagManifest = Manifest(
            files.map { Manifest.Entry(digest: RecordInterpreter.sha256($0.bytes), path: $0.path) }
        )
        let tagManifestBytes = Array(tagManifest.text.utf8)
        files.append((BagLayout.tagManifest, tagManifestBytes))
        if let attestationSigner {
            let statement = InTotoStatement(
                subjects: [
                    .init(name: BagLayout.tagManifest, sha256: RecordInterpreter.sha256(tagManifestBytes)),
                    .init(name: BagLayout.manifest, sha256: RecordInterpreter.sha256(manifestBytes)),
                ],
                predicateType: InTotoStatement.archivePredicateType,
                predicate: ArchivePredicate.json(completeness: completeness, tally: tally)
            )
            let signed = try SigstoreBundle.sign(statement: statement, with: attestationSigner)
            files.append((BagLayout.attestation, signed.bytes))
            bundle = signed
        }
        if let key = options.signingKey {
            let signature = try key.signature(for: tagManifestBytes)
            files.append((BagLayout.signature, Array((Data(signature).base64EncodedString() + "\n").utf8)))
        }
        files.sort { BagLayout.precedes($0.path, $1.path) }
    }

    private static func bagInfo(
        description: WorkspaceDescription,
        oxum: PayloadOxum,
        tally: ArchiveTally,
        options: ArchiveBuildOptions
    ) -> BagInfo {
        var info = BagInfo()
        info.append("Bag-Software-Agent", "PromptTrail trail-archive \(BagLayout.toolVersion)")
        info.append("Bagging-Date", description.baggingDay(baggingDate: options.baggingDate))
        info.append("Payload-Oxum", oxum.description)
        info.append(
            "External-Description",
            "PromptTrail audit archive: prompt versions, model traces and their lineage"
        )
        info.append("PromptTrail-Archive-Format-Version", String(BagLayout.formatVersion))
        info.append("PromptTrail-Tool-Version", BagLayout.toolVersion)
        info.append("PromptTrail-Source", description.source)
        info.append("PromptTrail-Base-URL", description.baseURL)
        for project in description.projects { info.append("PromptTrail-Project-ID", project) }
        if let earliest = tally.earliest, let latest = tally.latest {
            info.append("PromptTrail-Time-Range-Start", earliest.text)
            info.append("PromptTrail-Time-Range-End", latest.text)
        }
        info.append("PromptTrail-Prompt-Versions", String(tally.promptVersions))
        info.append("PromptTrail-Traces", String(tally.traces))
        info.append("PromptTrail-Linked-Traces", String(tally.linked))
        info.append("PromptTrail-Unlinked-Traces", String(tally.unlinked))
        info.append("PromptTrail-Dangling-Traces", String(tally.dangling))
        info.append("PromptTrail-Never-Observed-Traces", String(tally.neverObserved))
        info.append("PromptTrail-Activations", String(tally.activations))
        info.append("PromptTrail-Quarantined-Records", String(tally.quarantined + tally.carriedQuarantine))
        return info
    }
}
