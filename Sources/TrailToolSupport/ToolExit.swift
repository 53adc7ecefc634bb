package import ArgumentParser
import Foundation
import TrailJSON

/// How a run of any PromptTrail tool ended: the one table of exit codes the six tools share.
///
/// | code | meaning |
/// | ---: | --- |
/// | 0 | done; every check passed |
/// | 1 | the data failed a check (invalid records, an altered or incomplete archive, quarantined pulls) |
/// | 2 | the run could not complete (unreadable or missing input, a bad key, the network, the disk) |
/// | 64 | usage: an unknown option or a value it does not take |
/// | 130 | interrupted by SIGINT or SIGTERM; the previous good state is kept |
public enum ToolOutcome: Int32, CaseIterable, Sendable {
    case success = 0
    case checkFailed = 1
    case notCompleted = 2
    case usage = 64
    case interrupted = 130

    /// What the code means, as the help and the README say it.
    public var meaning: String {
        switch self {
        case .success: "done; every check passed"
        case .checkFailed: "the data failed a check"
        case .notCompleted: "the run could not complete (unreadable input, key, network or disk)"
        case .usage: "usage error: an unknown option or a value it does not take"
        case .interrupted: "interrupted (SIGINT or SIGTERM); the previous good state is kept"
        }
    }

    /// The outcome of an error that no library classified: the run could not complete.
    package static func unclassified(_ error: any Error) -> ToolOutcome { .notCompleted }

    /// The exit code as ArgumentParser throws it.
    package var exitCode: ExitCode { ExitCode(rawValue) }

    /// The table every tool's `--help` ends with.
    public static let helpTable: String =
        "Exit status (the same for every PromptTrail tool):\n"
        + allCases.map { outcome in
            let code = String(outcome.rawValue)
            return "  " + code + String(repeating: " ", count: max(0, 5 - code.count)) + outcome.meaning
        }
        .joined(separator: "\n")
}

/// The one place where errors become exit codes and user-facing lines: `trail-<tool>: message`, once.
package enum ToolExit {
    package static let success = ToolOutcome.success.exitCode
    package static let failed = ToolOutcome.checkFailed.exitCode
    package static let notCompleted = ToolOutcome.notCompleted.exitCode
    static let interrupted = ToolOutcome.interrupted.exitCode

    /// Parses and runs `Command` as the tool `Command.configuration.commandName`, exiting with the codes of
    /// ``ToolOutcome``; a usage error prints `trail-<tool>: message` and the usage line, and exits 64.
    ///
    /// - Parameters:
    ///   - command: the tool's command type.
    ///   - outcome: the code of an error the command did not handle (by default, 2: not completed); the
    ///     tools whose libraries tell a failed check from an unfinished run pass their own.
    package static func main<Command: ParsableCommand>(
        _ command: Command.Type,
        outcome: (any Error) -> ToolOutcome = ToolOutcome.unclassified
    ) async -> Never {
        let tool = Command.configuration.commandName ?? "prompttrail"
        do {
            var parsed = try Command.parseAsRoot()
            if var asynchronous = parsed as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try parsed.run()
            }
            Foundation.exit(ToolOutcome.success.rawValue)
        } catch {
            // A command's own exit code is final (ArgumentParser would read ExitCode(64) as a usage error).
            if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
            let code = Command.exitCode(for: error)
            if code == .validationFailure {
                var standardError = StandardError()
                let message = Command.message(for: error)
                print("\(tool): \(TerminalText.escapedControls(message))", to: &standardError)
                let usage = Command.usageString().trimmingCharacters(in: .whitespacesAndNewlines)
                print("Usage: \(usage)\n  See '\(tool) --help'.", to: &standardError)
                Foundation.exit(ToolOutcome.usage.rawValue)
            }
            if code == .success {
                Command.exit(withError: error)  // --help, --version: ArgumentParser prints them
            }
            Foundation.exit(report(error, tool: tool, outcome: outcome).rawValue)
        }
    }

    /// Prints one line for an error a command could not handle itself and returns its exit code.
    ///
    /// - Parameters:
    ///   - error: the error.
    ///   - tool: the tool's name, which starts the line.
    ///   - outcome: the code of an error that is neither an exit code nor a cancellation.
    /// - Returns: the exit code.
    package static func report(
        _ error: any Error,
        tool: String,
        outcome: (any Error) -> ToolOutcome = ToolOutcome.unclassified
    ) -> ExitCode {
        if let code = error as? ExitCode { return code }
        var standardError = StandardError()
        if error is CancellationError {
            print("\(tool): interrupted; the previous good state is kept", to: &standardError)
            return interrupted
        }
        print("\(tool): \(TerminalText.escapedControls("\(error)"))", to: &standardError)
        return outcome(error).exitCode
    }
}
