import ArgumentParser
import Foundation

/// Reports that a tool has not shipped yet and returns the exit code for it (2).
///
/// Every PromptTrail tool exists from the first release so that scripts and packaging can rely on its
/// name; one whose implementation has not shipped accepts any arguments and says so.
func notImplemented(_ configuration: CommandConfiguration) -> ExitCode {
    let name = configuration.commandName ?? "this command"
    var standardError = StandardError()
    print("\(name): not implemented yet in this release of PromptTrail", to: &standardError)
    return ExitCode(2)
}

/// Writes to the process's standard error.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
