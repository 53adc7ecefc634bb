import Foundation
public import TrailArchive
public import TrailJSON

/// Where one model output came from: its lineage line, the trace, the prompt version and its ancestors.
public struct Provenance: Sendable {
    /// The trace's lineage record.
    public var lineage: LineageRecord
    /// The trace record.
    public var trace: JSONValue
    /// The prompt version that produced the output, if the trace is linked.
    public var promptVersion: JSONValue?
    /// The version's ancestors, parent first (each `parent_id` followed until a version has none or is missing).
    public var ancestors: [JSONValue]

    /// Finds the provenance of `traceID` in the archive at `path`, reading it with the safety checks.
    ///
    /// - Parameters:
    ///   - traceID: the trace id.
    ///   - path: the archive.
    ///   - limits: size and entry limits.
    /// - Returns: the provenance.
    /// - Throws: ``AuditError/traceNotFound(id:archive:)``, or ``AuditError/archive(_:)`` when unreadable or unsafe.
    public static func find(traceID: String, in path: String, limits: ArchiveLimits = .default) throws -> Provenance {
        do {
            let parser = JSONParser()
            var lineage: LineageRecord?
            try scan(path, limits: limits, where: { $0 == BagLayout.lineage }) { _, _, bytes in
                guard lineage == nil, let value = try? parser.parse(bytes), value["trace_id"]?.stringValue == traceID
                else {
                    return false
                }
                lineage = LineageRecord(value)
                return lineage != nil
            }
            guard let lineage else { throw AuditError.traceNotFound(id: traceID, archive: path) }
            var trace: JSONValue?
            try scan(path, limits: limits, where: { $0 == lineage.file }) { _, line, bytes in
                guard line == lineage.line else { return false }
                trace = try? parser.parse(bytes)
                return true
            }
            guard let trace, trace["trace_id"]?.stringValue == traceID else {
                throw AuditError.traceNotFound(id: traceID, archive: path)
            }
            var versions: [String: JSONValue] = [:]
            let promptsFile = BagLayout.promptsDirectory + lineage.projectID + ".jsonl"
            try scan(path, limits: limits, where: { $0 == promptsFile }) { _, _, bytes in
                if let value = try? parser.parse(bytes), let id = value["prompt_version_id"]?.stringValue {
                    versions[id] = value
                }
                return false
            }
            let promptVersion = lineage.promptVersionID.flatMap { versions[$0] }
            var ancestors: [JSONValue] = []
            var seen: Set<String> = []
            var parent = promptVersion?["parent_id"]?.stringValue
            while let id = parent, seen.insert(id).inserted, let version = versions[id] {
                ancestors.append(version)
                parent = version["parent_id"]?.stringValue
            }
            return Provenance(lineage: lineage, trace: trace, promptVersion: promptVersion, ancestors: ancestors)
        } catch let error as ArchiveError {
            throw AuditError.archive(error)
        }
    }

    /// Calls `body` with each line of the entries `matching` selects, until it returns `true`.
    private static func scan(
        _ path: String,
        limits: ArchiveLimits,
        where matching: (String) -> Bool,
        _ body: (String, Int, UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        let reader = try SafeArchiveReader(path: path, limits: limits)
        defer { reader.close() }
        while let entry = try reader.nextEntry() {
            guard matching(entry.path) else { continue }
            let lines = EntryLineReader(reader, observe: { _ in })
            while let stop = try lines.next({ try body(entry.path, $0, $1) }) {
                if stop { return }
            }
        }
    }

    /// A readable account: the output, the trace, the prompt version's content, and the parent chain.
    /// Every value from the archive is escaped (``TerminalText``), so none can print a line of its own.
    public var text: String {
        func e(_ value: some CustomStringConvertible) -> String { TerminalText.escapedControls(value.description) }
        var text = "trace \(e(lineage.traceID)) (project \(e(lineage.projectID)))\n"
        text += "  status: \(e(lineage.status.rawValue))\n"
        text += "  location: \(e(lineage.file)):\(e(lineage.line))\n"
        text += "  created_at: \(e(trace["created_at"]?.stringValue ?? "?"))\n"
        text += "  model: \(e(trace["model"]?.stringValue ?? "?"))\n"
        text += "  output_sha256: \(e(lineage.outputSHA256))\n"
        text += "  model_output: \(e(trace["model_output"]?.serializedString() ?? "null"))\n"
        switch lineage.status {
        case .unlinked:
            text += "\nThe trace names no prompt version.\n"
        case .dangling:
            text +=
                "\nThe trace names prompt version \(e(lineage.promptVersionID ?? "?")), which the archive does not hold.\n"
        case .neverObserved:
            text +=
                "\nThe trace names prompt version \(e(lineage.promptVersionID ?? "?")), which no pull ever observed: "
                + "the platform replaced it before PromptTrail read the prompt.\n"
        case .linked:
            if let version = promptVersion {
                text +=
                    "\nprompt version \(e(lineage.promptVersionID ?? "?")) (version \(e(lineage.version.map(String.init) ?? "?")))\n"
                text += "  created_at: \(e(version["created_at"]?.stringValue ?? "?"))\n"
                text += "  origin: \(e(version["origin"]?.stringValue ?? "null"))\n"
                text += "  content_sha256: \(e(lineage.promptContentSHA256 ?? "?"))\n"
                text += "  content:\n"
                let content = version["content"].map { $0.stringValue ?? $0.serializedString(pretty: true) } ?? ""
                for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
                    text += "    | \(e(line))\n"
                }
            }
        }
        if !ancestors.isEmpty {
            text += "\nparent chain:\n"
            for ancestor in ancestors {
                text += "  version \(e(ancestor["version"]?.int64Value.map(String.init) ?? "?")) "
                text += "\(e(ancestor["prompt_version_id"]?.stringValue ?? "?")) "
                text += "created \(e(ancestor["created_at"]?.stringValue ?? "?")) "
                text += "origin \(e(ancestor["origin"]?.stringValue ?? "null")) "
                text += "content_sha256 \(e(ancestor["content_sha256"]?.stringValue ?? "?"))\n"
            }
        }
        return text
    }

    /// The provenance as one JSON object.
    public var json: JSONValue {
        .object(
            JSONObject([
                ("lineage", lineage.json),
                ("trace", trace),
                ("prompt_version", promptVersion ?? .null),
                ("parent_chain", .array(ancestors)),
            ])
        )
    }
}
