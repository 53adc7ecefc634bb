package import Foundation

/// Everything `trail-serve` is started with.
package struct ServerConfiguration: Sendable {
    /// The address to bind: `127.0.0.1` by default.
    package var host = "127.0.0.1"
    /// The port; 0 picks a free one.
    package var port = 0
    /// The SQLite file, or `nil` for an in-memory database.
    package var databasePath: String?
    /// The accepted API keys.
    package var apiKeys = APIKeys.defaults
    /// The server-wide fault plan.
    package var faults = FaultPlan()
    /// How many requests to fail first (`--fail-after`).
    package var failAfter = 0
    /// The seed for generated data, ids and faults.
    package var randomSeed: UInt64 = 1
    /// A workspace or samples folder to load.
    package var seedDirectory: URL?
    /// How many traces (and spans) to generate.
    package var generateCount = 0
    /// Serve the Python SDK's `versions` array on `GET /api/v1/prompts/{slug}` and the
    /// `GET /api/v1/prompts/{slug}/versions` route (`--tracia-versions`): an emulator extension. The
    /// documented REST API serves only a prompt's current version, which is the default.
    package var traciaVersions = false
    /// Answer Tracia errors flat, as the docs' example, instead of in the `{"error": {...}}` envelope both
    /// official SDKs read (`--tracia-flat-errors`).
    package var traciaFlatErrors = false
    /// The clock of the rate limits' per-minute windows: the system's by default; tests fix it so that a
    /// run of requests cannot straddle two windows.
    package var rateLimitClock: @Sendable () -> Date = Date.init

    /// Creates the default configuration: loopback, a free port, in memory, no faults.
    package init() {}
}
