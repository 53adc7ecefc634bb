import ArgumentParser
import Testing
import TrailNetworkCommands

@testable import TrailCommands
@testable import TrailValidateCommand

/// Every option check of the six commands, in process: `parse` runs `validate()`, so a refused value
/// fails here with the message the user would read, without starting a binary.
@Suite("Option validation, in process")
struct OptionValidationTests {
    /// A command line and the message it must be refused with (`nil`: it must be accepted).
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var refusal: String?
        var testDescription: String { arguments.joined(separator: " ") }
    }

    private static func check<Command: ParsableCommand>(_ type: Command.Type, _ example: Case) {
        do {
            _ = try type.parse(example.arguments)
            #expect(example.refusal == nil, "accepted, but should be refused with \(example.refusal ?? "")")
        } catch {
            let message = type.message(for: error)
            guard let refusal = example.refusal else {
                Issue.record("refused with \(message)")
                return
            }
            #expect(message.contains(refusal), "\(message)")
        }
    }

    @Test(
        "trail-pull",
        arguments: [
            Case(arguments: ["--source", "tuor", "--project", "p", "-o", "ws"]),
            Case(
                arguments: ["--source", "jira", "--project", "p", "-o", "ws"],
                refusal: "--source must be tuor or tracia"
            ),
            Case(arguments: ["--source", "tuor", "-o", "ws"], refusal: "give at least one --project"),
            Case(
                arguments: ["--source", "tracia", "--project", "a", "--project", "b", "-o", "ws"],
                refusal: "a Tracia key sees the whole account"
            ),
            Case(
                arguments: ["--source", "tuor", "--project", "p", "-o", "ws", "--since", "yesterday"],
                refusal: "yesterday is not an RFC 3339 date-time"
            ),
            Case(
                arguments: ["--source", "tuor", "--project", "p", "-o", "ws", "--base-url", "ftp://x"],
                refusal: "--base-url must be an http or https URL"
            ),
            Case(
                arguments: ["--source", "tuor", "--project", "p", "-o", "ws", "--base-url", "https://u:k@x.example"],
                refusal: "--base-url must not carry credentials"
            ),
            Case(
                arguments: ["--source", "tuor", "--project", "p", "-o", "ws", "--concurrency", "0"],
                refusal: "must be at least 1"
            ),
            Case(
                arguments: ["--source", "tuor", "--project", "p", "-o", "ws", "--page-size", "0"],
                refusal: "--page-size must be at least 1"
            ),
            Case(
                arguments: ["--source", "tuor", "--project", "p", "-o", "ws", "--watch", "soon"],
                refusal: "--watch soon is not an interval"
            ),
            Case(
                arguments: ["--source", "tuor", "--project", "p", "-o", "ws", "--log-level", "loud"],
                refusal: "unknown --log-level loud"
            ),
        ]
    )
    func pull(example: Case) {
        Self.check(PullCommand.self, example)
    }

    @Test(
        "trail-validate",
        arguments: [
            Case(arguments: ["x.json"]),
            Case(arguments: ["--list-schemas"]),
            Case(arguments: [], refusal: "give at least one PATH"),
            Case(arguments: ["--format", "xml", "x.json"], refusal: "unknown --format xml"),
            Case(arguments: ["--jobs", "0", "x.json"], refusal: "--jobs must be at least 1"),
            Case(arguments: ["--allow-ref-dir", "/nonexistent-folder", "x.json"], refusal: "not a folder"),
        ]
    )
    func validate(example: Case) {
        Self.check(ValidateCommand.self, example)
    }

    @Test(
        "trail-archive",
        arguments: [
            Case(arguments: ["ws", "-o", "a.tar.zst", "--level", "19", "--jobs", "2"]),
            Case(arguments: ["ws", "-o", "a.tar.gz", "--level", "0"]),
            Case(arguments: ["ws", "-o", "a.tar.zst", "--threads", "2"]),
            Case(
                arguments: ["ws", "-o", "a.tar.zst", "--compression", "brotli"],
                refusal: "unknown --compression brotli"
            ),
            Case(arguments: ["ws", "-o", "a.bin"], refusal: "cannot tell the format from a.bin"),
            Case(arguments: ["ws", "-o", "a.tar.gz", "--level", "12"], refusal: "--level 12 is outside gzip's 0 to 9"),
            Case(arguments: ["ws", "-o", "a.tar.zst", "--level", "0"], refusal: "--level 0 is outside zstd's 1 to 22"),
            Case(arguments: ["ws", "-o", "a.zip", "--level", "5"], refusal: "--level does not apply to a zip"),
            Case(arguments: ["ws", "-o", "a.tar.zst", "--bagging-date", "May 5"], refusal: "is not YYYY-MM-DD"),
            Case(arguments: ["ws", "-o", "a.tar.zst", "--jobs", "0"], refusal: "--jobs must be at least 1"),
            Case(
                arguments: ["ws", "-o", "a.tar.zst", "--jobs", "2", "--threads", "2"],
                refusal: "--threads is the former spelling of --jobs"
            ),
            Case(
                arguments: ["ws", "-o", "a.tar.zst", "--since", "later"],
                refusal: "--since later is neither RFC 3339"
            ),
        ]
    )
    func archive(example: Case) {
        Self.check(ArchiveCommand.Pack.self, example)
    }

    @Test(
        "trail-verify",
        arguments: [
            Case(arguments: ["a.tar.zst", "--jobs", "1"]),
            Case(arguments: ["a.tar.zst", "b.tar.zst", "--chain"]),
            Case(arguments: ["a.tar.zst", "--max-bytes", "0"], refusal: "must be positive"),
            Case(arguments: ["a.tar.zst", "b.tar.zst", "--trace", "t1"], refusal: "--trace takes exactly one archive"),
            Case(
                arguments: ["a.tar.zst", "--trace", "t1", "--extract", "d"],
                refusal: "use either --extract or --trace"
            ),
            Case(arguments: ["a.tar.zst", "b.tar.zst", "--report", "r.html"], refusal: "--report takes exactly one"),
            Case(arguments: ["a.tar.zst", "--chain"], refusal: "--chain takes two or more archives"),
            Case(arguments: ["a.tar.zst", "--diff", "v1"], refusal: "--diff takes two prompt version ids"),
            Case(
                arguments: ["a.tar.zst", "--diff", "v1", "v2", "--format", "junit"],
                refusal: "--diff prints text or json"
            ),
            Case(arguments: ["a.tar.zst", "--jobs", "0"], refusal: "--jobs must be at least 1"),
        ]
    )
    func verify(example: Case) {
        Self.check(VerifyCommand.self, example)
    }

    @Test(
        "trail-export",
        arguments: [
            Case(arguments: ["ws", "-o", "out", "--compression-level", "19"]),
            Case(arguments: ["ws", "-o", "out", "--parquet-compression", "gzip", "--compression-level", "9"]),
            Case(
                arguments: ["ws", "-o", "out", "--format", "parquet"],
                refusal: "the file format is --file-format parquet"
            ),
            Case(arguments: ["ws", "-o", "out", "--format", "yaml"], refusal: "unknown --format yaml"),
            Case(
                arguments: ["ws", "-o", "out", "--compression-level", "20"],
                refusal: "--compression-level must be between 1 and 19 for zstd Parquet pages"
            ),
            Case(
                arguments: ["ws", "-o", "out", "--file-format", "ndjson", "--compression-level", "12"],
                refusal: "--compression-level must be between 1 and 9 for gzip"
            ),
            Case(
                arguments: ["ws", "-o", "out", "--row-group-rows", "0"],
                refusal: "--row-group-rows must be positive"
            ),
            Case(
                arguments: ["ws", "-o", "out", "--since", "2026-05-21", "--until", "2026-05-20"],
                refusal: "--since must be before --until"
            ),
            Case(arguments: ["ws", "-o", "out", "--until", "soon"], refusal: "--until is not an RFC 3339 date-time"),
        ]
    )
    func export(example: Case) {
        Self.check(ExportCommand.self, example)
    }

    @Test(
        "trail-serve",
        arguments: [
            Case(arguments: ["--port", "0"]),
            Case(arguments: ["--port", "70000"], refusal: "--port must be 0-65535"),
            Case(arguments: ["--error-rate", "1.5"], refusal: "--error-rate must be between 0 and 1"),
            Case(arguments: ["--latency-ms=-1"], refusal: "must not be negative"),
            Case(arguments: ["--error-statuses", "200,503"], refusal: "--error-statuses must be 4xx/5xx codes"),
            Case(arguments: ["--log-level", "loud"], refusal: "unknown --log-level loud"),
        ]
    )
    func serve(example: Case) {
        Self.check(ServeCommand.self, example)
    }
}
