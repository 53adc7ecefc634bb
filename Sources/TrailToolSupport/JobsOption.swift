package import ArgumentParser
import Foundation

/// The one parallelism switch of the tools that work on several threads (`trail-validate`,
/// `trail-archive`, `trail-verify`): `--jobs N`, one per core by default. The results never depend on it.
package struct JobsOption: ParsableArguments {
    @Option(
        name: .customLong("jobs"),
        help: "Worker threads (default: the number of cores; results do not depend on it)."
    )
    package var given: Int?

    package init() {}

    /// The thread count: the option, else one per core.
    package var value: Int { given ?? max(1, ProcessInfo.processInfo.activeProcessorCount) }

    package func validate() throws {
        if let given, given < 1 { throw ValidationError("--jobs must be at least 1") }
    }
}
