public import ArgumentParser
import Foundation
import TrailArchive
import TrailAudit
import TrailJSON
import TrailModel
import TrailToolSupport

/// `trail-archive`: pack a workspace into a signed, tamper-evident audit archive.
public struct ArchiveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-archive",
        abstract: "Pack a workspace into a signed, tamper-evident audit archive.",
        discussion: """
            The archive is a BagIt 1.0 bag inside a compressed tar (or a zip): prompt versions, traces \
            partitioned by day, lineage.jsonl mapping every model output to its prompt version, the schemas \
            used and a report. The same workspace always gives the same bytes.

            """ + ToolOutcome.helpTable,
        subcommands: [Pack.self, Keygen.self],
        defaultSubcommand: Pack.self
    )

    /// Creates the command (ArgumentParser fills in the arguments when parsing).
    public init() {}

    /// Runs the tool with PromptTrail's exit codes (``ToolOutcome``).
    public static func main() async {
        await ToolExit.main(Self.self, outcome: ToolOutcome.of)
    }
}

extension ArchiveCommand {
    /// `trail-archive WORKSPACE -o FILE`: the default subcommand.
    public struct Pack: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "pack",
            abstract: "Pack WORKSPACE into FILE (the default subcommand)."
        )

        @Argument(help: "The workspace directory (what trail-pull writes).")
        var workspace: String

        @Option(name: .shortAndLong, help: "The archive to write: .tar.zst (default), .tar.gz, .tar.xz or .zip.")
        var output: String

        @Option(help: "zstd, gzip, xz, zip or none; by default taken from the output name.")
        var compression: String?

        @Option(help: "Compression level (zstd 3, gzip 6 and xz 6 by default).")
        var level: Int?

        @OptionGroup
        var jobs: JobsOption

        /// The former spelling of `--jobs`, still accepted.
        @Option(name: .customLong("threads"), help: .hidden)
        var legacyThreads: Int?

        /// Worker threads for checking records and compressing.
        var threads: Int { legacyThreads ?? jobs.value }

        @Option(help: SummaryFormat.help)
        var format: SummaryFormat = .text

        @Option(
            name: .customLong("sign"),
            help: """
                Sign with this private key (PEM): an Ed25519 key signs the tag manifest (signature.ed25519) and \
                the attestation, an ECDSA P-256 key the attestation.
                """
        )
        var signingKey: String?

        @Option(
            help: ArgumentHelp(
                "Also write the attestation (Sigstore bundle with the DSSE-signed in-toto statement) to FILE.",
                valueName: "FILE"
            )
        )
        var attestation: String?

        @Flag(help: "Stop with exit code 1 when a record is invalid, instead of quarantining it.")
        var failOnInvalid = false

        @Option(help: "Bagging-Date (YYYY-MM-DD); by default the day of the workspace's last pull.")
        var baggingDate: String?

        @Option(
            help: ArgumentHelp(
                "Leave out traces created before TIME (RFC 3339, or YYYY-MM-DD for its start in UTC).",
                valueName: "TIME"
            )
        )
        var since: String?

        @Option(
            help: ArgumentHelp(
                "Leave out traces created at or after TIME; by default each project's last-pull high-water mark.",
                valueName: "TIME"
            )
        )
        var until: String?

        @Option(help: .hidden)
        var schemaDirectory: String?

        /// An instant given as RFC 3339 or as a UTC day.
        static func instant(_ text: String) -> Timestamp? {
            Timestamp(text) ?? (text.count == 10 ? Timestamp(text + "T00:00:00Z") : nil)
        }

        /// Creates the command (ArgumentParser fills in the arguments when parsing).
        public init() {}

        /// The container and filter: `--compression`, else the output's name, else `.tar.zst`.
        var resolvedContainer: (ArchiveFormat, ArchiveCompression) {
            compression.flatMap(ArchiveBuildOptions.container(named:))
                ?? ArchiveBuildOptions.container(forOutput: output) ?? (.tar, .zstd)
        }

        public func validate() throws {
            if let compression, ArchiveBuildOptions.container(named: compression) == nil {
                throw ValidationError("unknown --compression \(compression); use zstd, gzip, xz, zip or none")
            }
            if compression == nil, ArchiveBuildOptions.container(forOutput: output) == nil {
                throw ValidationError(
                    "cannot tell the format from \(output); name it .tar.zst, .tar.gz, .tar.xz or .zip, or pass --compression"
                )
            }
            if let level {
                let (container, filter) = resolvedContainer
                let range: (name: String, levels: ClosedRange<Int>)? =
                    switch (container, filter) {
                    case (.zip, _), (_, .none): nil
                    case (_, .zstd): ("zstd", 1...22)
                    case (_, .gzip): ("gzip", 0...9)
                    case (_, .xz): ("xz", 0...9)
                    }
                guard let range else {
                    throw ValidationError("--level does not apply to a zip or an uncompressed tar archive")
                }
                guard range.levels.contains(level) else {
                    throw ValidationError(
                        "--level \(level) is outside \(range.name)'s \(range.levels.lowerBound) to \(range.levels.upperBound)"
                    )
                }
            }
            if let baggingDate, RFC3339Timestamp.epochSeconds(baggingDate + "T00:00:00Z") == nil {
                throw ValidationError("--bagging-date \(baggingDate) is not YYYY-MM-DD")
            }
            guard threads >= 1 else { throw ValidationError("--jobs must be at least 1") }
            if legacyThreads != nil, jobs.given != nil {
                throw ValidationError("--threads is the former spelling of --jobs; give one of them")
            }
            for (flag, value) in [("--since", since), ("--until", until)] {
                if let value, Self.instant(value) == nil {
                    throw ValidationError("\(flag) \(value) is neither RFC 3339 nor YYYY-MM-DD")
                }
            }
        }

        public func run() async throws {
            let interrupt = Interruption.install(tool: "trail-archive")
            defer { interrupt.remove() }
            do {
                let (container, filter) = resolvedContainer
                var configured = ArchiveBuildOptions(
                    format: container,
                    compression: filter,
                    level: level,
                    threads: threads,
                    signingKey: nil,
                    failOnInvalid: failOnInvalid,
                    baggingDate: baggingDate,
                    schemas: try schemaDirectory.map(AuditSchemas.load(directory:)) ?? .bundled,
                    jobs: threads
                )
                if let signingKey {
                    switch try AttestationSigner.load(contentsOf: signingKey) {
                    case .ed25519(let key): configured.signingKey = key
                    case let other: configured.attestationSigner = other
                    }
                }
                configured.attestationOutput = attestation
                configured.since = since.flatMap(Self.instant)
                configured.until = until.flatMap(Self.instant)
                let progressLine = ProgressLine(tool: "trail-archive")
                configured.progress = { progressLine.update($0.phase.rawValue, path: $0.path, records: $0.records) }
                let (workspace, output, options) = (workspace, output, configured)
                let summary: ArchiveBuildSummary
                do {
                    defer { progressLine.finish() }
                    summary = try await interrupt.run {
                        try AuditArchiveBuilder.build(workspace: workspace, output: output, options: options)
                    }
                }
                let tally = summary.tally
                func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
                let counts =
                    "(linked \(tally.linked), unlinked \(tally.unlinked), dangling \(tally.dangling), "
                    + "never observed \(tally.neverObserved))"
                let signed = summary.signingKeyFingerprint.map { "; signed by \($0)" } ?? ""
                let line =
                    "\(summary.output): \(tally.promptVersions) prompt versions, \(tally.traces) traces \(counts), "
                    + "\(tally.quarantined) quarantined; Payload-Oxum \(summary.payloadOxum)\(signed)"
                format.print(
                    text: line,
                    json: .object(
                        JSONObject([
                            ("output", .string(summary.output)),
                            ("prompt_versions", number(tally.promptVersions)),
                            ("traces", number(tally.traces)),
                            ("linked", number(tally.linked)),
                            ("unlinked", number(tally.unlinked)),
                            ("dangling", number(tally.dangling)),
                            ("never_observed", number(tally.neverObserved)),
                            ("quarantined", number(tally.quarantined)),
                            ("payload_oxum", .string("\(summary.payloadOxum)")),
                            ("signed_by", summary.signingKeyFingerprint.map(JSONValue.string) ?? .null),
                        ])
                    )
                )
            } catch {
                throw ToolExit.report(error, tool: "trail-archive", outcome: ToolOutcome.of)
            }
        }
    }

    /// `trail-archive keygen`: write an Ed25519 key pair for `--sign` and `trail-verify --key`.
    public struct Keygen: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Write an Ed25519 key pair: PRIVATE (mode 0600) and PRIVATE.pub, both PEM."
        )

        @Option(name: .shortAndLong, help: "The private key file to create (it must not exist).")
        var output: String

        @Option(help: "The public key file to create; PRIVATE.pub by default.")
        var publicKey: String?

        @Option(help: "ed25519 (signs the tag manifest and the attestation) or p256 (ECDSA, the attestation only).")
        var type: String = "ed25519"

        public func validate() throws {
            guard ["ed25519", "p256"].contains(type) else { throw ValidationError("--type is ed25519 or p256") }
        }

        /// Creates the command (ArgumentParser fills in the arguments when parsing).
        public init() {}

        public func run() throws {
            do {
                let publicPath = publicKey ?? output + ".pub"
                let identity: String
                if type == "p256" {
                    let key = try ArchiveP256SigningKey.generate(privatePath: output, publicPath: publicPath)
                    identity = "key id \(AttestationSigner.p256(key).keyID)"
                } else {
                    let key = try ArchiveSigningKey.generate(privatePath: output, publicPath: publicPath)
                    identity = "fingerprint \(key.publicKey.fingerprint)"
                }
                print("wrote \(output) (private, mode 0600) and \(publicPath); \(identity)")
            } catch {
                throw ToolExit.report(error, tool: "trail-archive", outcome: ToolOutcome.of)
            }
        }
    }
}
