package import Foundation
import TrailJSON
import TrailWorkspace

/// Loads `--seed DIR`: a PromptTrail workspace (a folder with `workspace.json`), or the samples folder
/// (`samples/`, whose `workspace/` is one, plus the valid Tracia prompt and span samples).
///
/// Each record's `source_payload` is the upstream object verbatim, so the emulator serves back exactly
/// what the platform sent when the workspace was pulled.
package struct WorkspaceSeeder: Sendable {
    /// The folder given to `--seed`.
    package var directory: URL

    /// Creates a seeder.
    ///
    /// - Parameter directory: a workspace folder or the samples folder.
    package init(directory: URL) {
        self.directory = directory
    }

    /// What a seeding run loaded.
    package struct Summary: Sendable, Equatable {
        /// Tuor projects.
        package var projects = 0
        /// Tuor prompt versions and Tracia prompt versions.
        package var promptVersions = 0
        /// Tuor traces and Tracia spans.
        package var traces = 0
    }

    /// Loads the folder into a store.
    ///
    /// - Parameter store: the emulator's store.
    /// - Returns: counts of what was loaded.
    /// - Throws: ``TrailServerError/unreadableFile(path:cause:)`` when the folder cannot be listed;
    ///   ``TrailServerError/invalidSeed(path:message:)`` when it or a record is not what a workspace holds.
    @discardableResult
    package func populate(_ store: SQLiteStore) async throws -> Summary {
        var summary = Summary()
        let fileManager = FileManager.default
        let root: String
        do {
            _ = try fileManager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw TrailServerError.unreadableFile(path: directory.path, cause: error)
        }
        if WorkspaceReader.isWorkspace(directory.path) {
            root = directory.path
        } else if WorkspaceReader.isWorkspace(directory.appendingPathComponent("workspace").path) {
            root = directory.appendingPathComponent("workspace").path
            try await loadTraciaSamples(directory.appendingPathComponent("tracia"), store, &summary)
        } else {
            throw TrailServerError.invalidSeed(
                path: directory.path,
                message: "no workspace.json here or in workspace/"
            )
        }
        let reader = try seedStep(root) { try WorkspaceReader(root: root) }
        let source = reader.descriptor.source
        let promptFiles = Dictionary(grouping: try seedStep(root) { try reader.files(.prompts) }, by: \.project)
        let traceFiles = Dictionary(grouping: try seedStep(root) { try reader.files(.traces) }, by: \.project)
        for project in reader.descriptor.projects {
            let promptRecords = try records(promptFiles[project] ?? [], reader)
            let traceRecords = try records(traceFiles[project] ?? [], reader)
            if source == "tracia" {
                try await loadTracia(promptRecords.map(\.record), traceRecords.map(\.record), store, &summary)
                continue
            }
            let orgID = promptRecords.first?.record["source_payload"]?["org_id"]?.stringValue ?? "org_emulator"
            try await store.addProject(TuorProject(id: project, orgID: orgID))
            summary.projects += 1
            for (line, record) in promptRecords {
                guard let payload = record["source_payload"]?.objectValue else {
                    throw invalid(reader, line, "no source_payload")
                }
                try await store.insertPromptVersion(try promptVersion(payload, reader, line))
                summary.promptVersions += 1
            }
            for (line, record) in traceRecords {
                guard let payload = record["source_payload"]?.objectValue else {
                    throw invalid(reader, line, "no source_payload")
                }
                let trace = try trace(payload, reader, line)
                for tag in trace.tags { try await store.addTag(TuorTag(id: tag, name: tag)) }
                try await store.putTrace(trace)
                summary.traces += 1
            }
        }
        return summary
    }

    private func promptVersion(
        _ payload: JSONObject,
        _ reader: WorkspaceReader,
        _ line: WorkspaceLine
    ) throws -> TuorPromptVersion {
        guard let id = payload["id"]?.stringValue, let projectID = payload["project_id"]?.stringValue,
            let version = payload["version"]?.intValue, let content = payload["content"]?.stringValue,
            let created = payload["created_at"]?.stringValue.flatMap(VerbatimTimestamp.init)
        else {
            throw invalid(reader, line, "the prompt version lacks id, project_id, version, content or created_at")
        }
        return TuorPromptVersion(
            id: id,
            projectID: projectID,
            orgID: payload["org_id"]?.stringValue,
            version: version,
            content: content,
            source: payload["source"]?.stringValue ?? "manual",
            parentID: payload["parent_id"]?.stringValue,
            rationale: payload["rationale"]?.stringValue,
            lineageEventIDs: payload["lineage_event_ids"]?.arrayValue?.compactMap(\.stringValue),
            createdAt: created,
            createdBy: payload["created_by"]?.stringValue
        )
    }

    private func trace(_ payload: JSONObject, _ reader: WorkspaceReader, _ line: WorkspaceLine) throws -> TuorTrace {
        guard let id = payload["id"]?.stringValue, let projectID = payload["project_id"]?.stringValue,
            let status = payload["status"]?.stringValue.flatMap(TuorTraceStatus.init(rawValue:)),
            let input = payload["model_input"], let output = payload["model_output"],
            let created = payload["created_at"]?.stringValue.flatMap(VerbatimTimestamp.init)
        else {
            throw invalid(
                reader,
                line,
                "the trace lacks id, project_id, status, model_input, model_output or created_at"
            )
        }
        let config = payload["trace_config"].flatMap { $0.isNull ? nil : $0 }
        let corrected = payload["corrected_output"].flatMap { $0.isNull ? nil : $0 }
        return TuorTrace(
            id: id,
            projectID: projectID,
            status: status,
            modelInput: JSONText(unchecked: input.serializedString()),
            modelOutput: JSONText(unchecked: output.serializedString()),
            traceConfig: config.map { JSONText(unchecked: $0.serializedString()) },
            correctedOutput: corrected.map { JSONText(unchecked: $0.serializedString()) },
            tags: payload["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            createdAt: created,
            updatedAt: payload["updated_at"]?.stringValue.flatMap(VerbatimTimestamp.init) ?? created,
            reviewedAt: payload["reviewed_at"]?.stringValue.flatMap(VerbatimTimestamp.init),
            promptVersionID: config?["prompt_version_id"]?.stringValue
        )
    }

    private func loadTracia(
        _ prompts: [JSONObject],
        _ spans: [JSONObject],
        _ store: SQLiteStore,
        _ summary: inout Summary
    ) async throws {
        var bySlug: [String: [JSONObject]] = [:]
        for record in prompts {
            guard let slug = record["prompt_key"]?.stringValue else { continue }
            bySlug[slug, default: []].append(record)
        }
        for (_, records) in bySlug.sorted(by: { $0.key < $1.key }) {
            guard let latest = records.max(by: { ($0["version"]?.intValue ?? 0) < ($1["version"]?.intValue ?? 0) }),
                let payload = latest["source_payload"]?.objectValue, var prompt = traciaPrompt(payload)
            else { continue }
            let versions = records.compactMap { record -> TraciaPromptVersion? in
                guard let number = record["version"]?.intValue,
                    let created = record["created_at"]?.stringValue.flatMap(VerbatimTimestamp.init)
                else { return nil }
                return TraciaPromptVersion(
                    promptID: prompt.id,
                    version: number,
                    messages: messages(record["content"]),
                    model: record["model"]?.stringValue,
                    provider: record["provider"]?.stringValue,
                    temperature: record["temperature"]?.doubleValue,
                    createdAt: created
                )
            }
            prompt.currentVersion = max(prompt.currentVersion, versions.map(\.version).max() ?? 1)
            try await store.insertTraciaPrompt(prompt, versions: versions)
            summary.promptVersions += versions.count
        }
        for record in spans {
            guard let payload = record["source_payload"]?.objectValue, let span = traciaSpan(payload) else { continue }
            try await store.putSpan(span)
            summary.traces += 1
        }
    }

    private func loadTraciaSamples(_ folder: URL, _ store: SQLiteStore, _ summary: inout Summary) async throws {
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw TrailServerError.unreadableFile(path: folder.path, cause: error)
        }
        for file in files where file.hasPrefix("prompt.valid") || file.hasPrefix("span.valid") {
            let url = folder.appendingPathComponent(file)
            let payload = try object(at: url)
            if file.hasPrefix("prompt.valid") {
                guard let prompt = traciaPrompt(payload) else {
                    throw invalid(url, "the prompt sample lacks id, slug or createdAt")
                }
                let version = TraciaPromptVersion(
                    promptID: prompt.id,
                    version: prompt.currentVersion,
                    messages: messages(payload["content"]),
                    model: prompt.model,
                    provider: prompt.provider,
                    temperature: prompt.temperature,
                    createdAt: prompt.updatedAt
                )
                try await store.insertTraciaPrompt(prompt, versions: [version])
                summary.promptVersions += 1
            } else {
                guard let span = traciaSpan(payload) else {
                    throw invalid(url, "the span sample lacks spanId, input or createdAt")
                }
                try await store.putSpan(span)
                summary.traces += 1
            }
        }
    }

    private func traciaPrompt(_ payload: JSONObject) -> TraciaPrompt? {
        guard let id = payload["id"]?.stringValue, let slug = payload["slug"]?.stringValue,
            let created = payload["createdAt"]?.stringValue.flatMap(VerbatimTimestamp.init)
        else { return nil }
        return TraciaPrompt(
            id: id,
            slug: slug,
            name: payload["name"]?.stringValue ?? slug,
            description: payload["description"]?.stringValue,
            provider: payload["provider"]?.stringValue,
            model: payload["model"]?.stringValue,
            temperature: payload["temperature"]?.doubleValue,
            topP: payload["topP"]?.doubleValue,
            maxOutputTokens: payload["maxOutputTokens"]?.intValue,
            currentVersion: payload["currentVersion"]?.intValue ?? 1,
            createdAt: created,
            updatedAt: payload["updatedAt"]?.stringValue.flatMap(VerbatimTimestamp.init) ?? created
        )
    }

    private func messages(_ value: JSONValue?) -> [TraciaMessage] {
        (value?.arrayValue ?? []).enumerated().compactMap { index, message in
            guard let role = message["role"]?.stringValue, let content = message["content"]?.stringValue else {
                return nil
            }
            return TraciaMessage(id: message["id"]?.stringValue ?? "msg_\(index + 1)", role: role, content: content)
        }
    }

    private func traciaSpan(_ payload: JSONObject) -> TraciaSpan? {
        guard let spanID = payload["spanId"]?.stringValue, let input = payload["input"],
            let created = payload["createdAt"]?.stringValue.flatMap(VerbatimTimestamp.init)
        else { return nil }
        return TraciaSpan(
            id: payload["id"]?.stringValue ?? spanID,
            spanID: spanID,
            traceID: payload["traceId"]?.stringValue,
            parentSpanID: payload["parentSpanId"]?.stringValue,
            promptSlug: payload["promptSlug"]?.stringValue,
            promptVersion: payload["promptVersion"]?.intValue,
            model: payload["model"]?.stringValue ?? "unknown",
            provider: payload["provider"]?.stringValue ?? "unknown",
            input: JSONText(unchecked: input.serializedString()),
            variables: JSONText(unchecked: (payload["variables"] ?? .null).serializedString()),
            output: payload["output"]?.stringValue,
            status: payload["status"]?.stringValue ?? "SUCCESS",
            error: payload["error"]?.stringValue,
            latencyMs: payload["latencyMs"]?.intValue ?? 0,
            inputTokens: payload["inputTokens"]?.intValue ?? 0,
            outputTokens: payload["outputTokens"]?.intValue ?? 0,
            cost: payload["cost"]?.doubleValue,
            tags: payload["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            userID: payload["userId"]?.stringValue,
            sessionID: payload["sessionId"]?.stringValue,
            createdAt: created
        )
    }

    private func object(at url: URL) throws -> JSONObject {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TrailServerError.unreadableFile(path: url.path, cause: error)
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw invalid(url, "\(error)")
        }
        guard let object = value.objectValue else { throw invalid(url, "not a JSON object") }
        return object
    }

    /// The records of workspace files, in file and line order.
    private func records(
        _ files: [WorkspaceFile],
        _ reader: WorkspaceReader
    ) throws -> [(line: WorkspaceLine, record: JSONObject)] {
        var records: [(line: WorkspaceLine, record: JSONObject)] = []
        for file in files {
            try seedStep(reader.path(of: file)) {
                try reader.forEachRecord(of: file) { record, line in records.append((line, record)) }
            }
        }
        return records
    }

    /// Runs a workspace read, turning its ``WorkspaceError`` into this module's error.
    private func seedStep<Result>(_ path: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as WorkspaceError {
            switch error {
            case .io, .unreadable: throw TrailServerError.unreadableFile(path: path, cause: error)
            default: throw TrailServerError.invalidSeed(path: path, message: "\(error)")
            }
        }
    }

    private func invalid(_ url: URL, _ message: String) -> TrailServerError {
        .invalidSeed(path: url.path, message: message)
    }

    private func invalid(_ reader: WorkspaceReader, _ line: WorkspaceLine, _ message: String) -> TrailServerError {
        .invalidSeed(path: reader.path(of: line.file), message: "line \(line.number): \(message)")
    }
}
