public import ArgumentParser
import Foundation
import TrailArchive
import TrailAudit
import TrailJSON
import TrailToolSupport
import TrailWorkspace

/// `trail-verify`: verify an audit archive offline: checksums, signature, schemas and every prompt link.
public struct VerifyCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "trail-verify",
        abstract: "Verify an audit archive offline: checksums, signature, schemas and every prompt link.",
        discussion: """
            Reads each archive without extracting it; every problem is named by entry and line. Archives \
            with absolute paths, "..", links, devices, duplicate entries or more than --max-bytes of data \
            are refused and nothing is written. Exit 1 means some archive is not intact (altered, missing, \
            unsigned with --require-signature, a broken chain); 2 that an archive could not be read.

            """ + ToolOutcome.helpTable
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit
    }

    @Argument(help: "The archives to verify.")
    var archives: [String]

    @Option(help: "Output format: text, json or junit.")
    var format: Format = .text

    @Option(
        help:
            "The trusted public key (PEM, Ed25519 or ECDSA P-256); the signature and the attestation must verify with it."
    )
    var key: String?

    @Flag(help: "Fail when an archive is not signed.")
    var requireSignature = false

    @Option(help: "The most decompressed bytes to read from one archive.")
    var maxBytes: Int64 = ArchiveLimits.default.maxTotalBytes

    @Option(help: "The most entries one archive may hold.")
    var maxEntries: Int = ArchiveLimits.default.maxEntries

    @Option(help: "Extract the verified archive into DIR/<archive name>, only if it is intact.")
    var extract: String?

    @Option(help: "Print the provenance of the output of trace ID: the trace, its prompt version and parents.")
    var trace: String?

    @Option(
        help: ArgumentHelp(
            "Write the auditor's page with the verdict to FILE (self-contained HTML, written only when complete).",
            valueName: "FILE"
        )
    )
    var report: String?

    @Flag(
        help: """
            Check that the archives, oldest first, form one chain: each project's windows abut with no gap \
            or overlap, and no prompt version disappears.
            """
    )
    var chain = false

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Compare two prompt versions of ARCHIVE (or of a workspace folder): content, settings, rationale.",
            valueName: "VERSION_ID"
        )
    )
    var diff: [String] = []

    @OptionGroup
    var jobs: JobsOption

    /// Creates the command (ArgumentParser fills in the arguments when parsing).
    public init() {}

    /// Runs the tool with PromptTrail's exit codes (``ToolOutcome``).
    public static func main() async {
        await ToolExit.main(Self.self, outcome: ToolOutcome.of)
    }

    public func validate() throws {
        guard !archives.isEmpty else { throw ValidationError("name at least one archive") }
        guard maxBytes > 0, maxEntries > 0 else {
            throw ValidationError("--max-bytes and --max-entries must be positive")
        }
        if trace != nil, archives.count != 1 { throw ValidationError("--trace takes exactly one archive") }
        if extract != nil, trace != nil { throw ValidationError("use either --extract or --trace") }
        if report != nil, archives.count != 1 { throw ValidationError("--report takes exactly one archive") }
        if report != nil, trace != nil { throw ValidationError("use either --report or --trace") }
        if chain, archives.count < 2 { throw ValidationError("--chain takes two or more archives, oldest first") }
        if !diff.isEmpty {
            guard diff.count == 2 else { throw ValidationError("--diff takes two prompt version ids") }
            guard archives.count == 1, trace == nil, extract == nil, report == nil, !chain else {
                throw ValidationError("--diff takes exactly one archive or workspace, and no other action")
            }
            guard format != .junit else { throw ValidationError("--diff prints text or json") }
        }
    }

    public func run() async throws {
        let interruption = Interruption.install(tool: "trail-verify", writesFiles: extract != nil || report != nil)
        defer { interruption.remove() }
        let command = self
        do {
            try await interruption.run { try command.verify() }
        } catch {
            throw ToolExit.report(error, tool: "trail-verify", outcome: ToolOutcome.of)
        }
    }

    /// Verifies, prints and writes what the options ask for; throws ``ToolExit/failed`` when an archive is
    /// not intact.
    func verify() throws {
        let limits = ArchiveLimits(maxTotalBytes: maxBytes, maxEntries: maxEntries)
        if let trace {
            let provenance = try Provenance.find(traceID: trace, in: archives[0], limits: limits)
            print(
                format == .json ? provenance.json.serializedString(pretty: true) : provenance.text,
                terminator: ""
            )
            if format == .json { print() }
            return
        }
        let trusted = try key.map(AttestationVerifier.load(contentsOf:))
        var options = VerificationOptions(requireSignature: requireSignature, limits: limits, jobs: jobs.value)
        if let trusted {
            options.attestationKey = trusted
            if case .ed25519(let legacy) = trusted { options.key = legacy }
        }
        if !diff.isEmpty {
            try printDiff(options: options)
            return
        }
        let progressLine = ProgressLine(tool: "trail-verify")
        options.progress = { progressLine.update($0.phase.rawValue, path: $0.path, records: $0.records) }
        var reports: [VerificationReport] = []
        defer { progressLine.finish() }
        for archive in archives {
            guard FileManager.default.isReadableFile(atPath: archive) else {
                throw AuditError.fileSystem(operation: "read", path: archive, message: "no such readable file")
            }
            if let extract {
                let destination = extract + "/" + Self.bagName(archive)
                let report = try ArchiveVerifier.extract(archive, to: destination, options: options)
                reports.append(report)
                if report.isIntact, format == .text {
                    var standardError = StandardError()
                    print("extracted \(archive) to \(destination)", to: &standardError)
                }
            } else {
                reports.append(try ArchiveVerifier.verify(archive, options: options))
            }
        }
        progressLine.finish()
        if let report, let first = reports.first {
            try AtomicFile.write(Array(first.html.utf8), to: report)
        }
        let links = chain ? ArchiveChain.check(reports) : []
        switch format {
        case .text:
            print(reports.map(\.text).joined(), terminator: "")
            if chain {
                print("chain of \(reports.count) archives: \(links.isEmpty ? "whole" : "BROKEN")")
                for link in links {
                    print(
                        "  [chain] \(TerminalText.escapedControls(link.location)): "
                            + TerminalText.escapedControls(link.message)
                    )
                }
            }
        case .json:
            let archives = JSONValue.array(reports.map(\.json))
            if chain {
                let findings = links.map { link -> JSONValue in
                    .object(JSONObject([("entry", .string(link.entry ?? "")), ("message", .string(link.message))]))
                }
                let chained = JSONObject([("whole", .bool(links.isEmpty)), ("findings", .array(findings))])
                print(
                    JSONValue.object(JSONObject([("archives", archives), ("chain", .object(chained))]))
                        .serializedString(pretty: true)
                )
            } else {
                print(archives.serializedString(pretty: true))
            }
        case .junit: print(VerificationReport.junit(reports), terminator: "")
        }
        if reports.contains(where: { !$0.isIntact }) || !links.isEmpty { throw ToolExit.failed }
    }

    /// `--diff A B`: from a verified archive (exit 1 when it is not intact) or from a workspace folder.
    func printDiff(options: VerificationOptions) throws {
        let source = archives[0]
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw AuditError.fileSystem(operation: "read", path: source, message: "no such file or directory")
        }
        let versions: [PromptVersionFacts]
        if isDirectory.boolValue {
            versions = try PromptVersionDiff.versions(workspace: source)
        } else {
            let report = try ArchiveVerifier.verify(source, options: options)
            guard report.isIntact else {
                print(report.text, terminator: "")
                throw ToolExit.failed
            }
            versions = report.page.projects.values.flatMap { $0.versions.values }
        }
        let comparison = try PromptVersionDiff.find(diff[0], diff[1], in: versions)
        if format == .json {
            print(comparison.json.serializedString(pretty: true))
        } else {
            let lines = comparison.text.split(separator: "\n", omittingEmptySubsequences: false)
            print(lines.map { TerminalText.escapedControls(String($0)) }.joined(separator: "\n"), terminator: "")
        }
    }

    /// The archive's file name without its archive extensions.
    static func bagName(_ archive: String) -> String {
        var name = archive.split(separator: "/").last.map(String.init) ?? archive
        for suffix in [".zst", ".gz", ".xz", ".tar", ".tzst", ".tgz", ".txz", ".zip"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
        }
        return name.isEmpty ? "bag" : name
    }
}
