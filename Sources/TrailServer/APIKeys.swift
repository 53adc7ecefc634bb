package import Foundation
import TrailModel

/// The API keys the emulator accepts, per platform.
///
/// Tuor keys travel in `X-API-Key`; Tracia keys in `Authorization: Bearer tr_…`. A key is assigned to
/// a platform by its prefix (`tuor_` or `tr_`) or by the variable name in front of it.
package struct APIKeys: Sendable, Equatable {
    /// Keys accepted in Tuor's `X-API-Key` header.
    package var tuor: Set<String>
    /// Keys accepted as Tracia bearer tokens.
    package var tracia: Set<String>

    /// The keys used when none are configured: documented in `docs/emulator.md`, good for local use only.
    package static let defaults = APIKeys(tuor: ["tuor_emulator"], tracia: ["tr_emulator"])

    /// Creates a key set.
    ///
    /// - Parameters:
    ///   - tuor: keys for Tuor.
    ///   - tracia: keys for Tracia.
    package init(tuor: Set<String> = [], tracia: Set<String> = []) {
        self.tuor = tuor
        self.tracia = tracia
    }

    /// Adds one key, choosing the platform from its prefix.
    ///
    /// - Parameter key: a `tuor_…` or `tr_…` key.
    /// - Throws: ``TrailServerError/invalidConfiguration(_:)`` when the prefix names neither platform.
    package mutating func add(_ key: String) throws {
        if key.hasPrefix("tuor_") {
            tuor.insert(key)
        } else if key.hasPrefix("tr_") {
            tracia.insert(key)
        } else {
            throw TrailServerError.invalidConfiguration(
                "an API key must start with tuor_ (Tuor) or tr_ (Tracia); the key itself is not shown"
            )
        }
    }

    /// Reads keys from the environment: `TUOR_API_KEY` and `TRACIA_API_KEY`.
    ///
    /// - Parameter environment: the process environment.
    /// - Returns: the keys found (possibly none).
    package static func fromEnvironment(_ environment: [String: String]) -> APIKeys {
        var keys = APIKeys()
        if let key = environment["TUOR_API_KEY"], !key.isEmpty { keys.tuor.insert(key) }
        if let key = environment["TRACIA_API_KEY"], !key.isEmpty { keys.tracia.insert(key) }
        return keys
    }

    /// Reads keys from a file: one per line, either bare (`tuor_…`, `tr_…`) or `TUOR_API_KEY=…` /
    /// `TRACIA_API_KEY=…`. Blank lines and lines starting with `#` are skipped.
    ///
    /// - Parameter url: the file.
    /// - Returns: the keys in the file.
    /// - Throws: ``TrailServerError`` when the file cannot be read or a line is not a key.
    package static func fromFile(_ url: URL) throws -> APIKeys {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TrailServerError.unreadableFile(path: url.path, cause: error)
        }
        var keys = APIKeys()
        for entry in APIKeyFile.entries(in: text) {
            switch entry.variable {
            case "TUOR_API_KEY": keys.tuor.insert(entry.key)
            case "TRACIA_API_KEY": keys.tracia.insert(entry.key)
            case nil:
                do {
                    try keys.add(entry.key)
                } catch {
                    throw TrailServerError.invalidConfiguration(
                        "\(url.path), line \(entry.line): a key must start with tuor_ or tr_"
                    )
                }
            default:
                throw TrailServerError.invalidConfiguration(
                    "\(url.path), line \(entry.line): expected TUOR_API_KEY=… or TRACIA_API_KEY=…"
                )
            }
        }
        return keys
    }

    /// Merges two key sets.
    ///
    /// - Parameter other: more keys.
    /// - Returns: the union per platform.
    package func union(_ other: APIKeys) -> APIKeys {
        APIKeys(tuor: tuor.union(other.tuor), tracia: tracia.union(other.tracia))
    }

    /// This set with ``defaults`` filled in for a platform that has no key.
    package var withDefaults: APIKeys {
        APIKeys(
            tuor: tuor.isEmpty ? Self.defaults.tuor : tuor,
            tracia: tracia.isEmpty ? Self.defaults.tracia : tracia
        )
    }
}
