public import ArgumentParser
import Foundation
import Logging
import TrailJSON
package import TrailServer
import TrailToolSupport

/// `trail-serve`: serve a local emulator of the Tuor and Tracia APIs, with fault injection.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-serve",
        abstract: "Serve a local emulator of the Tuor and Tracia APIs, with fault injection.",
        discussion: """
            Prints the bound port as the first line of standard output, then serves until SIGINT or SIGTERM.
            Keys come from TUOR_API_KEY / TRACIA_API_KEY or --api-key-file; with none, tuor_emulator and
            tr_emulator are accepted. Faults are off unless a flag or an X-Trail-Fault-* header turns them on.
            See docs/emulator.md. SIGINT or SIGTERM is how the emulator is stopped: it finishes the \
            requests in flight and exits 0. Exit 1 means the --seed folder is not a workspace or samples \
            dataset; 2 that a file could not be read, the database failed, or the address could not be bound.

            """ + ToolOutcome.helpTable
    )

    /// Where to listen.
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind; 0 picks a free one (printed as the first line of output).") var port = 0
    @Option(help: "SQLite database file (default: in memory).") var db: String?

    @Option(help: "File of API keys, one per line (tuor_…, tr_…, or TUOR_API_KEY=… / TRACIA_API_KEY=…).")
    var apiKeyFile: String?
    @Option(help: "An accepted API key (repeatable). Visible in `ps`: prefer the environment or --api-key-file.")
    var apiKey: [String] = []

    @Option(help: "Load a PromptTrail workspace or the samples folder.") var seed: String?
    @Option(help: "Generate N traces (and N Tracia spans) over a few projects and prompt histories.")
    var generate = 0
    @Option(help: "Seed for generated data, ids and fault choices.") var randomSeed: UInt64 = 1
    @Flag(
        help: """
            Emulator extension: serve the Python SDK's versions array on GET /api/v1/prompts/{slug} and \
            GET /api/v1/prompts/{slug}/versions. Tracia's REST API serves only the current version.
            """
    )
    var traciaVersions = false
    @Flag(
        help:
            "Answer Tracia errors flat, {\"code\",\"message\"}, as the docs' example (default: {\"error\": {...}}, as the SDKs read)."
    )
    var traciaFlatErrors = false

    @Option(help: "Milliseconds of latency added to every response.") var latencyMs = 0
    @Option(help: "Fraction (0-1) of requests answered with an injected error.") var errorRate = 0.0
    @Option(help: "Comma-separated statuses injected errors use.") var errorStatuses = "500,502,503"
    @Flag(help: "Enforce Tuor's documented limit of 200 trace creates per minute (429 + Retry-After).")
    var rateLimit = false
    @Option(help: "Trace creates per minute before 429 (implies --rate-limit).") var ingestRateLimit: Int?
    @Option(help: "Read requests per minute, per platform, before 429.") var readRateLimit: Int?
    @Option(help: "Fraction of responses whose connection is closed mid-body.") var disconnectRate = 0.0
    @Option(help: "Fraction of export lines truncated.") var truncateRate = 0.0
    @Option(help: "Fraction of list pages whose next cursor repeats the one sent.") var repeatCursorRate = 0.0
    @Option(help: "Fail the first N requests with 503 (for resume tests).") var failAfter = 0

    @OptionGroup var logLevel: LogLevelOption

    /// Creates the command with defaults (ArgumentParser fills in the parsed values).
    public init() {}

    /// Runs the tool with PromptTrail's exit codes (``ToolOutcome``).
    public static func main() async {
        await ToolExit.main(Self.self)
    }

    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        for (name, value) in [
            ("--error-rate", errorRate), ("--disconnect-rate", disconnectRate), ("--truncate-rate", truncateRate),
            ("--repeat-cursor-rate", repeatCursorRate),
        ] where !(0...1).contains(value) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard generate >= 0, failAfter >= 0, latencyMs >= 0 else {
            throw ValidationError("--generate, --fail-after and --latency-ms must not be negative")
        }
        guard errorStatuses.split(separator: ",").allSatisfy({ Int($0).map { (400...599).contains($0) } ?? false })
        else { throw ValidationError("--error-statuses must be 4xx/5xx codes separated by commas") }
    }

    /// The configuration these options describe.
    ///
    /// - Parameter environment: the process environment (for `TUOR_API_KEY`, `TRACIA_API_KEY`).
    /// - Returns: the server configuration.
    /// - Throws: ``TrailServerError`` when a key or the key file is unusable.
    package func serverConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        var keys = APIKeys.fromEnvironment(environment)
        if let apiKeyFile { keys = keys.union(try APIKeys.fromFile(URL(fileURLWithPath: apiKeyFile))) }
        for key in apiKey { try keys.add(key) }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.databasePath = db
        configuration.apiKeys = keys.withDefaults
        configuration.seedDirectory = seed.map { URL(fileURLWithPath: $0) }
        configuration.generateCount = generate
        configuration.randomSeed = randomSeed
        configuration.traciaVersions = traciaVersions
        configuration.traciaFlatErrors = traciaFlatErrors
        configuration.failAfter = failAfter
        var faults = FaultPlan()
        faults.latencyMilliseconds = latencyMs
        faults.errorRate = errorRate
        faults.errorStatuses = errorStatuses.split(separator: ",").compactMap { Int($0) }
        faults.ingestLimitPerMinute = ingestRateLimit ?? (rateLimit ? FaultPlan.documentedIngestLimit : nil)
        faults.readLimitPerMinute = readRateLimit
        faults.disconnectRate = disconnectRate
        faults.truncateRate = truncateRate
        faults.repeatCursorRate = repeatCursorRate
        configuration.faults = faults
        return configuration
    }

    public func run() async throws {
        var logger = Logger(label: "trail-serve")
        logger.logLevel = logLevel.level(default: .info)
        do {
            let server = try EmulatorServer(
                configuration: serverConfiguration(environment: ProcessInfo.processInfo.environment)
            )
            try await server.populate()
            let host = self.host
            do {
                try await server.run(logger: logger) { port in
                    // The first line of standard output is the port, for scripts; then a human-readable line.
                    FileHandle.standardOutput.write(
                        Data("\(port)\ntrail-serve listening on http://\(host):\(port)\n".utf8)
                    )
                }
            } catch let error as TrailServerError {
                throw error
            } catch {
                // Hummingbird and NIO fail here, and only here, when the address cannot be bound.
                throw TrailServerError.notListening(address: "\(host):\(port): \(error)")
            }
        } catch let error as TrailServerError {
            throw ServeFailure(error: error).exitCode
        }
    }
}

/// Maps the emulator's failures to ``ToolOutcome`` codes, in one place: a seed that is not a workspace is
/// data that failed a check (1); a bad configuration value is a usage error (64); an unreadable file,
/// storage, a bundled schema that does not compile and an address that cannot be bound stop the run (2).
struct ServeFailure {
    var error: TrailServerError

    var exitCode: ExitCode {
        var standardError = StandardError()
        print("trail-serve: \(TerminalText.escapedControls("\(error)"))", to: &standardError)
        switch error {
        case .invalidSeed: return ToolOutcome.checkFailed.exitCode
        case .invalidConfiguration: return ToolOutcome.usage.exitCode
        case .unreadableFile, .storage, .bundledSchema, .notListening: return ToolOutcome.notCompleted.exitCode
        }
    }
}
