/// Everything that can go wrong while configuring, seeding or starting the emulator.
///
/// Request-level failures are HTTP responses, never this type: it only covers the server's own life.
package enum TrailServerError: Error, CustomStringConvertible, Sendable {
    /// A configuration value is unusable (a flag, an environment variable or an API-key file).
    case invalidConfiguration(String)
    /// A file could not be read.
    case unreadableFile(path: String, cause: any Error)
    /// The seed directory or one of its files is not a PromptTrail workspace or samples dataset.
    case invalidSeed(path: String, message: String)
    /// The SQLite database could not be opened or migrated.
    case storage(operation: String, cause: any Error)
    /// A bundled schema the routes check request bodies against is missing or does not compile.
    case bundledSchema(name: String, message: String)
    /// The server stopped before it was listening (the address could not be bound).
    case notListening(address: String)

    package var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return "invalid configuration: \(message)"
        case .unreadableFile(let path, let cause):
            return "cannot read \(path): \(cause)"
        case .invalidSeed(let path, let message):
            return "cannot seed from \(path): \(message)"
        case .storage(let operation, let cause):
            return "storage failed to \(operation): \(cause)"
        case .bundledSchema(let name, let message):
            return "cannot use the bundled schema \(name): \(message)"
        case .notListening(let address):
            return "could not listen on \(address)"
        }
    }
}
