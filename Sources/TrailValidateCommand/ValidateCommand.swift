public import ArgumentParser
import Foundation
import TrailJSON
import TrailSchema
import TrailToolSupport
import TrailValidation

/// `trail-validate`: validate payloads, records and exports against PromptTrail's bundled JSON Schemas.
public struct ValidateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trail-validate",
        abstract: "Validate payloads, records and exports against PromptTrail's bundled JSON Schemas.",
        discussion: """
            PATH may be a file, a directory (searched recursively for .json, .jsonl and .ndjson, optionally \
            .gz), a glob, or - for standard input. A .json file is one document; a .jsonl or .ndjson file is \
            one document per line. Without --schema, each file's payload kind is detected from the bundled \
            schemas (--explain says how).

            A schema file's $ref may read only regular files of at most 16 MiB, in the schema's own folder \
            or below it (symbolic links and .. resolved), unless --allow-ref-dir adds a folder. Devices, \
            FIFOs, sockets, larger files and files elsewhere are a schema error. Remote schemas are never \
            downloaded.

            Exit 1 means some document is invalid or is not JSON; 2 a bad schema or input that cannot be read.

            """ + ToolOutcome.helpTable
    )

    /// Print the bundled schemas and exit.
    @Flag(help: "Print the bundled schemas (name and $id) and exit.")
    var listSchemas = false

    /// The schema: a bundled name (`tuor/trace`), a bundled `$id`, or a schema file.
    @Option(
        name: .long,
        help: ArgumentHelp("A bundled schema name (see --list-schemas) or a schema file.", valueName: "NAME|FILE")
    )
    var schema: String?

    /// More folders that a schema file's `file:` references may read from.
    @Option(
        name: .customLong("allow-ref-dir"),
        help: ArgumentHelp(
            "Let a schema file's file: references also read files in DIR (repeatable; / allows any local file).",
            valueName: "DIR"
        )
    )
    var allowRefDir: [String] = []

    /// The output format.
    @Option(name: .long, help: "Output format: text, json, junit, github or sarif.")
    var format: String = "text"

    /// Check `format` keywords as assertions.
    @Flag(name: .long, help: "Treat `format` (date-time, email, uri, …) as an assertion instead of an annotation.")
    var strictFormats = false

    /// Say how each file's schema was chosen.
    @Flag(name: .long, help: "Explain which schema each file was validated against and why.")
    var explain = false

    /// Worker threads.
    @OptionGroup
    var jobOption: JobsOption

    var jobs: Int { jobOption.value }

    /// The inputs.
    @Argument(help: ArgumentHelp("Files, directories, globs, or - for standard input.", valueName: "PATH"))
    var paths: [String] = []

    /// Creates the command with no arguments (ArgumentParser fills them in when parsing).
    public init() {}

    public func validate() throws {
        if listSchemas { return }
        guard ReportFormat(rawValue: format) != nil else {
            throw ValidationError("unknown --format \(format): use text, json, junit, github or sarif")
        }
        guard !paths.isEmpty else { throw ValidationError("give at least one PATH, or - for standard input") }
        for directory in allowRefDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ValidationError("--allow-ref-dir \(TerminalText.escaped(directory)): not a folder")
            }
        }
    }

    public func run() async throws {
        let interruption = Interruption.install(tool: "trail-validate", writesFiles: false)
        defer { interruption.remove() }
        if listSchemas {
            let width = BundledSchemas.all.map(\.name.count).max() ?? 0
            for schema in BundledSchemas.all {
                print(schema.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + schema.id)
            }
            return
        }
        let outcome: ValidateOutcome
        do {
            let run = try ValidationRun(
                configuration: .init(
                    schema: schema,
                    referenceDirectories: allowRefDir,
                    assertFormats: strictFormats,
                    jobs: jobs
                )
            )
            let report = run.run(paths: paths)
            let output = report.rendered(as: ReportFormat(rawValue: format) ?? .text, explain: explain)
            FileHandle.standardOutput.write(Data(output.utf8))
            var standardError = StandardError()
            print(report.summary, to: &standardError)
            outcome = report.ioErrorCount > 0 ? .failed : report.invalidCount > 0 ? .invalid : .valid
        } catch let error as ValidateFailure {
            var standardError = StandardError()
            print("trail-validate: \(TerminalText.escapedControls(error.description))", to: &standardError)
            outcome = .failed
        }
        throw outcome.exitCode
    }

    /// Runs the tool with PromptTrail's exit codes (``ToolOutcome``).
    public static func main() async {
        await ToolExit.main(Self.self)
    }
}

/// The one place `trail-validate`'s exit status is decided.
enum ValidateOutcome {
    /// Every document is valid.
    case valid
    /// Some document is invalid or is not JSON.
    case invalid
    /// A bad schema or unreadable input.
    case failed

    var exitCode: ExitCode {
        switch self {
        case .valid: ToolExit.success
        case .invalid: ToolExit.failed
        case .failed: ToolExit.notCompleted
        }
    }
}
