import Foundation
public import TrailJSON

/// Two prompt versions side by side: who changed what, when and why, and a unified diff of the content.
///
/// `trail-verify ARCHIVE --diff A B` reads them from a verified archive; given a workspace folder instead,
/// from its `prompts/*.jsonl` files.
public struct PromptVersionDiff: Sendable {
    /// The earlier version.
    public var from: PromptVersionFacts
    /// The later version.
    public var to: PromptVersionFacts
    /// The content, line by line.
    public var lines: [LineDiff.Line]
    /// The settings that differ: name, earlier value, later value (`unset` when absent).
    public var settings: [(name: String, from: String, to: String)]

    /// Compares two versions.
    public init(from: PromptVersionFacts, to: PromptVersionFacts) {
        self.from = from
        self.to = to
        lines = LineDiff.lines(from: from.contentText, to: to.contentText)
        func parse(_ settings: [String]) -> [String: String] {
            Dictionary(
                settings.map { item in
                    let name = item.prefix { $0 != "=" }
                    return (String(name), String(item.dropFirst(name.count + 1)))
                },
                uniquingKeysWith: { first, _ in first }
            )
        }
        let (a, b) = (parse(from.settings), parse(to.settings))
        settings = Set(a.keys).union(b.keys).sorted().compactMap { name in
            a[name] == b[name] ? nil : (name, a[name] ?? "unset", b[name] ?? "unset")
        }
    }

    /// Finds versions `a` and `b` (prompt version ids) among `versions`.
    ///
    /// - Throws: ``AuditError/invalidOption(_:)`` naming an id that is not there.
    public static func find(_ a: String, _ b: String, in versions: [PromptVersionFacts]) throws -> PromptVersionDiff {
        func version(_ id: String) throws -> PromptVersionFacts {
            guard let found = versions.first(where: { $0.promptVersionID == id }) else {
                let known = versions.map(\.promptVersionID).sorted().prefix(20).joined(separator: ", ")
                throw AuditError.invalidOption("no prompt version \(id) (the source holds \(known))")
            }
            return found
        }
        return PromptVersionDiff(from: try version(a), to: try version(b))
    }

    /// Every prompt version of a workspace, from `prompts/*.jsonl` (records that do not read are skipped;
    /// `trail-archive` reports them).
    ///
    /// - Parameter workspace: the workspace folder.
    /// - Returns: the versions.
    /// - Throws: ``AuditError/fileSystem(operation:path:message:)`` when the folder cannot be read.
    public static func versions(workspace: String) throws -> [PromptVersionFacts] {
        let folder = workspace + "/prompts"
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } catch {
            throw AuditError.fileSystem(operation: "read", path: folder, message: "\(error.localizedDescription)")
        }
        var result: [PromptVersionFacts] = []
        for name in names where name.hasSuffix(".jsonl") {
            let path = folder + "/" + name
            do {
                let reader = try NDJSONReader(path: path)
                defer { reader.close() }
                while let line = try reader.next() {
                    guard let value = try? JSONParser().parse(line.bytes),
                        case .success(let facts) = RecordInterpreter.promptVersion(value)
                    else { continue }
                    result.append(facts)
                }
            } catch {
                throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
            }
        }
        return result
    }

    /// A unified diff with a header per version.
    public var text: String {
        func header(_ mark: String, _ version: PromptVersionFacts) -> String {
            var text = "\(mark) \(version.promptVersionID) (version \(version.version)) \(version.createdAt)"
            text += " by \(version.createdBy ?? "not stated"), origin \(version.origin ?? "not stated")\n"
            if let rationale = version.rationale { text += "\(mark) rationale: \(rationale)\n" }
            text += "\(mark) content_sha256: \(version.contentSHA256)\n"
            return text
        }
        var text = header("---", from) + header("+++", to)
        for setting in settings { text += "setting \(setting.name): \(setting.from) -> \(setting.to)\n" }
        text += "@@ content @@\n"
        for line in lines {
            switch line {
            case .same(let value): text += " \(value)\n"
            case .removed(let value): text += "-\(value)\n"
            case .added(let value): text += "+\(value)\n"
            }
        }
        return text
    }

    /// The comparison as JSON.
    public var json: JSONValue {
        func version(_ facts: PromptVersionFacts) -> JSONValue {
            .object(
                JSONObject([
                    ("prompt_version_id", .string(facts.promptVersionID)),
                    ("version", .number(JSONNumber(facts.version))),
                    ("created_at", .string(facts.createdAt)),
                    ("created_by", facts.createdBy.map(JSONValue.string) ?? .null),
                    ("origin", facts.origin.map(JSONValue.string) ?? .null),
                    ("rationale", facts.rationale.map(JSONValue.string) ?? .null),
                    ("content_sha256", .string(facts.contentSHA256)),
                ])
            )
        }
        return .object(
            JSONObject([
                ("from", version(from)),
                ("to", version(to)),
                (
                    "settings",
                    .array(
                        settings.map {
                            .object(
                                JSONObject([
                                    ("name", .string($0.name)), ("from", .string($0.from)), ("to", .string($0.to)),
                                ])
                            )
                        }
                    )
                ),
                (
                    "content",
                    .array(
                        lines.map { line in
                            switch line {
                            case .same(let value): .object(JSONObject([("op", "same"), ("text", .string(value))]))
                            case .removed(let value):
                                .object(JSONObject([("op", "removed"), ("text", .string(value))]))
                            case .added(let value): .object(JSONObject([("op", "added"), ("text", .string(value))]))
                            }
                        }
                    )
                ),
            ])
        )
    }
}
