import Foundation
import TrailTestSupport

/// A small Tracia-style workspace whose values stress every format: a 16 KB non-ASCII prompt, a message
/// array as content, 64-bit integers, nulls in every nullable column, CSV-hostile text (commas, quotes,
/// CR LF, U+2028), numbers whose digits must survive, an offset timestamp that falls on the previous UTC
/// day, and nanosecond digits (truncated to microseconds).
enum EdgeCaseWorkspace {
    static let project = "proj_edge"

    static func write(to directory: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory.appendingPathComponent("prompts"), withIntermediateDirectories: true)
        try manager.createDirectory(
            at: directory.appendingPathComponent("traces/\(project)"),
            withIntermediateDirectories: true
        )
        try """
        {"format":"prompttrail-workspace","format_version":1,"source":"tracia","base_url":"http://127.0.0.1:1",\
        "projects":["\(project)"],"created_at":"2026-05-01T00:00:00Z","tool_version":"0.1.0"}

        """.write(to: directory.appendingPathComponent("workspace.json"), atomically: true, encoding: .utf8)

        let longText = String(repeating: "Grüße, 世界 \\\"quoted\\\", line\\r\\n", count: 16_384 / 40)
        let sha = String(repeating: "ab", count: 32)
        let prompts = [
            #"{"record_type":"prompt_version","format_version":1,"source":"tracia","project_id":"proj_edge","prompt_version_id":"clx1@1","prompt_key":"extract","version":1,"is_active":false,"parent_id":null,"created_at":"2026-05-01T08:00:00.123456789Z","created_by":null,"origin":null,"rationale":null,"content":""#
                + longText
                + #"","content_sha256":"\#(sha)","content_bytes":16384,"model":null,"provider":null,"temperature":null,"top_p":null,"max_output_tokens":null,"source_payload":{}}"#,
            #"{"record_type":"prompt_version","format_version":1,"source":"tracia","project_id":"proj_edge","prompt_version_id":"clx1@2","prompt_key":"extract","version":2,"is_active":true,"parent_id":null,"created_at":"2026-05-02T10:00:00+02:00","created_by":null,"origin":null,"rationale":"Kürzer, \"präziser\"","content":[{"id":"msg_1","role":"system","content":"Ты — помощник, 1e-07 9007199254740993"},{"role":"user","content":"{{doc}}","weight":250000.0}],"content_sha256":"\#(sha)","content_bytes":120,"model":"gpt-4o","provider":"OPENAI","temperature":0.7,"top_p":1,"max_output_tokens":9223372036854775807,"source_payload":{}}"#,
        ]
        try (prompts.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("prompts/\(project).jsonl"),
            atomically: true,
            encoding: .utf8
        )

        let day11 = [
            #"{"record_type":"trace","format_version":1,"source":"tracia","project_id":"proj_edge","trace_id":"sp_1","created_at":"2026-05-11T09:00:00Z","updated_at":null,"status":null,"model":null,"prompt_version_id":null,"prompt_version":null,"internal_run_id":null,"tags":[],"model_input":null,"model_output":null,"corrected_output":null,"final_output":null,"output_sha256":"\#(sha)","source_payload":{}}"#,
            #"{"record_type":"trace","format_version":1,"source":"tracia","project_id":"proj_edge","trace_id":"sp_2","created_at":"2026-05-12T01:30:00.5+02:00","updated_at":"2026-05-12T01:30:00.000001Z","status":"SUCCESS","model":"gpt-4o","prompt_version_id":"clx1@2","prompt_version":9007199254740993,"internal_run_id":"run, \"one\"","tags":["a,b","c\"d","e\r\nf","\u2028"],"model_input":{"text":"a,b\"c\r\nd\u2028 — ÆØÅ 🧾","n":[1e-07,-0.0,0.30000000000000004]},"model_output":{"account":9007199254740993,"big":123456789012345678901234567890,"net":250000.0,"rate":1E21},"corrected_output":null,"final_output":"plain string output","output_sha256":"\#(sha)","source_payload":{}}"#,
        ]
        try (day11.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("traces/\(project)/2026-05-11.jsonl"),
            atomically: true,
            encoding: .utf8
        )
        let day12 = [
            #"{"record_type":"trace","format_version":1,"source":"tracia","project_id":"proj_edge","trace_id":"sp_3","created_at":"2026-05-12T23:59:59.999999Z","updated_at":null,"status":"ERROR","model":"","prompt_version_id":"clx1@9","prompt_version":-9223372036854775808,"internal_run_id":"","tags":["only"],"model_input":[],"model_output":{},"corrected_output":null,"final_output":null,"output_sha256":"\#(sha)","source_payload":{}}"#,
            #"{"record_type":"trace","format_version":1,"source":"tracia","project_id":"proj_edge","trace_id":"sp_4","created_at":"2026-05-12T00:00:00Z","updated_at":null,"status":"SUCCESS","model":"gpt-4o","prompt_version_id":"clx1@1","prompt_version":1,"internal_run_id":null,"tags":[],"model_input":"\#(longText)","model_output":true,"corrected_output":null,"final_output":null,"output_sha256":"\#(sha)","source_payload":{}}"#,
        ]
        try (day12.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("traces/\(project)/2026-05-12.jsonl"),
            atomically: true,
            encoding: .utf8
        )
    }
}
