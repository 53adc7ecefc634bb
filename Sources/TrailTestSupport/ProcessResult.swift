public import Foundation

/// The outcome of running one of PromptTrail's executables.
public struct ProcessResult: Sendable {
    /// The exit status.
    public var status: Int32
    /// Everything written to standard output.
    public var standardOutput: String
    /// Everything written to standard error.
    public var standardError: String
}

extension ProcessResult {
    /// Runs a built executable of this package (`trail-validate`, …) to completion.
    ///
    /// Output goes to temporary files rather than pipes, so a chatty child can never block.
    ///
    /// - Parameters:
    ///   - executable: the product name.
    ///   - arguments: its arguments.
    ///   - environment: extra environment variables.
    ///   - standardInput: bytes for standard input (empty by default).
    /// - Returns: exit status and captured output.
    /// - Throws: when the process cannot be started.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        standardInput: Data = Data()
    ) throws -> ProcessResult {
        let directory = try TemporaryDirectory(prefix: "prompttrail-process")
        let inputURL = directory.appending("stdin")
        let outputURL = directory.appending("stdout")
        let errorURL = directory.appending("stderr")
        try standardInput.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = PackagePaths.products.appendingPathComponent(executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: outputURL, encoding: .utf8),
            standardError: try String(contentsOf: errorURL, encoding: .utf8)
        )
    }
}
