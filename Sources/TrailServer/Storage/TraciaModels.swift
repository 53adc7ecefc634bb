import Foundation

/// One message of a Tracia prompt (`tracia/prompt-message`).
package struct TraciaMessage: Sendable, Hashable {
    package var id: String
    package var role: String
    package var content: String

    /// Creates a message.
    package init(id: String, role: String, content: String) {
        self.id = id
        self.role = role
        self.content = content
    }
}

/// A Tracia prompt's metadata and current version number; its contents live in its versions.
package struct TraciaPrompt: Sendable, Hashable {
    package var id: String
    package var slug: String
    package var name: String
    package var description: String?
    package var provider: String?
    package var model: String?
    package var temperature: Double?
    package var topP: Double?
    package var maxOutputTokens: Int?
    package var currentVersion: Int
    package var createdAt: VerbatimTimestamp
    package var updatedAt: VerbatimTimestamp

    /// The `tracia/prompt` object (or, without content, a `tracia/prompt-list-response` item).
    ///
    /// - Parameters:
    ///   - writer: the writer to append to.
    ///   - content: the current version's messages, or `nil` to leave `content` out.
    ///   - versions: all versions, newest first, to add the SDK's `versions` field.
    func render(into writer: inout JSONWriter, content: [TraciaMessage]?, versions: [TraciaPromptVersion]? = nil) {
        writer.beginObject()
        writer.field("id", id)
        writer.field("slug", slug)
        writer.field("name", name)
        writer.field("description", description)
        writer.field("provider", provider)
        writer.field("model", model)
        writer.key("temperature")
        writer.raw(temperature.map(Self.number) ?? "null")
        writer.key("topP")
        writer.raw(topP.map(Self.number) ?? "null")
        writer.key("maxOutputTokens")
        writer.raw(maxOutputTokens.map(String.init) ?? "null")
        writer.key("currentVersion")
        writer.int(currentVersion)
        if let content {
            writer.key("content")
            TraciaMessage.render(content, into: &writer)
            writer.key("variables")
            writer.beginArray()
            for variable in TraciaMessage.variables(in: content) { writer.string(variable) }
            writer.endArray()
        } else {
            writer.key("variables")
            writer.beginArray()
            writer.endArray()
        }
        if let versions {
            writer.key("versions")
            writer.beginArray()
            for version in versions { version.render(into: &writer) }
            writer.endArray()
        }
        writer.field("createdAt", createdAt.text)
        writer.field("updatedAt", updatedAt.text)
        writer.endObject()
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

extension TraciaMessage {
    static func render(_ messages: [TraciaMessage], into writer: inout JSONWriter) {
        writer.beginArray()
        for message in messages {
            writer.beginObject()
            writer.field("id", message.id)
            writer.field("role", message.role)
            writer.field("content", message.content)
            writer.endObject()
        }
        writer.endArray()
    }

    /// The `{{name}}` placeholders of `messages`, in order of first appearance.
    static func variables(in messages: [TraciaMessage]) -> [String] {
        var seen: [String] = []
        for message in messages {
            var rest = message.content[...]
            while let open = rest.range(of: "{{") {
                let after = rest[open.upperBound...]
                guard let close = after.range(of: "}}") else { break }
                let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, !seen.contains(name) { seen.append(name) }
                rest = after[close.upperBound...]
            }
        }
        return seen
    }
}

/// One version of a Tracia prompt (`tracia/prompt-version`, the Python SDK's model).
package struct TraciaPromptVersion: Sendable, Hashable {
    package var promptID: String
    package var version: Int
    package var messages: [TraciaMessage]
    package var model: String?
    package var provider: String?
    package var temperature: Double?
    package var createdAt: VerbatimTimestamp

    func render(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("version")
        writer.int(version)
        writer.key("messages")
        TraciaMessage.render(messages, into: &writer)
        if let model { writer.field("model", model) }
        if let provider { writer.field("provider", provider.lowercased()) }
        writer.key("temperature")
        writer.raw(temperature.map(TraciaPrompt.number) ?? "null")
        writer.field("createdAt", createdAt.text)
        writer.endObject()
    }
}

/// A Tracia span: one logged LLM call, linked to a prompt version by slug and version number.
package struct TraciaSpan: Sendable, Hashable {
    package var id: String
    package var spanID: String
    package var traceID: String?
    package var parentSpanID: String?
    package var promptSlug: String?
    package var promptVersion: Int?
    package var model: String
    package var provider: String
    /// The `input` object (`{"messages": [...]}`), serialized.
    package var input: JSONText
    /// The `variables` object or null, serialized.
    package var variables: JSONText
    package var output: String?
    /// `SUCCESS` or `ERROR`.
    package var status: String
    package var error: String?
    package var latencyMs: Int
    package var inputTokens: Int
    package var outputTokens: Int
    package var cost: Double?
    package var tags: [String]
    package var userID: String?
    package var sessionID: String?
    package var createdAt: VerbatimTimestamp

    /// The full `tracia/span` object.
    func rendered() -> String {
        var writer = JSONWriter(capacity: input.text.utf8.count + (output?.utf8.count ?? 0) + 512)
        writer.beginObject()
        writer.field("id", id)
        writer.field("spanId", spanID)
        writer.field("traceId", traceID)
        writer.field("parentSpanId", parentSpanID)
        writer.field("promptSlug", promptSlug)
        writer.key("promptVersion")
        writer.raw(promptVersion.map(String.init) ?? "null")
        writer.field("model", model)
        writer.field("provider", provider)
        writer.key("input")
        writer.json(input)
        writer.key("variables")
        writer.json(variables)
        writer.field("output", output)
        writer.field("status", status)
        writer.field("error", error)
        writer.key("latencyMs")
        writer.int(latencyMs)
        writer.key("inputTokens")
        writer.int(inputTokens)
        writer.key("outputTokens")
        writer.int(outputTokens)
        writer.key("totalTokens")
        writer.int(inputTokens + outputTokens)
        writer.key("cost")
        writer.raw(cost.map { String($0) } ?? "null")
        writer.key("tags")
        writer.beginArray()
        for tag in tags { writer.string(tag) }
        writer.endArray()
        writer.field("userId", userID)
        writer.field("sessionId", sessionID)
        writer.field("createdAt", createdAt.text)
        writer.endObject()
        return writer.output
    }

    /// The reduced `GET /spans` item.
    func renderedListItem() -> String {
        var writer = JSONWriter(capacity: 320)
        writer.beginObject()
        writer.field("id", id)
        writer.field("spanId", spanID)
        writer.field("traceId", traceID)
        writer.field("promptSlug", promptSlug)
        writer.field("model", model)
        writer.field("status", status)
        writer.key("latencyMs")
        writer.int(latencyMs)
        writer.key("inputTokens")
        writer.int(inputTokens)
        writer.key("outputTokens")
        writer.int(outputTokens)
        writer.key("totalTokens")
        writer.int(inputTokens + outputTokens)
        writer.key("cost")
        writer.raw(cost.map { String($0) } ?? "null")
        writer.field("createdAt", createdAt.text)
        writer.endObject()
        return writer.output
    }
}
