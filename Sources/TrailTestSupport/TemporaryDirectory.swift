public import Foundation

/// A fresh directory under the system's temporary directory, removed when the value is released.
public final class TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates the directory.
    ///
    /// - Parameter prefix: the start of the directory name.
    /// - Throws: when the directory cannot be created.
    public init(prefix: String = "prompttrail-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// A path inside the directory.
    ///
    /// - Parameter name: a relative path.
    /// - Returns: the URL of `name` inside the directory.
    public func appending(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }
}
