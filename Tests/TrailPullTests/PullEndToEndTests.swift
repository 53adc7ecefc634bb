import Foundation
import Logging
import Synchronization
import Testing
import TrailClient
import TrailJSON
import TrailModel
import TrailPull
import TrailServer
import TrailTestSupport

@Suite("trail-pull against the in-process emulator", .timeLimit(.minutes(20)))
struct PullEndToEndTests {
    @Test("a pull of the sample workspace holds exactly its records, and a second pull changes nothing")
    func sample() async throws {
        let directory = try TemporaryDirectory()
        try await Emulator.with(configure: {
            $0.seedDirectory = PackagePaths.samples.appendingPathComponent("workspace")
        }) {
            emulator in
            let options = emulator.options(
                .tuor,
                projects: ["proj_acmefinance", "proj_supportdesk"],
                workspace: directory.url.path
            )
            let first = await PullRunner(options: options).run()
            #expect(first.status == .complete, "\(first.json.serializedString())")
            let pulled = try WorkspaceSnapshot(directory.url)
            let sample = try WorkspaceSnapshot(PackagePaths.samples.appendingPathComponent("workspace"))
            #expect(pulled.traces == sample.traces)
            #expect(pulled.prompts == sample.prompts)
            let second = await PullRunner(options: options).run()
            #expect(second.status == .complete)
            #expect(second.new == 0 && second.updated == 0)
        }
    }

    @Test("every fault at once: the workspace holds exactly the emulator's records, both ways")
    func faults() async throws {
        let count = Int(ProcessInfo.processInfo.environment["TRAIL_PULL_STRESS_TRACES"] ?? "") ?? 100_000
        let faulty = try TemporaryDirectory()
        let clean = try TemporaryDirectory()
        let projects = ["proj_invoices", "proj_support", "proj_contracts"]
        let logs = LogCapture()
        try await Emulator.with(configure: { configuration in
            configuration.generateCount = count
            configuration.randomSeed = 11
            configuration.faults.latencyMilliseconds = 1
            configuration.faults.errorRate = 0.2
            configuration.faults.errorStatuses = [429, 500, 502, 503, 504]
            configuration.faults.disconnectRate = 0.05
            configuration.faults.truncateRate = 0.0005
            configuration.faults.repeatCursorRate = 0.1
        }) { emulator in
            var options = emulator.options(.tuor, projects: projects, workspace: faulty.url.path)
            options.batchSize = 20_000
            options.concurrency = 3
            let summary = await PullRunner(options: options, logger: logs.logger).run()
            #expect(summary.status == .complete, "\(summary.json.serializedString())")
            #expect(summary.retried > 0)
        }
        try await Emulator.with(configure: { configuration in
            configuration.generateCount = count
            configuration.randomSeed = 11
        }) { emulator in
            var options = emulator.options(.tuor, projects: projects, workspace: clean.url.path)
            options.batchSize = 20_000
            let summary = await PullRunner(options: options).run()
            #expect(summary.status == .complete)
        }
        let a = try WorkspaceSnapshot(faulty.url)
        let b = try WorkspaceSnapshot(clean.url)
        #expect(a.traces.count == b.traces.count)
        #expect(a.traces.count >= count)
        #expect(a.traces == b.traces)
        #expect(a.prompts == b.prompts)
        // The key never reaches the workspace or the logs (at trace level).
        try expectNoKey(Emulator.tuorKey, in: faulty.url, logs: logs.text)
    }

    @Test("an incremental pull fetches only what was added: new traces and a new prompt version")
    func incremental() async throws {
        let directory = try TemporaryDirectory()
        try await Emulator.with(configure: { $0.generateCount = 300 }) { emulator in
            let options = emulator.options(.tuor, projects: ["proj_invoices"], workspace: directory.url.path)
            let first = await PullRunner(options: options).run()
            #expect(first.status == .complete)
            _ = try await emulator.send("DELETE", "/_trail/requests")
            for index in 0..<3 {
                _ = try await emulator.send(
                    "POST",
                    "/v1/traces/",
                    body:
                        #"{"project_id":"proj_invoices","model_input":{"n":\#(index)},"model_output":{"n":\#(index)}}"#
                )
            }
            _ = try await emulator.send("POST", "/v1/projects/proj_invoices/prompts", body: #"{"content":"v-next"}"#)
            let added = try JSONValue(parsing: try await emulator.send("GET", "/_trail/requests"))
            let after = added["last_seq"]?.int64Value ?? 0
            let second = await PullRunner(options: options).run()
            #expect(second.status == .complete)
            // Three traces and one prompt version are new; the old active version turned inactive.
            #expect(second.new == 4)
            #expect(second.updated == 1)
            let log = try JSONValue(parsing: try await emulator.send("GET", "/_trail/requests?after=\(after)"))
            let requests = log["requests"]?.arrayValue ?? []
            let traceRequests = requests.filter { ($0["path"]?.stringValue ?? "").hasPrefix("/v1/traces") }
            #expect(!traceRequests.isEmpty)
            for request in traceRequests {
                let query = request["query"]?.stringValue ?? ""
                #expect(query.contains("since="), "\(query)")
            }
            // Only the overlap window comes back besides the new records.
            #expect(second.unchanged <= 10 + first.projects["proj_invoices"]!.promptVersions)
        }
    }

    @Test("Tracia with the versions extension: every version of every prompt, spans linked to <prompt id>@<version>")
    func tracia() async throws {
        let directory = try TemporaryDirectory()
        try await Emulator.with(configure: {
            $0.generateCount = 120
            $0.traciaVersions = true
        }) { emulator in
            let options = emulator.options(.tracia, projects: ["acct_main"], workspace: directory.url.path)
            let summary = await PullRunner(options: options).run()
            #expect(summary.status == .complete, "\(summary.json.serializedString())")
            let prompts = try String(
                contentsOf: directory.appending("prompts/acct_main.jsonl"),
                encoding: .utf8
            ).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            let versionIDs = Set(prompts.compactMap { $0["prompt_version_id"]?.stringValue })
            #expect(versionIDs.allSatisfy { $0.contains("@") })
            let snapshot = try WorkspaceSnapshot(directory.url)
            #expect(snapshot.traces.count >= 120)
            var linked = 0
            for file in try FileManager.default.contentsOfDirectory(
                atPath: directory.appending("traces/acct_main").path
            ) {
                let text = try String(contentsOf: directory.appending("traces/acct_main/" + file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let record = try JSONValue(parsing: String(line))
                    if let id = record["prompt_version_id"]?.stringValue {
                        #expect(versionIDs.contains(id))
                        linked += 1
                    }
                }
            }
            #expect(linked > 0)
            let again = await PullRunner(options: options).run()
            #expect(again.new == 0 && again.updated == 0)
        }
    }

    @Test("Tracia as documented: the current version of each prompt; spans of replaced versions counted, never lost")
    func traciaDocumented() async throws {
        let directory = try TemporaryDirectory()
        try await Emulator.with(configure: { $0.generateCount = 120 }) { emulator in
            let options = emulator.options(.tracia, projects: ["acct_main"], workspace: directory.url.path)
            let summary = await PullRunner(options: options).run()
            #expect(summary.status == .complete, "\(summary.json.serializedString())")
            let prompts = try String(contentsOf: directory.appending("prompts/acct_main.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            let listed = try JSONValue(parsing: try await emulator.send("GET", "/api/v1/prompts"))
            #expect(prompts.count == listed["prompts"]?.arrayValue?.count)
            #expect(prompts.allSatisfy { $0["is_active"] == .bool(true) && $0["observed_at"] != nil })
            let held = Set(prompts.compactMap { $0["prompt_version_id"]?.stringValue })
            var unobserved = 0
            for file in try FileManager.default.contentsOfDirectory(
                atPath: directory.appending("traces/acct_main").path
            ) {
                let text = try String(contentsOf: directory.appending("traces/acct_main/" + file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let record = try JSONValue(parsing: String(line))
                    if let id = record["prompt_version_id"]?.stringValue {
                        if !held.contains(id) { unobserved += 1 }
                    } else if record["prompt_version"]?.int64Value != nil {
                        // Logged under ticket-triage, which was renamed before any pull saw that slug.
                        #expect(record["source_payload"]?["promptSlug"]?.stringValue == "ticket-triage")
                        unobserved += 1
                    }
                }
            }
            let counted = summary.projects["acct_main"]?.neverObserved.reduce(0) { $0 + $1.traces } ?? -1
            #expect(counted == unobserved)
            let activations = try String(
                contentsOf: directory.appending("activations/acct_main.jsonl"),
                encoding: .utf8
            ).split(separator: "\n")
            #expect(activations.count == prompts.count)
        }
    }

    @Test("a refused key is reported with the variable to fix, never the key itself")
    func refusedKey() async throws {
        let directory = try TemporaryDirectory()
        let logs = LogCapture()
        try await Emulator.with { emulator in
            var options = emulator.options(.tuor, projects: ["proj_x"], workspace: directory.url.path)
            let wrong = "tuor_wrong_key_zz81"
            options.apiKey = APIKey(wrong)
            let summary = await PullRunner(options: options, logger: logs.logger).run()
            #expect(summary.status == .failed)
            let message = summary.projects["proj_x"]?.error ?? ""
            #expect(message.contains("TUOR_API_KEY"))
            try expectNoKey(wrong, in: directory.url, logs: logs.text + summary.json.serializedString())
        }
    }
}

/// Fails when `key` occurs in any file under `root` or in `logs`.
func expectNoKey(_ key: String, in root: URL, logs: String) throws {
    #expect(!logs.contains(key))
    let paths = FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []
    for path in paths {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { continue }
        #expect(!String(decoding: data, as: UTF8.self).contains(key), "\(path)")
    }
}

/// A logger at trace level that keeps every line in memory.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        Logger(label: "capture") { label in
            Handler(capture: self)
        }
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
        }
    }
}
