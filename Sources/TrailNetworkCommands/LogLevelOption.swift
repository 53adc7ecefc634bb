import ArgumentParser
import Foundation
import Logging

/// The one log-level switch of the tools that log (`trail-pull`, `trail-serve`): `--log-level LEVEL`,
/// defaulting to the `TRAIL_LOG_LEVEL` environment variable, then to the tool's own default.
struct LogLevelOption: ParsableArguments {
    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical (default: TRAIL_LOG_LEVEL, else the tool's)."
    )
    var value: String?

    init() {}

    func validate() throws {
        for (source, text) in [("--log-level", value), ("TRAIL_LOG_LEVEL", Self.environment)] {
            if let text, Logger.Level(rawValue: text) == nil {
                throw ValidationError(
                    "unknown \(source) \(text): use trace, debug, info, notice, warning, error or critical"
                )
            }
        }
    }

    /// The level: the option, else the environment variable, else `fallback`.
    func level(default fallback: Logger.Level) -> Logger.Level {
        (value ?? Self.environment).flatMap(Logger.Level.init(rawValue:)) ?? fallback
    }

    private static var environment: String? {
        ProcessInfo.processInfo.environment["TRAIL_LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
