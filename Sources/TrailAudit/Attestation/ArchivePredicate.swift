public import TrailJSON

/// The predicate of an archive's in-toto statement (`https://schemas.prompttrail.dev/attestation/archive/v1`):
/// the completeness statement, exactly as `completeness.json` holds it, and the lineage summary.
public enum ArchivePredicate {
    /// The predicate for an archive.
    ///
    /// - Parameters:
    ///   - completeness: the archive's completeness statement.
    ///   - tally: the archive's counts.
    /// - Returns: the predicate object.
    public static func json(completeness: CompletenessStatement, tally: ArchiveTally) -> JSONValue {
        .object(
            JSONObject([
                ("completeness", completeness.json),
                (
                    "lineage",
                    .object(
                        JSONObject([
                            ("traces", .number(JSONNumber(tally.traces))),
                            ("linked", .number(JSONNumber(tally.linked))),
                            ("unlinked", .number(JSONNumber(tally.unlinked))),
                            ("dangling", .number(JSONNumber(tally.dangling))),
                            ("never_observed", .number(JSONNumber(tally.neverObserved))),
                        ])
                    )
                ),
            ])
        )
    }
}
