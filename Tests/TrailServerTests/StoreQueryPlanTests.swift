import Testing

@testable import TrailServer

/// The emulator's listings read a range of an index from the cursor on, so a page costs the same at any
/// depth of the listing. (A cursor condition spelt `a > ? OR (a = ? AND b > ?)` made SQLite walk the
/// index from the start of the range on every page: a pull of a million traces spent most of its time
/// in the emulator.)
@Suite("Store query plans")
struct StoreQueryPlanTests {
    private let cursor = PageCursor(key: 1_000, id: "trc_x")

    /// Whether the plan's first step searches the index `search` names from the cursor on, and nothing sorts
    /// the rows afterwards (a sort would read the whole range first).
    private func expectRangeSearch(_ plan: [String], _ search: String) {
        #expect(plan.first?.contains(search) == true, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test("a Tuor trace page after a cursor searches trace_by_project from the cursor")
    func tracePage() async throws {
        var query = TraceQuery()
        query.projectID = "proj_a"
        let plan = try await SQLiteStore().queryPlan(
            SQLiteStore.traceBodiesStatement(matching: query, after: cursor, limit: 200)
        )
        #expect(plan.count == 1, "\(plan)")
        #expect(plan.first?.contains("(updated_key,id)>(?,?)") == true, "\(plan)")
        expectRangeSearch(plan, "SEARCH trace USING INDEX trace_by_project")
    }

    @Test("the same without a project searches trace_by_update from the cursor")
    func allTraces() async throws {
        let plan = try await SQLiteStore().queryPlan(
            SQLiteStore.traceBodiesStatement(matching: TraceQuery(), after: cursor, limit: 200)
        )
        expectRangeSearch(plan, "SEARCH trace USING INDEX trace_by_update ((updated_key,id)>(?,?))")
    }

    @Test("a Tracia span page after a cursor searches span_by_time from the cursor, newest first")
    func spanPage() async throws {
        let plan = try await SQLiteStore().queryPlan(
            SQLiteStore.spansStatement(matching: SpanQuery(), after: cursor, limit: 100)
        )
        expectRangeSearch(plan, "SEARCH span USING INDEX span_by_time ((created_key,span_id)<(?,?))")
    }
}
