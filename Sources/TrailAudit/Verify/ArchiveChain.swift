/// Checks that consecutive archives of the same projects form one unbroken record: how a team proves
/// that a year of monthly archives is whole.
///
/// For each pair of consecutive archives (in the order given) and each project: both archives claim the
/// project, the later window starts exactly where the earlier one ends (no gap, no overlap), and every
/// prompt version the earlier archive holds is still in the later one (platforms keep every version, so a
/// version that disappears was lost). Each archive must carry a `completeness.json` (format version 2).
public enum ArchiveChain {
    /// The chain findings for `reports`, verified in this order; each finding names both archives.
    ///
    /// - Parameter reports: the verification reports of the archives, oldest first.
    /// - Returns: the findings (check `completeness`), empty when the chain is whole.
    public static func check(_ reports: [VerificationReport]) -> [VerificationFinding] {
        var findings: [VerificationFinding] = []
        func add(_ entry: String, _ message: String) {
            findings.append(VerificationFinding(.completeness, entry: entry, message: message))
        }
        for report in reports where report.completeness == nil {
            add(report.archive, "carries no readable \(BagLayout.completeness), so it cannot be part of a chain")
        }
        for (earlier, later) in zip(reports, reports.dropFirst()) {
            guard let first = earlier.completeness, let second = later.completeness else { continue }
            let pair = "chain \(earlier.archive) → \(later.archive)"
            let projectsA = Set(first.projects.keys)
            let projectsB = Set(second.projects.keys)
            guard projectsA == projectsB else {
                add(
                    pair,
                    "the archives hold different projects (\(projectsA.sorted().joined(separator: ", ")) and "
                        + "\(projectsB.sorted().joined(separator: ", ")))"
                )
                continue
            }
            for project in projectsA.sorted() {
                let a = first.projects[project]!
                let b = second.projects[project]!
                guard let end = a.until else {
                    add(pair, "project \(project): the earlier archive's window has no end")
                    continue
                }
                switch b.since {
                case nil:
                    add(pair, "project \(project): the later window has no start, so it overlaps the earlier one")
                case let start? where end < start:
                    add(pair, "project \(project): gap: nothing is claimed from \(end) to \(start)")
                case let start? where start < end:
                    add(pair, "project \(project): overlap: both archives claim \(start) to \(end)")
                default:
                    break
                }
                let kept = Set(later.page.projects[project]?.versions.keys.map { $0 } ?? [])
                for version in (earlier.page.projects[project]?.versions.keys.sorted() ?? [])
                where !kept.contains(version) {
                    add(
                        pair,
                        "project \(project): prompt version \(version) is in the earlier archive but not in the later one"
                    )
                }
            }
        }
        return findings
    }
}
