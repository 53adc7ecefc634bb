import Hummingbird
import NIOCore
import TrailJSON

/// The emulator's own API under `/_trail/`, for tests and scripts: the request journal, fault control,
/// and the changes only a platform's web console can make (projects, tags, review verdicts).
///
/// Admin routes need no key and are never faulted or journaled.
struct AdminRoutes {
    let services: ServerServices

    func register(on router: Router<TrailRequestContext>) {
        router.get("/_trail/health") { _, _ in JSONBody.response(text: #"{"status":"ok"}"#) }
        router.get("/_trail/requests", use: requests)
        router.delete("/_trail/requests") { _, _ in
            services.journal.clear()
            return Response(status: .noContent)
        }
        router.post("/_trail/fail-next", use: failNext)
        router.post("/_trail/projects", use: addProject)
        router.post("/_trail/tags", use: addTag)
        router.post("/_trail/traces/{trace_id}/review", use: review)
    }

    /// `GET /_trail/requests?after=N&platform=tuor&path_prefix=/v1/traces`: answered requests, oldest first.
    @Sendable func requests(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let after = request.query("after").flatMap { Int($0) } ?? 0
        var entries = services.journal.entries(after: after)
        if let platform = request.query("platform") { entries = entries.filter { $0.platform == platform } }
        if let prefix = request.query("path_prefix") { entries = entries.filter { $0.path.hasPrefix(prefix) } }
        let last = services.journal.entries(after: 0).last?.seq ?? after
        var writer = JSONWriter(capacity: 64 + entries.count * 96)
        writer.beginObject()
        writer.key("requests")
        writer.beginArray()
        for entry in entries { entry.write(into: &writer) }
        writer.endArray()
        writer.key("last_seq")
        writer.int(last)
        writer.endObject()
        return JSONBody.response(text: writer.output)
    }

    /// `POST /_trail/fail-next {"count": N}`: the next N platform requests fail with 503.
    @Sendable func failNext(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        guard case .success(var fields) = RequestFields.parse(body), let count = fields.requiredInt("count"),
            count >= 0, fields.failure == nil
        else { return ErrorBody.tuor(.unprocessableContent, "expected {\"count\": N} with N >= 0") }
        services.injector.failNext(count)
        return JSONBody.response(text: "{\"remaining\":\(count)}")
    }

    /// `POST /_trail/projects {"id": "proj_…", "org_id"?: …}`: a project, as Tuor's console would create it.
    @Sendable func addProject(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        let expected = ErrorBody.tuor(.unprocessableContent, "expected {\"id\": \"proj_…\", \"org_id\"?: …}")
        guard var fields = try? RequestFields.parse(body).get() else { return expected }
        let id = fields.requiredString("id")
        let orgID = fields.string("org_id")
        guard let id, id.hasPrefix("proj_"), fields.failure == nil else { return expected }
        try await services.store.addProject(TuorProject(id: id, orgID: orgID ?? "org_emulator"))
        return JSONBody.response(status: .created, text: "{\"id\":\(JSONWriter.quoted(id))}")
    }

    /// `POST /_trail/tags {"name": …, "id"?: "tag_…"}`: a tag, as Tuor's console would create it.
    @Sendable func addTag(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        let expected = ErrorBody.tuor(.unprocessableContent, "expected {\"name\": …, \"id\"?: \"tag_…\"}")
        guard var fields = try? RequestFields.parse(body).get() else { return expected }
        let name = fields.requiredString("name")
        let id = fields.string("id")
        guard let name, fields.failure == nil else { return expected }
        let tag = TuorTag(id: id ?? services.ids.make("tag_", length: 12), name: name)
        try await services.store.addTag(tag)
        return JSONBody.response(status: .created, text: tag.rendered())
    }

    /// `POST /_trail/traces/{id}/review {"status": "approved"|"corrected"|"rejected", "corrected_output"?: {…}}`:
    /// a reviewer's verdict, as Tuor's review workspace would record it.
    @Sendable func review(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let id = try context.parameters.require("trace_id")
        let body = try await request.collectBody(context: context)
        guard let object = (try? JSONValue(parsing: body.readableBytesView))?.objectValue,
            let statusText = object["status"]?.stringValue, let status = TuorTraceStatus(rawValue: statusText),
            status != .pending
        else {
            return ErrorBody.tuor(
                .unprocessableContent,
                "expected {\"status\": \"approved\"|\"corrected\"|\"rejected\"}"
            )
        }
        let corrected = object["corrected_output"]
        if status == .corrected, corrected?.objectValue == nil {
            return ErrorBody.tuor(.unprocessableContent, "a corrected verdict needs a corrected_output object")
        }
        guard var trace = try await services.store.trace(id: id) else { return TuorRoutes.traceNotFound }
        let now = services.clock.now()
        trace.status = status
        trace.correctedOutput =
            status == .corrected ? corrected.map { JSONText(unchecked: $0.serializedString()) } : nil
        trace.reviewedAt = now
        trace.updatedAt = now
        try await services.store.putTrace(trace)
        return JSONBody.response(text: trace.rendered())
    }
}
