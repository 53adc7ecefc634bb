import Foundation
import Hummingbird
import NIOCore
import TrailJSON

/// Tracia's endpoints under `/api/v1/`: prompts (list, get, create, update, delete, run) and spans, and,
/// with `--tracia-versions` only, the emulator's versions extension.
struct TraciaRoutes {
    let services: ServerServices
    /// Whether the `versions` extension is on (``ServerConfiguration/traciaVersions``).
    let servesVersions: Bool

    static let maximumPageSize = 100
    static let defaultPageSize = 50

    func register(on router: Router<TrailRequestContext>) {
        router.get("/api/v1/prompts", use: listPrompts)
        router.post("/api/v1/prompts", use: createPrompt)
        router.get("/api/v1/prompts/{slug}", use: prompt)
        router.put("/api/v1/prompts/{slug}", use: updatePrompt)
        router.delete("/api/v1/prompts/{slug}", use: deletePrompt)
        if servesVersions { router.get("/api/v1/prompts/{slug}/versions", use: versions) }
        router.post("/api/v1/prompts/{slug}/run", use: run)
        router.get("/api/v1/spans", use: listSpans)
        router.get("/api/v1/spans/{span_id}", use: span)
    }

    // MARK: Prompts

    @Sendable func listPrompts(_ request: Request, context: TrailRequestContext) async throws -> Response {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("prompts")
        writer.beginArray()
        for prompt in try await services.store.traciaPrompts() {
            let current = try await services.store.traciaPrompt(slug: prompt.slug)?.versions.first?.messages ?? []
            // List items leave content out but keep the variables it yields.
            var summary = JSONWriter()
            prompt.render(into: &summary, content: nil)
            let variables = TraciaMessage.variables(in: current).map(JSONWriter.quoted).joined(separator: ",")
            writer.raw(
                summary.output.replacingOccurrences(of: "\"variables\":[]", with: "\"variables\":[\(variables)]")
            )
        }
        writer.endArray()
        writer.endObject()
        return JSONBody.response(text: writer.output)
    }

    @Sendable func prompt(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let (prompt, versions) = try await services.store.traciaPrompt(slug: slug) else {
            return Self.promptNotFound(slug)
        }
        var writer = JSONWriter(capacity: 2048)
        prompt.render(into: &writer, content: versions.first?.messages ?? [], versions: servesVersions ? versions : nil)
        return JSONBody.response(text: writer.output)
    }

    @Sendable func versions(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let (_, versions) = try await services.store.traciaPrompt(slug: slug) else {
            return Self.promptNotFound(slug)
        }
        var writer = JSONWriter(capacity: 2048)
        writer.beginObject()
        writer.key("versions")
        writer.beginArray()
        for version in versions { version.render(into: &writer) }
        writer.endArray()
        writer.endObject()
        return JSONBody.response(text: writer.output)
    }

    @Sendable func createPrompt(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let body = try await request.collectBody(context: context)
        let object: JSONObject
        switch services.schemas.traciaPromptCreate.check(body) {
        case .success(let value): object = value.objectValue ?? [:]
        case .failure(let rejection): return Self.invalid(ErrorBody.traciaMessage(for: rejection))
        }
        guard let name = object["name"]?.stringValue, let content = Self.messages(object["content"]) else {
            return Self.unchecked
        }
        guard let description = Self.descriptionMember(in: object) else {
            return Self.invalid("description must be a string")
        }
        let slug = object["slug"]?.stringValue ?? Self.slug(from: name)
        guard !slug.isEmpty else { return Self.invalid("slug must not be empty") }
        let now = services.clock.now()
        let prompt = TraciaPrompt(
            id: services.ids.make("cl", length: 23),
            slug: slug,
            name: name,
            description: description.flatMap { $0.isEmpty ? nil : $0 },
            provider: "OPENAI",
            model: "gpt-4o",
            temperature: 0.7,
            topP: nil,
            maxOutputTokens: nil,
            currentVersion: 1,
            createdAt: now,
            updatedAt: now
        )
        switch try await services.store.createTraciaPrompt(prompt, content: content) {
        case .ok(let created):
            var writer = JSONWriter(capacity: 1024)
            created.render(into: &writer, content: content)
            return JSONBody.response(status: .created, text: writer.output)
        case .conflict(let message):
            return ErrorBody.tracia(.conflict, code: "CONFLICT", message)
        case .notFound:
            return Self.promptNotFound(slug)
        }
    }

    @Sendable func updatePrompt(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let body = try await request.collectBody(context: context)
        let object: JSONObject
        switch services.schemas.traciaPromptUpdate.check(body) {
        case .success(let value): object = value.objectValue ?? [:]
        case .failure(let rejection): return Self.invalid(ErrorBody.traciaMessage(for: rejection))
        }
        guard let description = Self.descriptionMember(in: object) else {
            return Self.invalid("description must be a string")
        }
        var change = TraciaPromptChange()
        change.name = object["name"]?.stringValue
        change.slug = object["slug"]?.stringValue
        change.description = description
        if let content = object["content"] {
            guard let messages = Self.messages(content) else { return Self.unchecked }
            change.content = messages
        }
        if change.slug?.isEmpty == true { return Self.invalid("slug must not be empty") }
        switch try await services.store.updateTraciaPrompt(slug: slug, change: change, at: services.clock.now()) {
        case .ok(let prompt):
            let content = try await services.store.traciaPrompt(slug: prompt.slug)?.versions.first?.messages ?? []
            var writer = JSONWriter(capacity: 1024)
            prompt.render(into: &writer, content: content)
            return JSONBody.response(text: writer.output)
        case .conflict(let message):
            return ErrorBody.tracia(.conflict, code: "CONFLICT", message)
        case .notFound:
            return Self.promptNotFound(slug)
        }
    }

    @Sendable func deletePrompt(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard try await services.store.deleteTraciaPrompt(slug: slug) else { return Self.promptNotFound(slug) }
        return JSONBody.response(text: #"{"success":true}"#)
    }

    /// The members of a run request body the emulator reads.
    private struct RunRequest {
        var variables: [String: String]?
        var model: String?
        var version: Int?
        var tags: [String]?
        var userId: String?
        var sessionId: String?
        var traceId: String?
        var parentSpanId: String?

        init() {}

        init(_ fields: inout RequestFields) {
            variables = fields.stringMap("variables")
            model = fields.string("model")
            version = fields.int("version")
            tags = fields.strings("tags")
            userId = fields.string("userId")
            sessionId = fields.string("sessionId")
            traceId = fields.string("traceId")
            parentSpanId = fields.string("parentSpanId")
        }
    }

    /// `POST /prompts/{slug}/run`: renders the prompt, logs a span, and answers with a canned completion.
    @Sendable func run(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let body = try await request.collectBody(context: context)
        let decoded: RunRequest
        if body.readableBytes == 0 {
            decoded = RunRequest()
        } else {
            switch RequestFields.parse(body) {
            case .success(var fields):
                decoded = RunRequest(&fields)
                if let failure = fields.failure { return Self.invalid(Self.message(failure)) }
            case .failure(let list): return Self.invalid(Self.message(list))
            }
        }
        guard let (prompt, versions) = try await services.store.traciaPrompt(slug: slug) else {
            return Self.promptNotFound(slug)
        }
        let wanted = decoded.version ?? prompt.currentVersion
        guard let version = versions.first(where: { $0.version == wanted }) else {
            return ErrorBody.tracia(.notFound, code: "NOT_FOUND", "Prompt version not found: \(slug)@\(wanted)")
        }
        let variables = decoded.variables ?? [:]
        let missing = TraciaMessage.variables(in: version.messages).filter { variables[$0] == nil }
        guard missing.isEmpty else {
            return ErrorBody.tracia(
                .badRequest,
                code: "MISSING_VARIABLES",
                "Missing variables: \(missing.joined(separator: ", "))"
            )
        }
        var input = JSONWriter()
        input.beginObject()
        input.key("messages")
        input.beginArray()
        for message in version.messages {
            var content = message.content
            for (name, value) in variables { content = content.replacingOccurrences(of: "{{\(name)}}", with: value) }
            input.beginObject()
            input.field("role", message.role)
            input.field("content", content)
            input.endObject()
        }
        input.endArray()
        input.endObject()
        var variablesJSON = JSONWriter()
        variablesJSON.beginObject()
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { variablesJSON.field(name, value) }
        variablesJSON.endObject()
        let spanID = services.ids.make("sp_", length: 12)
        let text = "Emulated completion for \(slug) version \(wanted)."
        let span = TraciaSpan(
            id: services.ids.make("cl", length: 23),
            spanID: spanID,
            traceID: decoded.traceId ?? decoded.sessionId.map { _ in services.ids.make("tr_", length: 12) } ?? spanID,
            parentSpanID: decoded.parentSpanId,
            promptSlug: slug,
            promptVersion: wanted,
            model: decoded.model ?? prompt.model ?? "gpt-4o",
            provider: (prompt.provider ?? "openai").lowercased(),
            input: JSONText(unchecked: input.output),
            variables: decoded.variables == nil ? .null : JSONText(unchecked: variablesJSON.output),
            output: text,
            status: "SUCCESS",
            error: nil,
            latencyMs: 420,
            inputTokens: input.output.utf8.count / 4,
            outputTokens: text.utf8.count / 4,
            cost: 0.0001,
            tags: decoded.tags ?? [],
            userID: decoded.userId,
            sessionID: decoded.sessionId,
            createdAt: services.clock.now()
        )
        try await services.store.putSpan(span)
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("text", text)
        writer.field("spanId", span.spanID)
        writer.field("traceId", span.traceID)
        writer.key("promptVersion")
        writer.int(wanted)
        writer.key("latencyMs")
        writer.int(span.latencyMs)
        writer.key("usage")
        writer.beginObject()
        writer.key("inputTokens")
        writer.int(span.inputTokens)
        writer.key("outputTokens")
        writer.int(span.outputTokens)
        writer.key("totalTokens")
        writer.int(span.inputTokens + span.outputTokens)
        writer.endObject()
        writer.key("cost")
        writer.raw("0.0001")
        writer.field("finishReason", "stop")
        writer.endObject()
        return JSONBody.response(text: writer.output)
    }

    // MARK: Spans

    @Sendable func listSpans(_ request: Request, context: TrailRequestContext) async throws -> Response {
        var query = SpanQuery()
        query.promptSlug = request.query("promptSlug")
        query.userID = request.query("userId")
        query.sessionID = request.query("sessionId")
        query.tags = request.queryAll("tags").flatMap { $0.split(separator: ",").map(String.init) }
        if let status = request.query("status") {
            guard status == "SUCCESS" || status == "ERROR" else {
                return Self.invalid("status must be SUCCESS or ERROR")
            }
            query.status = status
        }
        for name in ["startDate", "endDate"] {
            guard let text = request.query(name) else { continue }
            guard let timestamp = VerbatimTimestamp(text) else {
                return Self.invalid("\(name) must be an ISO 8601 date-time")
            }
            if name == "startDate" {
                query.startDate = timestamp.microseconds
            } else {
                query.endDate = timestamp.microseconds
            }
        }
        var limit = Self.defaultPageSize
        if let text = request.query("limit") {
            guard let value = Int(text), (1...Self.maximumPageSize).contains(value) else {
                return Self.invalid("limit must be an integer from 1 to \(Self.maximumPageSize)")
            }
            limit = value
        }
        var cursor: PageCursor?
        if let text = request.query("cursor") {
            guard let decoded = PageCursor(encoded: text) else { return Self.invalid("Invalid cursor") }
            cursor = decoded
        }
        let spans = try await services.store.spans(matching: query, after: cursor, limit: limit + 1)
        var nextCursor: String? = nil
        if spans.count > limit {
            let last = spans[limit - 1]
            nextCursor = PageCursor(key: last.createdAt.microseconds, id: last.spanID).encoded
        }
        if services.injector.fires(context.faults.repeatCursorRate) {
            nextCursor = request.query("cursor") ?? PageCursor(key: Int64.max, id: "").encoded
        }
        var writer = JSONWriter(capacity: 64 + spans.count * 320)
        writer.beginObject()
        writer.key("spans")
        writer.beginArray()
        for span in spans.prefix(limit) { writer.raw(span.renderedListItem()) }
        writer.endArray()
        writer.field("nextCursor", nextCursor)
        writer.endObject()
        return JSONBody.response(text: writer.output)
    }

    @Sendable func span(_ request: Request, context: TrailRequestContext) async throws -> Response {
        let id = try context.parameters.require("span_id")
        guard let span = try await services.store.span(spanID: id) else {
            return ErrorBody.tracia(.notFound, code: "NOT_FOUND", "Span not found: \(id)")
        }
        return JSONBody.response(text: span.rendered())
    }

    // MARK: Helpers

    static func promptNotFound(_ slug: String) -> Response {
        ErrorBody.tracia(.notFound, code: "NOT_FOUND", "Prompt not found: \(slug)")
    }

    /// The first issue of a run body, as Tracia's one-line message: where, then what.
    private static func message(_ list: IssueList) -> String {
        guard let issue = list.issues.first else { return "Invalid request" }
        let path = issue.loc.dropFirst().map { part -> String in
            switch part {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }
        return path.isEmpty ? issue.msg : "\(path.joined(separator: ".")): \(issue.msg)"
    }

    static func invalid(_ message: String) -> Response {
        ErrorBody.tracia(.badRequest, code: "INVALID_REQUEST", message)
    }

    /// The answer when a body that passed its schema still lacks what the route reads: the schema and the
    /// route disagree, which is the emulator's fault.
    static var unchecked: Response { ErrorBody.tracia(.internalServerError, code: "INTERNAL_ERROR", "Internal error") }

    /// A schema-checked `content` array as messages; `nil` when an element lacks a string member.
    static func messages(_ value: JSONValue?) -> [TraciaMessage]? {
        guard let elements = value?.arrayValue else { return nil }
        var messages: [TraciaMessage] = []
        for element in elements {
            guard let id = element["id"]?.stringValue, let role = element["role"]?.stringValue,
                let content = element["content"]?.stringValue
            else { return nil }
            messages.append(TraciaMessage(id: id, role: role, content: content))
        }
        return messages
    }

    /// The `description` member, an emulator extension the request schemas leave out: `.some(nil)` when absent
    /// or `null`, the text when a string, and `nil` (turned down) otherwise.
    static func descriptionMember(in object: JSONObject) -> String?? {
        switch object["description"] {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        default: return nil
        }
    }

    /// Tracia's slug for a name: lowercase letters and digits, other runs replaced by `-`.
    static func slug(from name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }
}
