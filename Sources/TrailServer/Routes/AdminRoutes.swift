import Foundation
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

    private struct RequestLog: Encodable {
        var requests: [RequestJournal.Entry]
        var lastSeq: Int

        enum CodingKeys: String, CodingKey {
            case requests
            case lastSeq = "last_seq"
        }
    }

    /// `GET /_trail/requests?after=N&platform=tuor&path_prefix=/v1/traces`: answered requests, oldest first.
    @Sendable func requests(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let after = request.query("after").flatMap { Int($0) } ?? 0
        var entries = services.journal.entries(after: after)
        if let platform = request.query("platform") { entries = entries.filter { $0.platform == platform } }
        if let prefix = request.query("path_prefix") { entries = entries.filter { $0.path.hasPrefix(prefix) } }
        let last = services.journal.entries(after: 0).last?.seq ?? after
        return JSONBody.response(encoding: RequestLog(requests: entries, lastSeq: last))
    }

    private struct FailNextRequest: Decodable { var count: Int }

    /// `POST /_trail/fail-next {"count": N}`: the next N platform requests fail with 503.
    @Sendable func failNext(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        guard case .success(let decoded) = RequestDecoding.decode(FailNextRequest.self, from: body), decoded.count >= 0
        else { return ErrorBody.tuor(.unprocessableContent, "expected {\"count\": N} with N >= 0") }
        services.injector.failNext(decoded.count)
        return JSONBody.response(text: "{\"remaining\":\(decoded.count)}")
    }

    private struct ProjectRequest: Decodable {
        var id: String
        var orgID: String?

        enum CodingKeys: String, CodingKey {
            case id
            case orgID = "org_id"
        }
    }

    @Sendable func addProject(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        guard case .success(let decoded) = RequestDecoding.decode(ProjectRequest.self, from: body),
            decoded.id.hasPrefix("proj_")
        else { return ErrorBody.tuor(.unprocessableContent, "expected {\"id\": \"proj_…\", \"org_id\"?: …}") }
        try await services.store.addProject(TuorProject(id: decoded.id, orgID: decoded.orgID ?? "org_emulator"))
        return JSONBody.response(status: .created, text: "{\"id\":\(JSONWriter.quoted(decoded.id))}")
    }

    private struct TagRequest: Decodable {
        var id: String?
        var name: String
    }

    @Sendable func addTag(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        guard case .success(let decoded) = RequestDecoding.decode(TagRequest.self, from: body) else {
            return ErrorBody.tuor(.unprocessableContent, "expected {\"name\": …, \"id\"?: \"tag_…\"}")
        }
        let tag = TuorTag(id: decoded.id ?? services.ids.make("tag_", length: 12), name: decoded.name)
        try await services.store.addTag(tag)
        return JSONBody.response(status: .created, encoding: tag)
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
