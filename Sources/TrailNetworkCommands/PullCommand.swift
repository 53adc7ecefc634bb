public import ArgumentParser
internal import Foundation
internal import Logging
internal import TrailClient
internal import TrailJSON
internal import TrailModel
internal import TrailPull
internal import TrailToolSupport

#if canImport(Glibc)
    private import CMalloc
#endif

/// `trail-pull`: pull every prompt version and every linked trace from Tuor or Tracia into a workspace.
///
/// The API key comes from `TUOR_API_KEY` / `TRACIA_API_KEY` or `--api-key-file`, never from a flag value
/// (which `ps` would show). Exit status (``ToolOutcome``): 0 complete, 1 complete with quarantined
/// records, 2 could not complete (the workspace stays consistent; run again to resume), 64 for bad
/// arguments, 130 interrupted.
public struct PullCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "trail-pull",
        abstract: "Pull every prompt version and every linked trace from Tuor or Tracia into a workspace.",
        discussion: """
            The API key is read from TUOR_API_KEY or TRACIA_API_KEY, or from --api-key-file. Re-running \
            pulls only what is new; a killed run resumes where its last durable batch ended. Tracia serves \
            only each prompt's current version: --watch INTERVAL keeps pulling so that every version is \
            captured while it is current (or run trail-pull from cron or a systemd timer).
            With --watch it runs until interrupted (Ctrl-C or SIGTERM), each pull as durable as a single \
            one. Exit 1 means the pull completed with quarantined records; 2 that it could not complete \
            (run it again to resume).

            """ + ToolOutcome.helpTable
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

    @Option(
        name: [.customShort("o"), .customLong("output"), .customLong("out")],
        help: ArgumentHelp("The workspace directory (created when missing); --out is its older name.", valueName: "DIR")
    )
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

    @Option(help: "Page size asked of listings (at most 100 for Tracia, as documented; 200 for Tuor).")
    var pageSize: Int?

    @Option(
        help: ArgumentHelp(
            "Keep pulling: start the next incremental pull INTERVAL after each one ends (e.g. 300, 90s, 5m, 1h).",
            valueName: "interval"
        )
    )
    var watch: String?

    @Option(help: SummaryFormat.help)
    var format: SummaryFormat = .text

    @Option(help: "Write the final summary as JSON to this file.")
    var summaryJSON: String?

    @Flag(help: "Print only errors and the final summary line.")
    var quiet = false

    @OptionGroup var logLevel: LogLevelOption

    /// Creates the command with no arguments (ArgumentParser fills them in when parsing).
    public init() {}

    /// Runs the tool with PromptTrail's exit codes (``ToolOutcome``).
    public static func main() async {
        await ToolExit.main(Self.self)
    }

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
        if let pageSize {
            guard pageSize >= 1 else { throw ValidationError("--page-size must be at least 1") }
            guard pageSize <= platform.maximumPageSize else {
                throw ValidationError(
                    "--page-size \(pageSize) is above \(platform.displayName)'s "
                        + (platform.maximumPageSizeIsDocumented ? "documented " : "") + "maximum of "
                        + "\(platform.maximumPageSize) items per page"
                )
            }
        }
        if let watch, Self.seconds(watch) == nil {
            throw ValidationError(
                "--watch \(watch) is not an interval: give seconds (300) or 90s, 5m, 1h, at least 1 s"
            )
        }
    }

    /// Reads an interval: whole seconds, or a number followed by s, m or h; `nil` when it is not one or
    /// is under a second.
    ///
    /// - Parameter text: e.g. `300`, `90s`, `5m`, `1h`.
    /// - Returns: the seconds.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
        var digits = Substring(text)
        var unit = 1
        if let last = text.last, let factor = units[last] {
            digits = digits.dropLast()
            unit = factor
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value >= 1,
            value <= Int(Int32.max) / unit
        else { return nil }
        return value * unit
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
        let interruption = Interruption.install(tool: "trail-pull")
        defer { interruption.remove() }
        let command = self
        try await interruption.run { try await command.pull() }
    }

    /// Pulls once, or with `--watch` until a signal cancels the task; a cancelled pull ends in
    /// `CancellationError` (exit 130) after its last durable batch.
    func pull() async throws {
        let platform = Source(rawValue: source)!
        let key: APIKey
        do {
            key = try PullCommand.readKey(source: platform, file: apiKeyFile)
        } catch {
            FileHandle.standardError.write(Data("trail-pull: \(TerminalText.escapedControls("\(error)"))\n".utf8))
            throw ToolExit.notCompleted
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
            : logLevel.level(default: .warning)
        let runner = PullRunner(options: options, logger: logger, observer: reporter.handle)
        guard let interval = watch.flatMap(Self.seconds) else {
            let (summary, summaryWritten) = await runOnce(runner, reporter: reporter)
            try Task.checkCancellation()
            var code = PullCommand.exitCode(for: summary.status)
            if !summaryWritten { code = max(code, ToolOutcome.notCompleted.rawValue) }
            if code != 0 { throw ExitCode(code) }
            return
        }
        // Watching: pull, wait, pull again, until a signal ends the process. Every pull leaves a complete
        // checkpoint, so stopping at any moment loses nothing and the next run resumes.
        while true {
            let (summary, _) = await runOnce(runner, reporter: reporter)
            try Task.checkCancellation()
            if summary.status == .failed {
                logger.warning("pull failed; trying again at the next interval", metadata: ["seconds": "\(interval)"])
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    /// Runs one pull, prints its summary and writes `--summary-json` (replaced atomically).
    ///
    /// - Returns: the summary, and whether `--summary-json` (when given) was written; a run whose summary
    ///   could not be written exits 2.
    func runOnce(_ runner: PullRunner, reporter: PullProgressReporter) async -> (PullSummary, Bool) {
        let summary = await runner.run()
        reporter.finish(summary, format: format)
        if let summaryJSON {
            do {
                try Data((summary.json.serializedString(pretty: true) + "\n").utf8).write(
                    to: URL(fileURLWithPath: summaryJSON),
                    options: .atomic
                )
            } catch {
                let message = "trail-pull: cannot write the summary to \(summaryJSON): \(error.localizedDescription)"
                FileHandle.standardError.write(Data((TerminalText.escapedControls(message) + "\n").utf8))
                return (summary, false)
            }
        }
        return (summary, true)
    }

    /// The one place exit codes are decided: 0 complete, 1 quarantined records, 2 not complete.
    ///
    /// - Parameter status: how the pull ended.
    /// - Returns: the exit status.
    static func exitCode(for status: PullSummary.Status) -> Int32 {
        switch status {
        case .complete: ToolOutcome.success.rawValue
        case .quarantined: ToolOutcome.checkFailed.rawValue
        case .failed: ToolOutcome.notCompleted.rawValue
        }
    }

    /// Reads the key from the environment or a file; the key never appears in a message.
    static func readKey(source: Source, file: String?) throws -> APIKey {
        let variable = source.apiKeyVariable
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw KeyError("cannot read the API key file \(file)")
            }
            guard let key = APIKeyFile.key(for: variable, in: text) else {
                throw KeyError("\(file) holds no key for \(variable)")
            }
            return APIKey(key)
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
