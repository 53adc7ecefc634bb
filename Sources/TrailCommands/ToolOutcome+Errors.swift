import TrailAudit
import TrailExport
import TrailToolSupport

extension ToolOutcome {
    /// Whether an error of the archive, verify or export libraries means the data failed a check (1) or the
    /// run could not complete (2); what ``ToolExit`` reports for those three tools.
    ///
    /// - Parameter error: an error their command did not handle.
    /// - Returns: its outcome.
    static func of(_ error: any Error) -> ToolOutcome {
        switch error {
        case AuditError.invalidRecords:
            return .checkFailed
        case let error as ExportError:
            switch error {
            case .archiveNotIntact, .invalidRecord, .invalidSource, .invalidValue: return .checkFailed
            case .io, .incompatibleOutput: return .notCompleted
            case .invalidOptions: return .usage
            }
        default:
            return .notCompleted
        }
    }
}
