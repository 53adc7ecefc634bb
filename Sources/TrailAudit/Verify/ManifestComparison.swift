/// The final comparisons of a verification: the manifests against the digests the main pass computed,
/// and `bag-info.txt`'s counts against what it counted.
enum ManifestComparison {
    /// Compares both manifests with the computed digests: a wrong digest, an entry listed but absent, a
    /// payload file not listed, or a tag file no manifest covers is a `checksums` finding.
    ///
    /// - Parameters:
    ///   - manifest: the payload manifest.
    ///   - tagManifest: the tag manifest.
    ///   - computed: the SHA-256 and size of every entry the main pass read.
    /// - Returns: `checksums` findings.
    static func checksums(
        manifest: Manifest?,
        tagManifest: Manifest?,
        computed: [String: (digest: String, size: Int64)]
    ) -> [VerificationFinding] {
        var findings: [VerificationFinding] = []
        func compare(_ entry: Manifest.Entry, in manifest: String) {
            guard let actual = computed[entry.path] else {
                findings.append(
                    VerificationFinding(
                        .checksums,
                        entry: entry.path,
                        message: "listed in \(manifest) but not in the archive"
                    )
                )
                return
            }
            if actual.digest != entry.digest {
                findings.append(
                    VerificationFinding(
                        .checksums,
                        entry: entry.path,
                        message: "SHA-256 is \(actual.digest) but \(manifest) says \(entry.digest)"
                    )
                )
            }
        }
        if let manifest {
            var listed: Set<String> = []
            for entry in manifest.entries {
                listed.insert(entry.path)
                compare(entry, in: BagLayout.manifest)
            }
            for name in computed.keys.sorted() where name.hasPrefix("data/") && !listed.contains(name) {
                findings.append(
                    VerificationFinding(.checksums, entry: name, message: "not listed in \(BagLayout.manifest)")
                )
            }
        }
        for entry in tagManifest?.entries ?? [] { compare(entry, in: BagLayout.tagManifest) }
        // Every entry but the tag manifest (which the signature covers) and the signature itself must be
        // covered by a manifest: an unlisted file would otherwise ride along in a signed archive.
        if let tagManifest {
            let listed = Set(tagManifest.entries.map(\.path))
            for name in computed.keys.sorted()
            where !name.hasPrefix("data/") && !listed.contains(name) && !Self.uncovered.contains(name) {
                findings.append(
                    VerificationFinding(
                        .checksums,
                        entry: name,
                        message: "not covered by any manifest (not listed in \(BagLayout.tagManifest))"
                    )
                )
            }
        }
        return findings
    }

    /// The entries no manifest lists: the tag manifest and the signature over it.
    static let uncovered: Set<String> = [BagLayout.tagManifest, BagLayout.signature, BagLayout.attestation]

    /// Compares `Payload-Oxum` and PromptTrail's counts in `bag-info.txt` with what the archive holds: a
    /// difference is an `oxum` finding.
    ///
    /// - Parameters:
    ///   - info: `bag-info.txt`.
    ///   - payload: the payload as read.
    ///   - tally: what the main pass counted.
    /// - Returns: `oxum` findings.
    static func counts(info: BagInfo, payload: PayloadOxum, tally: ArchiveTally) -> [VerificationFinding] {
        var findings: [VerificationFinding] = []
        if let text = info.value("Payload-Oxum") {
            if let oxum = PayloadOxum(text) {
                if oxum != payload {
                    findings.append(
                        VerificationFinding(
                            .oxum,
                            entry: BagLayout.info,
                            message: "Payload-Oxum is \(oxum) but the payload holds \(payload)"
                        )
                    )
                }
            } else {
                findings.append(
                    VerificationFinding(
                        .oxum,
                        entry: BagLayout.info,
                        message: "Payload-Oxum \(text) is not OCTETS.STREAMS"
                    )
                )
            }
        }
        let counts: [(String, Int)] = [
            ("PromptTrail-Prompt-Versions", tally.promptVersions),
            ("PromptTrail-Traces", tally.traces),
            ("PromptTrail-Linked-Traces", tally.linked),
            ("PromptTrail-Unlinked-Traces", tally.unlinked),
            ("PromptTrail-Dangling-Traces", tally.dangling),
            ("PromptTrail-Never-Observed-Traces", tally.neverObserved),
            ("PromptTrail-Activations", tally.activations),
        ]
        for (label, actual) in counts {
            guard let stated = info.value(label) else { continue }
            if Int(stated) != actual {
                findings.append(
                    VerificationFinding(
                        .oxum,
                        entry: BagLayout.info,
                        message: "\(label) is \(stated) but the archive holds \(actual)"
                    )
                )
            }
        }
        return findings
    }
}
