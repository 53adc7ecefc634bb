import TrailJSON
public import TrailSchema

/// What `trail-validate` found, file by file: counts, the invalid documents with their errors, and I/O problems.
/// Only invalid documents are kept, so memory stays proportional to the problems, not to the input.
public struct ValidationReport: Sendable {
    /// One invalid document (a `.json` file, or one NDJSON line).
    public struct Failure: Sendable {
        /// The 1-based line: the NDJSON line, the line of the parse error, or for a whole document the first
        /// line with an error.
        public internal(set) var line: Int
        /// Validation errors (empty when the document does not parse).
        public internal(set) var errors: [SchemaViolation]
        /// The parse error, when the document is not JSON.
        public internal(set) var parseError: String?
        /// For a whole document, the line of each error in `errors` (where its `instanceLocation` starts);
        /// empty for an NDJSON line, where every error is on `line`.
        public internal(set) var errorLines: [Int] = []

        /// The line of the error at `index` in `errors`.
        public func line(ofError index: Int) -> Int {
            index < errorLines.count ? errorLines[index] : line
        }

        /// A failure of a whole (possibly pretty-printed) document, each error placed on the line where the
        /// value it is about starts.
        static func document(_ text: some Collection<UInt8>, errors: [SchemaViolation]) -> Failure {
            let errorLines = JSONLineLocator(text).nearestLines(of: errors.map(\.instanceLocation))
            return Failure(line: errorLines.min() ?? 1, errors: errors, errorLines: errorLines)
        }
    }

    /// One input file (or standard input).
    public struct FileReport: Sendable {
        public internal(set) var path: String
        public internal(set) var schema: String?
        public internal(set) var documents = 0
        public internal(set) var bytes = 0
        public internal(set) var failures: [Failure] = []
        /// Why the file could not be read (I/O), if it could not.
        public internal(set) var ioError: String?
        /// How the schema was chosen, for `--explain`.
        public internal(set) var explanation: String?
    }

    public internal(set) var files: [FileReport] = []

    public var documentCount: Int { files.reduce(0) { $0 + $1.documents } }
    public var invalidCount: Int { files.reduce(0) { $0 + $1.failures.count } }
    public var ioErrorCount: Int { files.filter { $0.ioError != nil }.count }
    public var byteCount: Int { files.reduce(0) { $0 + $1.bytes } }
}
