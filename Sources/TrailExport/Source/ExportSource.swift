/// Receives the lines of one source file: the 1-based line number and the line's bytes (blank lines are
/// skipped but counted; the bytes are valid only during the call).
typealias LineVisitor = (Int, UnsafeBufferPointer<UInt8>) throws -> Void

/// One file of an export source: the prompt versions of a project, or its traces of one UTC day.
struct SourceFile {
    /// What the file holds.
    enum Content: Equatable {
        /// `prompts/<project_id>.jsonl`.
        case promptVersions
        /// `traces/<project_id>/<day>.jsonl`.
        case traces(day: String)
        /// `activations/<project_id>.jsonl`: read for lineage only (which versions pulls observed).
        case activations
    }

    /// What the file holds.
    var content: Content
    /// The project named by the file's path.
    var project: String
    /// The workspace-relative path (`traces/proj_x/2026-05-20.jsonl`), stored in lineage rows.
    var path: String
    /// How messages name the file: the workspace-relative path, or the archive entry (`data/…`).
    var displayName: String
}

/// Where an export reads its records: a workspace directory or an audit archive.
///
/// A source hands its files over in one forward pass, which is all an archive allows: every activations
/// and prompts file first, then the trace files project by project, each project's days ascending. Within that order the
/// exporter keeps one partition file pair open at a time.
protocol ExportSource {
    /// The projects the source describes (`workspace.json`, or the archive's `bag-info.txt`), sorted.
    var projects: [String] { get }

    /// Calls `body` with each file in the order above, and a function that streams the file's lines.
    ///
    /// The line function may be left uncalled to skip the file; it can be called once.
    ///
    /// - Parameter body: receives the file and its line streamer.
    /// - Throws: ``ExportError`` for an unreadable source, or what `body` throws.
    func forEachFile(_ body: (SourceFile, (LineVisitor) throws -> Void) throws -> Void) throws
}
