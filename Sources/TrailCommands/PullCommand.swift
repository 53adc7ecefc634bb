public import ArgumentParser
internal import Foundation
internal import Logging
internal import TrailClient
internal import TrailJSON
internal import TrailModel
internal import TrailPull

#if canImport(Glibc)
    private import CMalloc
#endif

/// `trail-pull`: pull every prompt version and every linked trace from Tuor or Tracia into a workspace.
///
/// The API key comes from `TUOR_API_KEY` / `TRACIA_API_KEY` or `--api-key-file`, never from a flag value
/// (which `ps` would show). Exit status: 0 complete, 1 complete with quarantined records, 2 could not
/// complete (the workspace stays consistent; run again to resume), 64 for bad arguments.
public struct PullCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-pull",
        abstract: "Pull every prompt version and every linked trace from Tuor or Tracia into a workspace.",
        discussion: """
            The API key is read from TUOR_API_KEY or TRACIA_API_KEY, or from --api-key-file. Re-running \
            pulls only what is new; a killed run resumes where its last durable batch ended.
            Exit status: 0 complete, 1 complete with quarantined records, 2 could not complete.
            """
    )

    @Option(help: "The platform: tuor or tracia.")
    var source: String

    @Option(help: "The API base URL (default: the platform's; e.g. http://127.0.0.1:8080 for trail-serve).")
    var baseURL: String?

    @Option(name: .customLong("project"), parsing: .upToNextOption, help: "Project ids to pull (Tracia: one).")
    var projects: [String] = []

    @Option(help: "Pull only records changed at or after this RFC 3339 time.")
    var since: String?

    @Option(help: "Pull only records changed before this RFC 3339 time.")
    var until: String?

    @Option(help: "The workspace directory (created when missing).")
    var out: String

    @Option(help: "A file holding the API key (a bare key or NAME=key).")
    var apiKeyFile: String?

    @Option(help: "Projects pulled in parallel, and requests in flight per project.")
    var concurrency: Int = 4

    @Option(help: "Client-side request rate limit per second (0: none).")
    var rateLimit: Double = 10

    @Option(help: "Records per durable batch.")
    var batchSize: Int = 5000

    @Option(help: "Attempts per request before giving up.")
    var maxAttempts: Int = 8

    @Option(help: "First retry delay in milliseconds (doubles per attempt, with jitter).")
    var retryBaseMs: Int = 250

    @Option(help: "Seconds before a high-water mark an incremental pull starts again.")
    var overlap: Int = 2

    @Option(help: "Page size asked of listings.")
    var pageSize: Int?

    @Option(help: "Write the final summary as JSON to this file.")
    var summaryJSON: String?

    @Flag(help: "Print only errors and the final summary line.")
    var quiet = false

    /// Creates the command with no arguments (ArgumentParser fills them in when parsing).
    public init() {}

    public func validate() throws {
        guard let platform = Source(rawValue: source) else {
            throw ValidationError("--source must be tuor or tracia")
        }
        guard !projects.isEmpty else { throw ValidationError("give at least one --project") }
        if platform == .tracia, projects.count > 1 {
            throw ValidationError("a Tracia key sees the whole account: pull it into one --project")
        }
        for bound in [since, until].compactMap({ $0 }) where Timestamp(bound) == nil {
            throw ValidationError("\(bound) is not an RFC 3339 date-time")
        }
        if let baseURL {
            guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
                throw ValidationError("--base-url must be an http or https URL")
            }
            let authority = baseURL.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            if authority.count > 2, authority[2].contains("@") {
                throw ValidationError("--base-url must not carry credentials; use the key variable")
            }
        }
        guard concurrency >= 1, batchSize >= 1, maxAttempts >= 1 else {
            throw ValidationError("--concurrency, --batch-size and --max-attempts must be at least 1")
        }
    }

    /// Keeps glibc's allocator to one arena; `trail-pull` calls it first, on the main thread, before any
    /// other thread allocates. A pull frees each batch on one thread after the HTTP client's threads made
    /// it; with an arena per thread the freed memory stayed spread over them and the peak grew with the
    /// number of records (83 MiB at 100,000 traces, 104 MiB at 1,000,000); with one it is reused, at the
    /// same speed.
    public static func useOneMallocArena() {
        #if canImport(Glibc)
            _ = mallopt(M_ARENA_MAX, 1)
        #endif
    }

    public func run() async throws {
        let platform = Source(rawValue: source)!
        let key: APIKey
        do {
            key = try PullCommand.readKey(source: platform, file: apiKeyFile)
        } catch {
            FileHandle.standardError.write(Data("trail-pull: \(TerminalText.escapedControls("\(error)"))\n".utf8))
            throw ExitCode(2)
        }
        var options = PullOptions(source: platform, projects: projects, workspace: out, apiKey: key)
        options.baseURL = baseURL
        options.concurrency = concurrency
        options.batchSize = batchSize
        options.requestsPerSecond = rateLimit
        options.retryPolicy = RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(retryBaseMs))
        options.overlapSeconds = Int64(overlap)
        options.since = since.flatMap(Timestamp.init)
        options.until = until.flatMap(Timestamp.init)
        options.pageSize = pageSize
        let interactive = isatty(STDERR_FILENO) == 1
        let reporter = PullProgressReporter(interactive: interactive, quiet: quiet)
        var logger = Logger(label: "trail-pull") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        logger.logLevel =
            quiet
            ? .error
            : (ProcessInfo.processInfo.environment["TRAIL_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning)
        let runner = PullRunner(options: options, logger: logger, observer: reporter.handle)
        let summary = await runner.run()
        reporter.finish(summary)
        if let summaryJSON {
            do {
                try Data((summary.json.serializedString(pretty: true) + "\n").utf8).write(
                    to: URL(fileURLWithPath: summaryJSON)
                )
            } catch {
                FileHandle.standardError.write(Data("trail-pull: cannot write \(summaryJSON): \(error)\n".utf8))
            }
        }
        let code = PullCommand.exitCode(for: summary.status)
        if code != 0 { throw ExitCode(code) }
    }

    /// The one place exit codes are decided: 0 complete, 1 quarantined records, 2 not complete.
    ///
    /// - Parameter status: how the pull ended.
    /// - Returns: the exit status.
    static func exitCode(for status: PullSummary.Status) -> Int32 {
        switch status {
        case .complete: 0
        case .quarantined: 1
        case .failed: 2
        }
    }

    /// Reads the key from the environment or a file; the key never appears in a message.
    static func readKey(source: Source, file: String?) throws -> APIKey {
        let variable = source.apiKeyVariable
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw KeyError("cannot read the API key file \(file)")
            }
            for raw in text.split(whereSeparator: \.isNewline) {
                var line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                if line.hasPrefix(variable + "=") {
                    line = String(line.dropFirst(variable.count + 1))
                } else if line.contains("=") {
                    continue
                }
                if !line.isEmpty { return APIKey(line) }
            }
            throw KeyError("\(file) holds no key for \(variable)")
        }
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw KeyError("set \(variable) (or pass --api-key-file) to the platform's API key")
        }
        return APIKey(value)
    }

    struct KeyError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
