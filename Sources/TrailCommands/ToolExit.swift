import ArgumentParser
import Foundation
import TrailArchive
import TrailAudit
import TrailJSON

/// The one place where outcomes become exit codes and user-facing error lines.
///
/// - 0: success (for `trail-verify`: every archive intact).
/// - 1: the data failed a check (`trail-verify` findings, `trail-archive --fail-on-invalid`).
/// - 2: usage errors and unreadable inputs (bad options, missing files, unreadable archives, bad keys).
/// - 130: interrupted (Ctrl-C); nothing is left behind.
enum ToolExit {
    static let success = ExitCode(0)
    static let failed = ExitCode(1)
    static let usage = ExitCode(2)
    static let interrupted = ExitCode(130)

    /// Parses and runs `Command`, exiting with the codes above; usage errors exit 2, not 64.
    static func main<Command: AsyncParsableCommand>(_ command: Command.Type) async -> Never {
        do {
            var parsed = try Command.parseAsRoot()
            if var asynchronous = parsed as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try parsed.run()
            }
            Foundation.exit(0)
        } catch {
            let code = Command.exitCode(for: error)
            if code == .validationFailure {
                var standardError = StandardError()
                print(Command.fullMessage(for: error), to: &standardError)
                print("Usage: \(Command.usageString())".trimmingCharacters(in: .whitespaces), to: &standardError)
                Foundation.exit(usage.rawValue)
            }
            Command.exit(withError: error)
        }
    }

    /// Prints one line for a library error and returns its exit code.
    static func report(_ error: any Error, tool: String) -> ExitCode {
        var standardError = StandardError()
        switch error {
        case is CancellationError:
            print("\(tool): interrupted; nothing was written", to: &standardError)
            return interrupted
        case AuditError.invalidRecords:
            print("\(tool): \(TerminalText.escapedControls("\(error)"))", to: &standardError)
            return failed
        case let error as ExitCode:
            return error
        default:
            print("\(tool): \(TerminalText.escapedControls("\(error)"))", to: &standardError)
            return usage
        }
    }
}
