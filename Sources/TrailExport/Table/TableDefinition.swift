/// A table of the export: its name, its columns in order, and whether it is partitioned by time.
///
/// The definitions in ``promptVersions``, ``traces`` and ``lineage`` are the single declaration of the
/// export's column types: the Parquet schema, the CSV header, the NDJSON members, the BigQuery schema and
/// the SQL DDL are all derived from them.
public struct TableDefinition: Sendable, Hashable {
    /// The table name, also the name of its folder in the output.
    public var name: String
    /// The columns, in output order.
    public var columns: [Column]
    /// Whether files go into Hive-style time partitions (`dt=…`); unpartitioned tables sit at the folder root.
    public var isPartitioned: Bool
    /// What a row is.
    public var summary: String

    /// Creates a table definition.
    ///
    /// - Parameters:
    ///   - name: the table name.
    ///   - columns: the columns in order.
    ///   - isPartitioned: whether the table is partitioned by time.
    ///   - summary: what a row is.
    public init(name: String, columns: [Column], isPartitioned: Bool, summary: String) {
        self.name = name
        self.columns = columns
        self.isPartitioned = isPartitioned
        self.summary = summary
    }

    /// The position of the column named `name`.
    ///
    /// - Parameter name: a column name.
    /// - Returns: its index, or `nil` when the table has no such column.
    public func index(of name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The tables of an export, in the order they are written.
    public static let all: [TableDefinition] = [promptActivations, promptVersions, traces, lineage]

    /// `prompt_activations`: one row per line of the activation history — which version a prompt had
    /// active or current from when a pull saw it; absent from sources without that history.
    public static let promptActivations = TableDefinition(
        name: "prompt_activations",
        columns: [
            Column("project_id", .string, summary: "Project of the prompt."),
            Column("source", .string, summary: "Platform observed: tuor or tracia."),
            Column(
                "prompt_id",
                .string,
                isNullable: true,
                summary: "Tracia prompt id (survives renames); null for Tuor."
            ),
            Column("prompt_key", .string, isNullable: true, summary: "Tracia slug at the time; null for Tuor."),
            Column(
                "prompt_version_id",
                .string,
                isNullable: true,
                summary: "The active or current version; null when there was none (deleted prompt)."
            ),
            Column("version", .int64, isNullable: true, summary: "Its version number."),
            Column("observed_at", .timestamp, summary: "When the pull that saw this state ran (UTC)."),
            Column(
                "previously_observed_at",
                .timestamp,
                isNullable: true,
                summary: "The pull before it: the change happened after this time, at or before observed_at."
            ),
            Column(
                "live_until",
                .timestamp,
                isNullable: true,
                summary:
                    "observed_at of the prompt's next row; null for its latest. Live at X: observed_at <= X < live_until."
            ),
            Column("upstream_updated_at", .string, isNullable: true, summary: "Tracia prompt updatedAt as served."),
            Column(
                "metadata",
                .json,
                isNullable: true,
                summary: "Tracia prompt metadata (name, slug, settings), as JSON text."
            ),
        ],
        isPartitioned: false,
        summary: "One row per change of a prompt's active version, slug or metadata, as pulls observed it."
    )

    /// `prompt_versions`: one row per prompt version.
    public static let promptVersions = TableDefinition(
        name: "prompt_versions",
        columns: [
            Column("project_id", .string, summary: "Project that owns the version."),
            Column("prompt_version_id", .string, summary: "Id of the version; the join key of traces and lineage."),
            Column("version", .int64, summary: "Version number within the project (Tuor) or slug (Tracia)."),
            Column("source", .string, summary: "Platform the version was pulled from: tuor or tracia."),
            Column("slug", .string, isNullable: true, summary: "Tracia prompt slug; null for Tuor."),
            Column("origin", .string, isNullable: true, summary: "How the version came to be (manual, refinement)."),
            Column("is_active", .boolean, summary: "Whether the version was active when last pulled."),
            Column("parent_id", .string, isNullable: true, summary: "Version this one derives from."),
            Column("created_at", .timestamp, summary: "When the version was saved (UTC)."),
            Column("created_by", .string, isNullable: true, summary: "Who saved the version."),
            Column("rationale", .string, isNullable: true, summary: "Upstream explanation of the change."),
            Column(
                "content",
                .string,
                summary: "The prompt text (Tuor), or the message array as compact JSON (Tracia)."
            ),
            Column("content_sha256", .string, summary: "SHA-256 of the content, as in the workspace."),
            Column("content_bytes", .int64, summary: "Number of bytes content_sha256 covers."),
            Column("provider", .string, isNullable: true, summary: "Model provider (Tracia)."),
            Column("model", .string, isNullable: true, summary: "Default model (Tracia)."),
            Column("temperature", .double, isNullable: true, summary: "Sampling temperature (Tracia)."),
            Column("top_p", .double, isNullable: true, summary: "Nucleus sampling setting (Tracia)."),
            Column("max_output_tokens", .int64, isNullable: true, summary: "Output token limit (Tracia)."),
        ],
        isPartitioned: false,
        summary: "One row per prompt version."
    )

    /// `traces`: one row per trace.
    public static let traces = TableDefinition(
        name: "traces",
        columns: [
            Column("project_id", .string, summary: "Project that owns the trace."),
            Column("trace_id", .string, summary: "Upstream id of the trace."),
            Column("source", .string, summary: "Platform the trace was pulled from: tuor or tracia."),
            Column("status", .string, isNullable: true, summary: "Review status as the upstream states it."),
            Column(
                "created_at",
                .timestamp,
                summary: "When the upstream created the trace (UTC); names the partition."
            ),
            Column("updated_at", .timestamp, isNullable: true, summary: "When the upstream last changed the trace."),
            Column("model", .string, isNullable: true, summary: "Model that produced the output."),
            Column("prompt_version_id", .string, isNullable: true, summary: "Prompt version the trace names."),
            Column("prompt_version", .int64, isNullable: true, summary: "Version number stated on the trace (Tracia)."),
            Column("internal_run_id", .string, isNullable: true, summary: "The customer's own run id."),
            Column("tags", .stringList, summary: "Tag ids attached to the trace."),
            Column("model_input", .json, isNullable: true, summary: "What the model saw, as JSON text."),
            Column("model_output", .json, isNullable: true, summary: "What the model produced, as JSON text."),
            Column("corrected_output", .json, isNullable: true, summary: "The reviewer's edited output, as JSON text."),
            Column("final_output", .json, isNullable: true, summary: "What to trust downstream, as JSON text."),
            Column("output_sha256", .string, summary: "SHA-256 of the RFC 8785 form of model_output."),
        ],
        isPartitioned: true,
        summary: "One row per trace."
    )

    /// `lineage`: one row per trace, resolving its prompt version.
    public static let lineage = TableDefinition(
        name: "lineage",
        columns: [
            Column("project_id", .string, summary: "Project that owns the trace."),
            Column("trace_id", .string, summary: "The trace."),
            Column("trace_created_at", .timestamp, summary: "The trace's created_at (UTC); names the partition."),
            Column("prompt_version_id", .string, isNullable: true, summary: "Prompt version the trace names."),
            Column("version", .int64, isNullable: true, summary: "Number of the linked version; null unless linked."),
            Column(
                "content_sha256",
                .string,
                isNullable: true,
                summary: "content_sha256 of the linked version; null unless linked."
            ),
            Column("output_sha256", .string, summary: "output_sha256 of the trace."),
            Column("status", .string, summary: "linked, unlinked, dangling or never_observed."),
            Column("source_file", .string, summary: "Source-relative path of the file holding the trace record."),
            Column("source_line", .int32, summary: "1-based line of the trace record in that file."),
        ],
        isPartitioned: true,
        summary: "One row per trace: the prompt version it resolves to."
    )
}
