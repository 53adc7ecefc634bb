/// An error raised while exporting a dataset.
///
/// Each case names the operation and the file or record concerned; `cause` keeps the underlying error's
/// description where there was one.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source is not a PromptTrail workspace or archive, or cannot be read.
    case invalidSource(path: String, message: String)
    /// An archive source failed verification; `first` names its first findings.
    case archiveNotIntact(path: String, problems: Int, first: [String])
    /// A record of the source cannot be exported.
    case invalidRecord(file: String, line: Int, message: String)
    /// A file of the output cannot be written.
    case io(operation: String, path: String, message: String)
    /// The output directory holds an export made with other settings.
    case incompatibleOutput(path: String, message: String)
    /// The options contradict each other or name something the source does not have.
    case invalidOptions(message: String)
    /// A value does not fit the column it goes in.
    case invalidValue(table: String, column: String, message: String)

    public var description: String {
        switch self {
        case .invalidSource(let path, let message):
            "cannot export \(path): \(message)"
        case .archiveNotIntact(let path, let problems, let first):
            "cannot export \(path): the archive failed verification with \(problems) problem"
                + "\(problems == 1 ? "" : "s") (\(first.joined(separator: "; "))\(problems > first.count ? "; …" : ""))"
        case .invalidRecord(let file, let line, let message):
            "\(file):\(line): \(message)"
        case .io(let operation, let path, let message):
            "cannot \(operation) \(path): \(message)"
        case .incompatibleOutput(let path, let message):
            "\(path) holds another export: \(message)"
        case .invalidOptions(let message):
            "invalid options: \(message)"
        case .invalidValue(let table, let column, let message):
            "\(table).\(column): \(message)"
        }
    }
}
