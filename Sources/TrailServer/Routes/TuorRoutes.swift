import Foundation
import Hummingbird
import NIOCore
import TrailJSON

/// Tuor's endpoints under `/v1/`: prompts (with refinement), traces (ingest, get, list, export) and tags.
struct TuorRoutes {
    let services: ServerServices

    /// The largest page `GET /v1/traces/` serves, and the page size when `limit` is absent.
    static let maximumPageSize = 200
    static let defaultPageSize = 50
    /// Tuor's documented prompt cap, read as 16,384 bytes of UTF-8 (the request schemas' `maxUtf8Bytes`): the
    /// length a refinement suggestion is cut to.
    static let promptContentLimit = 16_384
    /// Reviewed traces a refinement needs since the active version (documented).
    static let refinementThreshold = 10

    func register(on router: Router<TrailRequestContext>) {
        router.get("/v1/projects/{project_id}/prompts", use: prompts)
        router.post("/v1/projects/{project_id}/prompts", use: createPrompt)
        router.post("/v1/projects/{project_id}/prompts/refine", use: refine)
        router.post("/v1/projects/{project_id}/prompts/accept-refinement", use: acceptRefinement)
        router.post("/v1/traces", use: ingest)
        router.get("/v1/traces", use: listTraces)
        router.get("/v1/traces/export", use: export)
        router.get("/v1/traces/{trace_id}", use: trace)
        router.post("/v1/traces/{trace_id}/tags", use: attachTags)
        router.delete("/v1/traces/{trace_id}/tags/{tag_id}", use: detachTag)
        router.get("/v1/tags", use: tags)
    }

    // MARK: Prompts

    @Sendable func prompts(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let projectID = try context.parameters.require("project_id")
        guard try await services.store.project(id: projectID) != nil else { return Self.projectNotFound }
        let versions = try await services.store.promptVersions(projectID: projectID)
        var writer = JSONWriter(capacity: versions.reduce(64) { $0 + $1.content.utf8.count * 2 + 320 })
        writer.beginObject()
        writer.key("active")
        if let active = versions.last {
            active.render(into: &writer, isActive: true)
        } else {
            writer.raw("null")
        }
        writer.key("history")
        writer.beginArray()
        for version in versions.reversed() { version.render(into: &writer, isActive: version == versions.last) }
        writer.endArray()
        writer.endObject()
        return JSONBody.response(text: writer.output)
    }

    @Sendable func createPrompt(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let projectID = try context.parameters.require("project_id")
        guard try await services.store.project(id: projectID) != nil else { return Self.projectNotFound }
        let body = try await request.collectBody(context: context)
        let object: JSONObject
        switch services.schemas.tuorPromptCreate.check(body) {
        case .success(let value): object = value.objectValue ?? [:]
        case .failure(let rejection): return ErrorBody.tuorValidation(ErrorBody.issues(for: rejection))
        }
        guard let content = object["content"]?.stringValue else { return Self.unchecked }
        let version = try await services.store.appendPromptVersion(
            projectID: projectID,
            id: services.ids.make("prm_"),
            content: content,
            source: "manual",
            parentID: nil,
            rationale: nil,
            lineageEventIDs: [],
            createdBy: "user_emulator",
            at: services.clock.now()
        )
        return JSONBody.response(status: .created, text: version.rendered(isActive: true))
    }

    /// The answer when a body that passed its schema still lacks what the route reads: the schema and the
    /// route disagree, which is the emulator's fault.
    static var unchecked: Response { ErrorBody.tuor(.internalServerError, "Internal Server Error") }

    @Sendable func refine(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let projectID = try context.parameters.require("project_id")
        guard try await services.store.project(id: projectID) != nil else { return Self.projectNotFound }
        guard let active = try await services.store.promptVersions(projectID: projectID).last else {
            return ErrorBody.tuor(.conflict, "The project has no active prompt to refine")
        }
        let reviewed = try await services.store.reviewedTraces(promptVersionID: active.id, limit: 1000)
        guard reviewed.count >= Self.refinementThreshold else {
            return ErrorBody.tuor(
                .conflict,
                "Refinement needs at least \(Self.refinementThreshold) reviewed traces since the active version "
                    + "(\(reviewed.count) so far)"
            )
        }
        let corrected = reviewed.filter { $0.status == .corrected }
        let rejected = reviewed.filter { $0.status == .rejected }
        let basis = (corrected + rejected + reviewed.filter { $0.status == .approved }).prefix(Self.refinementThreshold)
        let addendum =
            "\n\nReviewers corrected \(corrected.count) and rejected \(rejected.count) of the last "
            + "\(reviewed.count) reviewed outputs. Follow the output format exactly and use null for any field "
            + "the input does not state."
        var content = active.content + addendum
        while content.utf8.count > Self.promptContentLimit { content.removeLast() }
        let suggestion = RefinementSuggestion(
            id: services.ids.make("sug_"),
            projectID: projectID,
            parentID: active.id,
            content: content,
            rationale: "Based on \(corrected.count) corrected and \(rejected.count) rejected reviews of version "
                + "\(active.version).",
            basedOnTraceIDs: basis.map(\.id),
            createdAt: services.clock.now(),
            accepted: false
        )
        try await services.store.putSuggestion(suggestion)
        return JSONBody.response(text: suggestion.rendered())
    }

    @Sendable func acceptRefinement(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let projectID = try context.parameters.require("project_id")
        guard try await services.store.project(id: projectID) != nil else { return Self.projectNotFound }
        let body = try await request.collectBody(context: context)
        let object: JSONObject
        switch services.schemas.acceptRefinement.check(body) {
        case .success(let value): object = value.objectValue ?? [:]
        case .failure(let rejection): return ErrorBody.tuorValidation(ErrorBody.issues(for: rejection))
        }
        guard let suggestionID = object["suggestion_id"]?.stringValue else { return Self.unchecked }
        let content = object["content"]?.stringValue
        guard var suggestion = try await services.store.suggestion(id: suggestionID),
            suggestion.projectID == projectID
        else {
            return ErrorBody.tuor(.notFound, "Suggestion not found")
        }
        guard !suggestion.accepted else { return ErrorBody.tuor(.conflict, "Suggestion already accepted") }
        guard try await services.store.promptVersions(projectID: projectID).last?.id == suggestion.parentID else {
            return ErrorBody.tuor(.conflict, "The active version changed since the suggestion was made")
        }
        let version = try await services.store.appendPromptVersion(
            projectID: projectID,
            id: services.ids.make("prm_"),
            content: content ?? suggestion.content,
            source: "refinement",
            parentID: suggestion.parentID,
            rationale: suggestion.rationale,
            lineageEventIDs: suggestion.basedOnTraceIDs.map { "evt_" + $0.replacingOccurrences(of: "trc_", with: "") },
            createdBy: nil,
            at: services.clock.now()
        )
        suggestion.accepted = true
        try await services.store.putSuggestion(suggestion)
        return JSONBody.response(status: .created, text: version.rendered(isActive: true))
    }

    // MARK: Traces

    @Sendable func ingest(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        let ingest: TraceIngest
        switch TraceIngest.parse(body, schema: services.schemas.traceIngest) {
        case .success(let value): ingest = value
        case .failure(let list): return ErrorBody.tuorValidation(list.issues)
        }
        guard try await services.store.project(id: ingest.projectID) != nil else { return Self.projectNotFound }
        let now = services.clock.now()
        let trace = TuorTrace(
            id: services.ids.make("trc_"),
            projectID: ingest.projectID,
            status: .pending,
            modelInput: ingest.modelInput,
            modelOutput: ingest.modelOutput,
            traceConfig: ingest.traceConfig,
            correctedOutput: nil,
            tags: [],
            createdAt: now,
            updatedAt: now,
            reviewedAt: nil,
            promptVersionID: ingest.promptVersionID
        )
        try await services.store.putTrace(trace)
        return JSONBody.response(status: .created, text: trace.rendered())
    }

    @Sendable func trace(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let id = try context.parameters.require("trace_id")
        guard let body = try await services.store.traceBody(id: id) else { return Self.traceNotFound }
        return JSONBody.response(text: body)
    }

    @Sendable func listTraces(_ request: Request, context: TrailRequestContext) async throws -> Response {
        var issues: [ErrorBody.ValidationIssue] = []
        let query = Self.traceQuery(request, sinceParameter: "updated_since", issues: &issues)
        var limit = Self.defaultPageSize
        if let text = request.query("limit") {
            if let value = Int(text), (1...Self.maximumPageSize).contains(value) {
                limit = value
            } else {
                issues.append(
                    .init(
                        loc: ["query", "limit"],
                        msg: "Input should be an integer from 1 to \(Self.maximumPageSize)",
                        type: "value_error"
                    )
                )
            }
        }
        var cursor: PageCursor?
        if let text = request.query("cursor") {
            cursor = PageCursor(encoded: text)
            if cursor == nil {
                issues.append(.init(loc: ["query", "cursor"], msg: "Invalid cursor", type: "value_error"))
            }
        }
        guard issues.isEmpty else { return ErrorBody.tuorValidation(issues) }
        let rows = try await services.store.traceBodies(matching: query, after: cursor, limit: limit + 1)
        var nextCursor: String? = rows.count > limit ? rows[limit - 1].cursor.encoded : nil
        if services.injector.fires(context.faults.repeatCursorRate) {
            nextCursor = request.query("cursor") ?? PageCursor.start.encoded
        }
        var output = ByteBuffer()
        output.reserveCapacity(rows.prefix(limit).reduce(48) { $0 + $1.body.utf8.count + 1 })
        output.writeString("{\"data\":[")
        for (index, row) in rows.prefix(limit).enumerated() {
            if index > 0 { output.writeString(",") }
            output.writeString(row.body)
        }
        output.writeString("],\"next_cursor\":")
        output.writeString(nextCursor.map(JSONWriter.quoted) ?? "null")
        output.writeString("}")
        return JSONBody.response(buffer: output)
    }

    /// Parses the filters shared by the list and the export.
    static func traceQuery(
        _ request: Request,
        sinceParameter: String,
        issues: inout [ErrorBody.ValidationIssue]
    ) -> TraceQuery {
        var query = TraceQuery()
        query.projectID = request.query("project_id")
        query.tag = request.query("tag")
        for text in request.queryAll("status").flatMap({ $0.split(separator: ",") }) {
            if let status = TuorTraceStatus(rawValue: String(text)) {
                query.statuses.insert(status)
            } else {
                issues.append(
                    .init(
                        loc: ["query", "status"],
                        msg: "Input should be 'pending', 'approved', 'rejected' or 'corrected'",
                        type: "enum"
                    )
                )
            }
        }
        for (name, isSince) in [(sinceParameter, true), ("until", false)] {
            guard let text = request.query(name) else { continue }
            guard let timestamp = VerbatimTimestamp(text) else {
                issues.append(
                    .init(
                        loc: ["query", .key(name)],
                        msg: "Input should be an RFC 3339 date-time",
                        type: "datetime_parsing"
                    )
                )
                continue
            }
            if isSince {
                query.updatedSince = timestamp.microseconds
            } else {
                query.updatedUntil = timestamp.microseconds
            }
        }
        return query
    }

    @Sendable func export(_ request: Request, context: TrailRequestContext) async throws -> Response {
        var issues: [ErrorBody.ValidationIssue] = []
        var query = Self.traceQuery(request, sinceParameter: "since", issues: &issues)
        if query.statuses.contains(.pending) {
            issues.append(
                .init(loc: ["query", "status"], msg: "The export holds reviewed traces only", type: "value_error")
            )
        }
        guard issues.isEmpty else { return ErrorBody.tuorValidation(issues) }
        if query.statuses.isEmpty { query.statuses = [.approved, .corrected, .rejected] }
        let filters = query
        let store = services.store
        let injector = services.injector
        let faults = context.faults
        let batchSize = 500
        let body = ResponseBody { writer in
            var cursor: PageCursor?
            var lineNumber = 0
            // Bounded: every batch moves the keyset cursor forward, so the loop ends with the table.
            while true {
                let rows = try await store.traceBodies(matching: filters, after: cursor, limit: batchSize)
                var buffer = ByteBuffer()
                for row in rows {
                    lineNumber += 1
                    if faults.truncateLine == lineNumber || injector.fires(faults.truncateRate) {
                        let bytes = Array(row.body.utf8)
                        buffer.writeBytes(bytes.prefix(bytes.count / 2))
                    } else {
                        buffer.writeString(row.body)
                    }
                    buffer.writeString("\n")
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
                guard rows.count == batchSize, let last = rows.last else { break }
                cursor = last.cursor
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }

    // MARK: Tags

    @Sendable func tags(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let tags = try await services.store.tags()
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("data")
        writer.beginArray()
        for tag in tags { writer.raw(tag.rendered()) }
        writer.endArray()
        writer.key("next_cursor")
        writer.raw("null")
        writer.endObject()
        return JSONBody.response(text: writer.output)
    }

    @Sendable func attachTags(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let id = try context.parameters.require("trace_id")
        let body = try await request.collectBody(context: context)
        var fields: RequestFields
        switch RequestFields.parse(body) {
        case .success(let parsed): fields = parsed
        case .failure(let list): return ErrorBody.tuorValidation(list.issues)
        }
        let wanted = (fields.strings("tag_ids") ?? []) + (fields.string("tag_id").map { [$0] } ?? [])
        if let failure = fields.failure { return ErrorBody.tuorValidation(failure.issues) }
        guard !wanted.isEmpty else {
            return ErrorBody.tuorValidation([.init(loc: ["body", "tag_ids"], msg: "Field required", type: "missing")])
        }
        guard var trace = try await services.store.trace(id: id) else { return Self.traceNotFound }
        let known = Set(try await services.store.tags().map(\.id))
        if let unknown = wanted.first(where: { !known.contains($0) }) {
            return ErrorBody.tuor(.notFound, "Tag not found: \(unknown)")
        }
        let added = wanted.filter { !trace.tags.contains($0) }
        if !added.isEmpty {
            var seen = Set<String>()
            trace.tags += added.filter { seen.insert($0).inserted }
            trace.updatedAt = services.clock.now()
            try await services.store.putTrace(trace)
        }
        return JSONBody.response(text: trace.rendered())
    }

    @Sendable func detachTag(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let id = try context.parameters.require("trace_id")
        let tag = try context.parameters.require("tag_id")
        guard var trace = try await services.store.trace(id: id) else { return Self.traceNotFound }
        guard trace.tags.contains(tag) else { return ErrorBody.tuor(.notFound, "Tag not attached: \(tag)") }
        trace.tags.removeAll { $0 == tag }
        trace.updatedAt = services.clock.now()
        try await services.store.putTrace(trace)
        return JSONBody.response(text: trace.rendered())
    }

    static var projectNotFound: Response { ErrorBody.tuor(.notFound, "Project not found") }
    static var traceNotFound: Response { ErrorBody.tuor(.notFound, "Trace not found") }
}
