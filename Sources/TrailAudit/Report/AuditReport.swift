import TrailModel

/// The human-readable `report.md` tag file.
public enum AuditReport {
    /// Renders the report: totals, traces per project and prompt version, unlinked and dangling traces,
    /// and validation failures (samples capped at ``ArchiveTally/sampleLimit``; `lineage.jsonl` and
    /// `data/quarantine/` hold everything).
    ///
    /// - Parameters:
    ///   - tally: the counts.
    ///   - info: the bag metadata.
    ///   - versions: the prompt-version index.
    /// - Returns: Markdown text.
    public static func markdown(tally: ArchiveTally, info: BagInfo, versions: [String: PromptVersionFacts]) -> String {
        var text = "# PromptTrail audit archive\n\n"
        text += "| Field | Value |\n|---|---|\n"
        for (label, value) in info.fields where label != "PromptTrail-Signing-Key" {
            text += "| \(label) | \(escape(value)) |\n"
        }
        text += "\n## Totals\n\n"
        text += "- Prompt versions: \(tally.promptVersions)\n"
        text +=
            "- Traces: \(tally.traces) (linked \(tally.linked), unlinked \(tally.unlinked), dangling \(tally.dangling), "
            + "never observed \(tally.neverObserved))\n"
        text += "- Records quarantined while archiving: \(tally.quarantined)\n"
        text += "- Quarantined records carried over from the workspace: \(tally.carriedQuarantine)\n"
        text += "- Validation failures: \(tally.failures)\n"

        text += "\n## Traces per project and prompt version\n\n"
        text += "| Project | Prompt version | Version | Traces |\n|---|---|---:|---:|\n"
        for project in tally.tracesPerVersion.keys.sorted() {
            let counts = tally.tracesPerVersion[project] ?? [:]
            let ordered = counts.keys.sorted { lhs, rhs in
                let (a, b) = (versions[lhs]?.version ?? Int64.max, versions[rhs]?.version ?? Int64.max)
                return a != b ? a < b : lhs < rhs
            }
            for id in ordered {
                let number = versions[id].map { String($0.version) } ?? (id.isEmpty ? "" : "missing")
                text += "| \(project) | \(id.isEmpty ? "(none)" : escape(id)) | \(number) | \(counts[id] ?? 0) |\n"
            }
        }

        text += "\n## Unlinked traces\n\n"
        text += listing(tally.unlinked, tally.unlinkedSample.map { "\($0.project) \($0.trace)" }, noun: "unlinked")
        text += "\n## Dangling traces\n\n"
        text += listing(
            tally.dangling,
            tally.danglingSample.map { "\($0.project) \($0.trace) names missing version \($0.promptVersion)" },
            noun: "dangling"
        )
        text += "\n## Traces naming a version no pull observed\n\n"
        text += listing(
            tally.neverObserved,
            tally.neverObservedSample.map {
                "\($0.project) \($0.trace) names never-observed version \($0.promptVersion)"
            },
            noun: "never observed"
        )
        text += "\n## Validation failures\n\n"
        text += listing(
            tally.failures,
            tally.failureSample.map {
                "\($0.file) line \($0.line): \($0.problems.map(\.description).joined(separator: "; "))"
            },
            noun: "failures; see data/quarantine/ for the records"
        )
        return text
    }

    private static func listing(_ count: Int, _ items: [String], noun: String) -> String {
        guard count > 0 else { return "None.\n" }
        var text = items.map { "- \(escape($0))\n" }.joined()
        if count > items.count { text += "- … and \(count - items.count) more \(noun)\n" }
        return text
    }

    private static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "|": result += "\\|"
            case "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}
