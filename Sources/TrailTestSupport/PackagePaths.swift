public import Foundation

/// Paths of the package checkout that tests read from: `schemas/`, `samples/`, `../shared`.
public enum PackagePaths {
    /// The package root (the directory that holds `Package.swift`).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `schemas/`.
    public static var schemas: URL { root.appendingPathComponent("schemas") }

    /// `samples/`.
    public static var samples: URL { root.appendingPathComponent("samples") }

    /// `../shared` beside the checkout (the JSON-Schema-Test-Suite and API references), if present.
    public static var shared: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The directory holding the built products (executables) of the current build.
    public static var products: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for candidate in candidates
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("trail-validate").path) {
            return candidate
        }
        return candidates[0]
    }
}
