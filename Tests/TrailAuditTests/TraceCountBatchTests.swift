import Testing
import TrailModel

@testable import TrailAudit

@Suite("Linked traces counted in runs")
struct TraceCountBatchTests {
    /// Traces of two projects over three days, linked to four versions (two per project) with every review status
    /// (and none, and an unknown one), with unlinked, dangling and never-observed traces among them.
    static func traces() -> [(facts: TraceFacts, day: String, status: LineageRecord.Status)] {
        let reviews: [String?] = ["approved", "corrected", nil, "rejected", "pending", "escalated"]
        let statuses: [LineageRecord.Status] = [
            .linked, .linked, .unlinked, .linked, .dangling, .linked, .neverObserved,
        ]
        return (0..<2_000).map { index in
            let project = index < 1_200 ? "proj_a" : "proj_b"
            let status = statuses[index % statuses.count]
            let version: String? =
                switch status {
                case .linked: "\(project)_prm_version_\(index % 2)"
                case .unlinked: nil
                case .dangling, .neverObserved: "prm_missing_\(index % 3)"
                }
            let facts = TraceFacts(
                projectID: project,
                traceID: "trc_\(index)",
                createdAt: "2026-01-0\(1 + index / 700)T00:00:\(10 + index % 50).000Z",
                promptVersionID: version,
                outputSHA256: String(repeating: "\(index % 10)", count: 64),
                reviewStatus: reviews[index % reviews.count]
            )
            return (facts, "2026-01-0\(1 + index / 700)", status)
        }
    }

    static func lineage(_ facts: TraceFacts, _ status: LineageRecord.Status) -> LineageRecord {
        LineageRecord(
            traceID: facts.traceID,
            projectID: facts.projectID,
            promptVersionID: facts.promptVersionID,
            version: status == .linked ? 1 : nil,
            promptContentSHA256: nil,
            outputSHA256: facts.outputSHA256,
            file: "data/traces/\(facts.projectID)/x.jsonl",
            line: 1,
            status: status
        )
    }

    @Test("the page and the tally are those of the traces added one by one, whatever the runs", arguments: [1, 7, 500])
    func sameAsOneByOne(run: Int) {
        var page = AuditPageData()
        var tally = ArchiveTally()
        var batchedPage = AuditPageData()
        var batchedTally = ArchiveTally()
        var batch = TraceCountBatch()
        for (index, trace) in Self.traces().enumerated() {
            let lineage = Self.lineage(trace.facts, trace.status)
            let created = Timestamp(trace.facts.createdAt)
            page.add(trace.facts, day: trace.day, status: trace.status)
            tally.noteTrace(lineage, createdAt: trace.facts.createdAt, created: created)
            if trace.status == .linked {
                batch.addLinked(trace.facts, day: trace.day)
                batchedTally.noteCreated(trace.facts.createdAt, created)
            } else {
                batchedPage.add(trace.facts, day: trace.day, status: trace.status)
                batchedTally.noteTrace(lineage, createdAt: trace.facts.createdAt, created: created)
            }
            if (index + 1) % run == 0 { batch.flush(into: &batchedPage, tally: &batchedTally) }
        }
        batch.flush(into: &batchedPage, tally: &batchedTally)
        #expect(batch.isEmpty)
        #expect(AuditPage.html(batchedPage, title: "t") == AuditPage.html(page, title: "t"))
        for project in ["proj_a", "proj_b"] {
            let expected = page.projects[project]
            let actual = batchedPage.projects[project]
            #expect(actual?.perDay == expected?.perDay)
            #expect(actual?.reviews == expected?.reviews)
            #expect(actual?.linked == expected?.linked && actual?.unlinked == expected?.unlinked)
            #expect(actual?.example?.trace == expected?.example?.trace)
        }
        #expect(batchedTally.tracesPerVersion == tally.tracesPerVersion)
        #expect(batchedTally.traces == tally.traces && batchedTally.linked == tally.linked)
        #expect(batchedTally.dangling == tally.dangling && batchedTally.neverObserved == tally.neverObserved)
        #expect(batchedTally.earliest?.text == tally.earliest?.text && batchedTally.latest?.text == tally.latest?.text)
        #expect(batchedTally.unlinkedSample.map(\.trace) == tally.unlinkedSample.map(\.trace))
    }
}
