import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailTestSupport

/// Shared inputs and helpers of the audit tests.
///
/// The seeded workspace is `samples/workspace/` and the schemas are the bundled ones. During development,
/// before they are merged into the checkout, `PROMPTTRAIL_SAMPLES` and `PROMPTTRAIL_SCHEMAS` may name
/// other folders.
enum AuditFixtures {
    static var samples: URL {
        ProcessInfo.processInfo.environment["PROMPTTRAIL_SAMPLES"].map { URL(fileURLWithPath: $0) }
            ?? PackagePaths.samples
    }

    static var workspace: String { samples.appendingPathComponent("workspace").path }

    static var schemaDirectory: String? { ProcessInfo.processInfo.environment["PROMPTTRAIL_SCHEMAS"] }

    static func schemas() throws -> AuditSchemas {
        try schemaDirectory.map(AuditSchemas.load(directory:)) ?? .bundled
    }

    /// `--schema-directory DIR` when the schemas come from a folder, for the command-line tests.
    static var schemaArguments: [String] { schemaDirectory.map { ["--schema-directory", $0] } ?? [] }

    static func options(
        compression: ArchiveCompression = .zstd,
        format: ArchiveFormat = .tar,
        threads: Int = 2,
        key: ArchiveSigningKey? = nil
    ) throws -> ArchiveBuildOptions {
        ArchiveBuildOptions(
            format: format,
            compression: compression,
            threads: threads,
            signingKey: key,
            schemas: try schemas()
        )
    }

    /// Builds the samples' archive into `directory`.
    @discardableResult
    static func build(
        in directory: TemporaryDirectory,
        name: String = "audit.tar.zst",
        options: ArchiveBuildOptions? = nil,
        workspace: String = AuditFixtures.workspace
    ) throws -> String {
        let output = directory.appending(name).path
        try AuditArchiveBuilder.build(workspace: workspace, output: output, options: options ?? AuditFixtures.options())
        return output
    }

    /// Copies `archive` to `output`, entry by entry in the same order, replacing or dropping entries.
    static func rewrite(_ archive: String, to output: String, _ transform: (String, [UInt8]) -> [UInt8]?) throws {
        let reader = try ArchiveReader(path: archive)
        try ArchiveWriter.write(to: output, format: .tar, compression: .zstd) { writer in
            while let entry = try reader.nextEntry() {
                let bytes = try reader.readData()
                guard let replaced = transform(entry.path, bytes) else { continue }
                try writer.writeFile(entry, contents: replaced)
            }
        }
    }

    /// Lines of a byte buffer.
    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func joined(_ lines: [String]) -> [UInt8] {
        Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Runs a program from PATH.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The project's virtualenv Python (scripts/bootstrap.sh prepares it).
    static func venvPython() throws -> String {
        let python = PackagePaths.root.appendingPathComponent(".venv/bin/python").path
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            ".venv is missing: run scripts/bootstrap.sh (it installs bagit and jsonschema into .venv)"
        )
        return python
    }

    static func entries(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }
}

/// An intact archive of the samples, signed with a key pair written beside it (`audit.key`, `audit.key.pub`).
struct SignedArchive {
    let directory: TemporaryDirectory
    let archive: String
    let key: ArchiveSigningKey

    init() throws {
        directory = try TemporaryDirectory()
        key = try ArchiveSigningKey.generate(
            privatePath: directory.appending("audit.key").path,
            publicPath: directory.appending("audit.key.pub").path
        )
        archive = try AuditFixtures.build(in: directory, options: try AuditFixtures.options(key: key))
    }

    var publicKeyPath: String { directory.appending("audit.key.pub").path }

    /// A copy with each entry passed through `transform` (`nil` drops it).
    func tampered(_ transform: (String, [UInt8]) -> [UInt8]?) throws -> String {
        let output = directory.appending("tampered.tar.zst").path
        try AuditFixtures.rewrite(archive, to: output, transform)
        return output
    }

    /// A copy whose entry `path` has its lines passed through `edit`.
    func tampered(lines path: String, _ edit: (inout [String]) -> Void) throws -> String {
        try tampered { entry, bytes in
            guard entry == path else { return bytes }
            var lines = AuditFixtures.lines(bytes)
            edit(&lines)
            return AuditFixtures.joined(lines)
        }
    }

    /// A copy with `extra` entries written after the entry named `after` (at the end when `nil`),
    /// and entries for which `transform` returns `nil` dropped.
    func edited(
        _ name: String = "edited.tar.zst",
        inserting extra: [(String, [UInt8])] = [],
        after: String? = nil,
        _ transform: (String, [UInt8]) -> [UInt8]? = { $1 }
    ) throws -> String {
        let output = directory.appending(name).path
        let reader = try ArchiveReader(path: archive)
        try ArchiveWriter.write(to: output, format: .tar, compression: .zstd) { writer in
            while let entry = try reader.nextEntry() {
                let bytes = try reader.readData()
                if let replaced = transform(entry.path, bytes) { try writer.writeFile(entry, contents: replaced) }
                if entry.path == after {
                    for (path, contents) in extra {
                        try writer.writeFile(ArchiveEntry(path: path), contents: contents)
                    }
                }
            }
            if after == nil {
                for (path, contents) in extra { try writer.writeFile(ArchiveEntry(path: path), contents: contents) }
            }
        }
        return output
    }
}
