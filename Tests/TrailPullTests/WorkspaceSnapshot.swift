import Foundation
import TrailJSON

/// Every record of a workspace as (project, id) → hash, for comparing two workspaces both ways.
struct WorkspaceSnapshot: Equatable {
    var traces: [String: String] = [:]
    var prompts: [String: String] = [:]
    /// The last activation line per project and prompt: the version it names.
    var activations: [String: String] = [:]
    var quarantined = 0

    init(_ root: URL) throws {
        let manager = FileManager.default
        let paths = (manager.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
        for path in paths where path.hasSuffix(".jsonl") {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let record = try JSONValue(parsing: String(line))
                let project = record["project_id"]?.stringValue ?? ""
                if path.hasPrefix("traces/") {
                    traces[project + "/" + (record["trace_id"]?.stringValue ?? "")] =
                        record["output_sha256"]?.stringValue
                } else if path.hasPrefix("prompts/") {
                    prompts[project + "/" + (record["prompt_version_id"]?.stringValue ?? "")] =
                        record["content_sha256"]?.stringValue
                } else if path.hasPrefix("activations/") {
                    activations[project + "/" + (record["prompt_id"]?.stringValue ?? "")] =
                        record["prompt_version_id"]?.stringValue ?? "none"
                } else {
                    quarantined += 1
                }
            }
        }
    }

    /// Every data file's bytes, by relative path, plus `state.json` without its `updated_at`. The times a
    /// pull observed prompts (`observed_at`, `previously_observed_at`) are blanked: they say when, which two
    /// workspaces pulled at different times never share.
    static func files(_ root: URL) throws -> [String: String] {
        var output: [String: String] = [:]
        let paths = FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []
        for path in paths {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(
                atPath: root.appendingPathComponent(path).path,
                isDirectory: &isDirectory
            )
            guard !isDirectory.boolValue else { continue }
            var text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            if path == "state.json" || path == "workspace.json" {
                text = text.split(separator: "\n").filter {
                    !$0.contains("\"updated_at\"") && !$0.contains("\"created_at\"") && !$0.contains("\"observed_at\"")
                }
                .joined(separator: "\n")
            }
            if path.hasPrefix("prompts/") || path.hasPrefix("activations/") {
                text = text.replacing(#/"(previously_)?observed_at":("[^"]*"|null)/#) {
                    "\"\($0.output.1 ?? "")observed_at\":\"-\""
                }
            }
            output[path] = text
        }
        return output
    }
}
