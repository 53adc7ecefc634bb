public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One of PromptTrail's executables started in the background, for tests that signal it mid-run.
///
/// Output goes to temporary files; standard input is a pipe the test holds open until ``finish()``, so a
/// tool reading `-` waits for more.
public final class RunningTool: @unchecked Sendable {
    /// The child process (owned by this object; only its pid is read from other threads).
    public let process: Process
    private let directory: TemporaryDirectory
    private let input = Pipe()

    /// Starts `executable` (a product of this package) with `arguments` and extra `environment`.
    ///
    /// - Throws: when the process cannot be started.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "prompttrail-running")
        _ = FileManager.default.createFile(atPath: directory.appending("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: directory.appending("stderr").path, contents: nil)
        process = Process()
        process.executableURL = PackagePaths.products.appendingPathComponent(executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: directory.appending("stdout"))
        process.standardError = try FileHandle(forWritingTo: directory.appending("stderr"))
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Waits until the process catches SIGTERM (`SigCgt` in `/proc/<pid>/status`), or until it exits.
    ///
    /// A tool that turns SIGINT and SIGTERM into a clean stop first ignores both, then its dispatch signal
    /// sources install their handler when they start: only from then on is a signal delivered rather than
    /// dropped, so an ignored signal (`SigIgn`) does not count as ready. The Swift runtime's own crash
    /// handlers never take SIGTERM.
    ///
    /// - Parameter timeout: how long to wait.
    /// - Returns: whether the process is ready for the signal.
    /// - Throws: `CancellationError` when the test is cancelled while waiting.
    public func waitUntilHandlingInterrupts(timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        let statusPath = "/proc/\(process.processIdentifier)/status"
        let bit = UInt64(1) << (UInt64(SIGTERM) - 1)
        while ContinuousClock.now < deadline, process.isRunning {
            let status = (try? String(contentsOfFile: statusPath, encoding: .utf8)) ?? ""
            for line in status.split(separator: "\n") where line.hasPrefix("SigCgt:") {
                let hex = line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces)
                if let mask = UInt64(hex, radix: 16), mask & bit != 0 { return true }
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    /// What the process has written to standard output so far.
    public var standardOutputSoFar: String {
        (try? String(contentsOf: directory.appending("stdout"), encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Closes standard input (unless `closingInput` is false: then a tool reading it keeps waiting, and
    /// only a signal ends it) and waits for the process to end (killing it after `timeout`).
    ///
    /// - Throws: when the captured output cannot be read.
    /// - Returns: how it ended: `status` is the exit code, or minus the number of the signal that killed
    ///   it (so a tool that dies of SIGINT is never mistaken for one that exits 130).
    public func finish(timeout: Duration = .seconds(120), closingInput: Bool = true) async throws -> ProcessResult {
        if closingInput { try? input.fileHandleForWriting.close() }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let status =
            process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
        try? input.fileHandleForWriting.close()
        return ProcessResult(
            status: status,
            standardOutput: try String(contentsOf: directory.appending("stdout"), encoding: .utf8),
            standardError: try String(contentsOf: directory.appending("stderr"), encoding: .utf8)
        )
    }
}
