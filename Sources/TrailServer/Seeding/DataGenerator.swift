import Foundation

/// Synthesizes a dataset for `--generate N`: N Tuor traces over three projects with prompt histories
/// and tags, and N Tracia spans over two prompts with version histories.
///
/// Everything, ids and timestamps included, follows from the seed: equal seeds give equal data.
package struct DataGenerator: Sendable {
    /// How many Tuor traces (and Tracia spans) to make.
    package var count: Int
    /// The random seed (`--random-seed`).
    package var seed: UInt64

    /// The instant generated data starts at: 2026-05-01T00:00:00Z.
    static let epoch = VerbatimTimestamp("2026-05-01T00:00:00Z")!.microseconds
    /// Records written to the store per transaction.
    static let batchSize = 2_000
    static let projects = ["proj_invoices", "proj_support", "proj_contracts"]
    static let tags = [
        TuorTag(id: "tag_priority", name: "priority"), TuorTag(id: "tag_training", name: "training set"),
        TuorTag(id: "tag_eval", name: "eval cohort"),
    ]

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - count: traces and spans to make.
    ///   - seed: the random seed.
    package init(count: Int, seed: UInt64) {
        self.count = count
        self.seed = seed
    }

    /// Writes the dataset into a store.
    ///
    /// - Parameter store: the emulator's store.
    /// - Throws: what the store throws.
    package func populate(_ store: SQLiteStore) async throws {
        var random = SeededGenerator(seed: seed)
        func id(_ prefix: String, _ length: Int = 20) -> String {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
            return prefix
                + String(
                    decoding: (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] },
                    as: UTF8.self
                )
        }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func at(_ seconds: Int64) -> VerbatimTimestamp {
            VerbatimTimestamp(microseconds: Self.epoch + seconds * 1_000_000)
        }
        let span = Int64(max(count, 1))
        let secondsPerItem: Int64 = max(1, 30 * 86_400 / span)

        for tag in Self.tags { try await store.addTag(tag) }

        // Tuor: three projects, each with three prompt versions spread over the period.
        var versionsByProject: [String: [TuorPromptVersion]] = [:]
        for project in Self.projects {
            try await store.addProject(TuorProject(id: project, orgID: "org_emulator"))
            var versions: [TuorPromptVersion] = []
            for number in 1...3 {
                let version = TuorPromptVersion(
                    id: id("prm_"),
                    projectID: project,
                    orgID: "org_emulator",
                    version: number,
                    content: "You are the \(project.dropFirst(5)) assistant (revision \(number)). "
                        + "Extract the requested fields and answer in JSON only.",
                    source: number == 3 ? "refinement" : "manual",
                    parentID: versions.last?.id,
                    rationale: number == 3 ? "Reviewers corrected missing totals." : nil,
                    lineageEventIDs: [],
                    createdAt: at(Int64(number - 1) * 10 * 86_400 - 86_400),
                    createdBy: number == 3 ? nil : "user_emulator"
                )
                try await store.insertPromptVersion(version)
                versions.append(version)
            }
            versionsByProject[project] = versions
        }
        let vendors = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark"]
        var traces: [TuorTrace] = []
        traces.reserveCapacity(Self.batchSize)
        for index in 0..<count {
            let project = Self.projects[index % Self.projects.count]
            let created = Int64(index) * secondsPerItem + Int64(random.next() % UInt64(secondsPerItem))
            let versions = versionsByProject[project] ?? []
            let version = versions.last { $0.createdAt.microseconds <= Self.epoch + created * 1_000_000 } ?? versions[0]
            let vendor = pick(vendors)
            let total = Int(random.next() % 100_000)
            var input = JSONWriter()
            input.beginObject()
            input.field("content", "Invoice from \(vendor), total \(total / 100).\(total % 100) EUR, #\(index)")
            input.field("system_prompt", version.content)
            input.endObject()
            var output = JSONWriter()
            output.beginObject()
            output.field("vendor", vendor)
            output.key("total")
            output.raw("\(total / 100).\(total % 100 < 10 ? "0" : "")\(total % 100)")
            output.endObject()
            var config = JSONWriter()
            config.beginObject()
            config.field("model", pick(["gpt-4o", "gpt-4o-mini", "claude-sonnet-4"]))
            config.field("prompt_version_id", version.id)
            config.field("internal_run_id", id("run_", 10))
            config.endObject()
            let roll = random.next() % 10
            let status: TuorTraceStatus = roll < 4 ? .approved : roll < 6 ? .corrected : roll < 7 ? .rejected : .pending
            let reviewed = status == .pending ? nil : at(created + 600 + Int64(random.next() % 7200))
            var corrected: JSONText?
            if status == .corrected {
                var fixed = JSONWriter()
                fixed.beginObject()
                fixed.field("vendor", vendor + " Ltd")
                fixed.key("total")
                fixed.raw("\(total / 100).\(total % 100 < 10 ? "0" : "")\(total % 100)")
                fixed.endObject()
                corrected = JSONText(unchecked: fixed.output)
            }
            let tags = random.next() % 4 == 0 ? [pick(Self.tags).id] : []
            let trace = TuorTrace(
                id: id("trc_"),
                projectID: project,
                status: status,
                modelInput: JSONText(unchecked: input.output),
                modelOutput: JSONText(unchecked: output.output),
                traceConfig: JSONText(unchecked: config.output),
                correctedOutput: corrected,
                tags: tags,
                createdAt: at(created),
                updatedAt: reviewed ?? at(created),
                reviewedAt: reviewed,
                promptVersionID: version.id
            )
            traces.append(trace)
            if traces.count == Self.batchSize {
                try await store.putTraces(traces)
                traces.removeAll(keepingCapacity: true)
            }
        }
        try await store.putTraces(traces)

        // Tracia: two prompts with version histories, and spans that link to them. As real accounts have:
        // `ticket-triage` was renamed `ticket-routing` after its spans were logged (spans keep the slug they
        // were logged with), and its messages include a `tool` message; every tenth span is an embedding
        // span (runEmbedding: `input.text`, no prompt, provider voyage) and every seventh has a legacy
        // `tr_` span id from before the rename of traces to spans.
        let slugs = ["welcome-email", "ticket-triage"]
        let currentSlugs = ["welcome-email": "welcome-email", "ticket-triage": "ticket-routing"]
        var promptVersions: [String: [TraciaPromptVersion]] = [:]
        for (number, slug) in slugs.enumerated() {
            let promptID = id("cl", 23)
            var versions: [TraciaPromptVersion] = []
            for version in 1...(2 + number) {
                versions.append(
                    TraciaPromptVersion(
                        promptID: promptID,
                        version: version,
                        messages: [
                            TraciaMessage(
                                id: "msg_1",
                                role: "system",
                                content: "You write \(slug) replies, v\(version)."
                            ),
                            TraciaMessage(id: "msg_2", role: "user", content: "Write to {{name}} at {{company}}."),
                        ]
                            + (number == 1
                                ? [TraciaMessage(id: "msg_3", role: "tool", content: #"{"queue":"billing"}"#)] : []),
                        model: "gpt-4o",
                        provider: "OPENAI",
                        temperature: 0.7,
                        createdAt: at(Int64(version - 1) * 12 * 86_400 - 86_400)
                    )
                )
            }
            let prompt = TraciaPrompt(
                id: promptID,
                slug: currentSlugs[slug] ?? slug,
                name: slug.replacingOccurrences(of: "-", with: " ").capitalized,
                description: "Generated prompt \(number + 1)",
                provider: "OPENAI",
                model: "gpt-4o",
                temperature: 0.7,
                topP: nil,
                maxOutputTokens: nil,
                currentVersion: versions.count,
                createdAt: versions[0].createdAt,
                updatedAt: versions[versions.count - 1].createdAt
            )
            try await store.insertTraciaPrompt(prompt, versions: versions.reversed())
            promptVersions[slug] = versions
        }
        var spans: [TraciaSpan] = []
        spans.reserveCapacity(Self.batchSize)
        for index in 0..<count {
            let slug = slugs[index % slugs.count]
            let created = Int64(index) * secondsPerItem + Int64(random.next() % UInt64(secondsPerItem))
            let versions = promptVersions[slug] ?? []
            let version =
                versions.last { $0.createdAt.microseconds <= Self.epoch + created * 1_000_000 } ?? versions[0]
            let failed = random.next() % 20 == 0
            let name = pick(["Ada", "Grace", "Linus", "Margaret"])
            var input = JSONWriter()
            input.beginObject()
            input.key("messages")
            input.beginArray()
            for message in version.messages {
                input.beginObject()
                input.field("role", message.role)
                input.field(
                    "content",
                    message.content.replacingOccurrences(of: "{{name}}", with: name)
                        .replacingOccurrences(of: "{{company}}", with: "Acme")
                )
                input.endObject()
            }
            input.endArray()
            input.endObject()
            let generatedID = id("sp_", 12)
            let spanID =
                index % 7 == 6
                ? "tr_"
                    + String(String(UInt64(index) &* 0x9E37_79B9_7F4A_7C15, radix: 16).suffix(16)).leftPadded(to: 16)
                : generatedID
            let embedding = index % 10 == 9
            let inputTokens = 40 + Int(random.next() % 200)
            let outputTokens = failed ? 0 : 20 + Int(random.next() % 400)
            spans.append(
                TraciaSpan(
                    id: id("cl", 23),
                    spanID: spanID,
                    traceID: spanID,
                    parentSpanID: nil,
                    promptSlug: embedding ? nil : slug,
                    promptVersion: embedding ? nil : version.version,
                    model: embedding ? "voyage-3" : "gpt-4o",
                    provider: embedding ? "voyage" : "openai",
                    input: JSONText(
                        unchecked: embedding ? #"{"text":["Ticket \#(index)","Reply to \#(name)"]}"# : input.output
                    ),
                    variables: embedding
                        ? .null
                        : JSONText(unchecked: "{\"name\":\(JSONWriter.quoted(name)),\"company\":\"Acme\"}"),
                    output: failed
                        ? nil : embedding ? #"{"dimensions":1024,"count":2}"# : "Dear \(name), welcome aboard.",
                    status: failed ? "ERROR" : "SUCCESS",
                    error: failed ? "Provider timeout" : nil,
                    latencyMs: 200 + Int(random.next() % 3000),
                    inputTokens: inputTokens,
                    outputTokens: outputTokens,
                    cost: Double(inputTokens + outputTokens) / 100_000,
                    tags: random.next() % 3 == 0 ? ["production"] : [],
                    userID: "user_\(index % 7)",
                    sessionID: nil,
                    createdAt: at(created)
                )
            )
            if spans.count == Self.batchSize {
                try await store.putSpans(spans)
                spans.removeAll(keepingCapacity: true)
            }
        }
        try await store.putSpans(spans)
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
