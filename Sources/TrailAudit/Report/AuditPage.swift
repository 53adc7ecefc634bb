import Mustache

/// The auditor's page, `report.html`: one self-contained HTML file with inline CSS and SVG, no script, no
/// font and no URL fetched, that a browser shows offline years from now.
///
/// Rendered with a Mustache template (``AuditPageTemplate``) in which every value goes through
/// ``HTMLText/escaped(_:)``, which escapes by Unicode scalar: prompt and output text can hold anything,
/// `</script>`, `</svg>` and quotes followed by combining marks included. The same data gives the same
/// bytes, so an archive that carries the page stays reproducible.
public enum AuditPage {
    /// What `trail-verify --report` adds at the top: the verdict and the checks behind it.
    public struct Verdict: Sendable {
        /// Whether every check passed.
        public var intact: Bool
        /// The checks that ran, by name.
        public var checks: [String]
        /// The findings, as `[check] location: message`, capped by the caller.
        public var findings: [String]
        /// How many findings there were in all.
        public var findingCount: Int
        /// The signature verdict, with the key's fingerprint.
        public var signature: String

        /// Creates a verdict.
        public init(intact: Bool, checks: [String], findings: [String], findingCount: Int, signature: String) {
            self.intact = intact
            self.checks = checks
            self.findings = findings
            self.findingCount = findingCount
            self.signature = signature
        }
    }

    /// Renders the page.
    ///
    /// - Parameters:
    ///   - data: what the archive holds.
    ///   - title: the archive's name.
    ///   - verdict: the verification verdict, for `trail-verify --report`; `nil` inside an archive.
    /// - Returns: the HTML document.
    public static func html(_ data: AuditPageData, title: String, verdict: Verdict? = nil) -> String {
        AuditPageTemplate.template.render(compact(model(data, title: title, verdict: verdict)))
    }

    /// The model without empty strings, which Mustache would treat as present: a `{{#name}}` section
    /// then shows only for text that is there.
    static func compact(_ value: Any) -> Any {
        switch value {
        case let dictionary as [String: Any]:
            var result: [String: Any] = [:]
            for (key, item) in dictionary {
                if let text = item as? String, text.isEmpty { continue }
                result[key] = compact(item)
            }
            return result
        case let array as [[String: Any]]:
            return array.map { compact($0) }
        case let array as [[String: String]]:
            return array.map { compact($0) }
        default:
            return value
        }
    }

    // MARK: View model

    static let palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#b8a200", "#332288"]
    static let unlinkedColor = "#9e9e9e"
    static let danglingColor = "#b00020"
    static let neverObservedColor = "#e08a00"
    static let reviewColors: [(String, String)] = [
        ("approved", "#009e73"), ("corrected", "#0072b2"), ("rejected", "#d55e00"), ("pending", "#b8a200"),
        ("none", "#c8c8c8"),
    ]

    static func model(_ data: AuditPageData, title: String, verdict: Verdict?) -> [String: Any] {
        var model: [String: Any] = [
            "title": title,
            "info": data.info.map { ["label": $0.label, "value": $0.value] },
            "projects": data.projects.keys.sorted().map { project(data.projects[$0]!, id: $0) },
            "quarantined": String(data.quarantined),
            "quarantine": data.quarantineSample.map {
                ["file": $0.file, "line": String($0.line), "reasons": $0.reasons]
            },
            "quarantineMore": more(data.quarantined, data.quarantineSample.count),
            "listLimit": String(AuditPageData.listLimit),
        ]
        if let verdict {
            model["verdict"] = [
                "intact": verdict.intact,
                "label": verdict.intact ? "INTACT" : "FAILED",
                "checks": verdict.checks.joined(separator: ", "),
                "findings": verdict.findings,
                "findingCount": String(verdict.findingCount),
                "findingsMore": more(verdict.findingCount, verdict.findings.count),
                "signature": verdict.signature,
            ]
        }
        return model
    }

    /// Version keys in the order the page shows them: versions by number, then unlinked and dangling.
    static func orderedKeys(_ project: AuditPageData.Project) -> [String] {
        var keys = Set(project.versions.keys)
        for counts in project.perDay.values { keys.formUnion(counts.keys) }
        return keys.sorted { lhs, rhs in
            func rank(_ key: String) -> (Int, Int64, String) {
                if key == AuditPageData.unlinkedKey { return (1, 0, key) }
                if key == AuditPageData.danglingKey { return (2, 0, key) }
                if key == AuditPageData.neverObservedKey { return (3, 0, key) }
                return (0, project.versions[key]?.version ?? Int64.max, key)
            }
            return rank(lhs) < rank(rhs)
        }
    }

    static func label(_ key: String, _ project: AuditPageData.Project) -> String {
        if let version = project.versions[key] { return "v\(version.version) \(key)" }
        return key
    }

    static func color(_ key: String, index: Int) -> String {
        switch key {
        case AuditPageData.unlinkedKey: unlinkedColor
        case AuditPageData.danglingKey: danglingColor
        case AuditPageData.neverObservedKey: neverObservedColor
        default: palette[index % palette.count]
        }
    }

    static func project(_ project: AuditPageData.Project, id: String) -> [String: Any] {
        let keys = orderedKeys(project)
        let colors = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, color($1, index: $0)) })
        let days = project.perDay.keys.sorted()
        let traces = project.linked + project.unlinked + project.dangling + project.neverObserved
        return [
            "id": id,
            "traces": String(traces),
            "versionCount": String(project.versions.count),
            "linked": String(project.linked),
            "unlinked": String(project.unlinked),
            "dangling": String(project.dangling),
            "neverObserved": String(project.neverObserved),
            "coverage": percent(project.linked, of: traces),
            "legend": keys.map { ["label": label($0, project), "color": colors[$0]!] },
            "chart": dayChart(project, keys: keys, days: days, colors: colors),
            "dayHeader": keys.map { ["label": label($0, project)] },
            "dayRows": days.map { day in
                let counts = project.perDay[day] ?? [:]
                return [
                    "day": day,
                    "cells": keys.map { ["count": String(counts[$0] ?? 0)] },
                    "total": String(counts.values.reduce(0, +)),
                ]
            },
            "reviews": reviewRows(project, keys: keys),
            "reviewLegend": reviewColors.map { ["label": $0.0 == "none" ? "no review" : $0.0, "color": $0.1] },
            "unlinkedSample": project.unlinkedSample,
            "unlinkedMore": more(project.unlinked, project.unlinkedSample.count),
            "danglingSample": project.danglingSample.map { ["trace": $0.trace, "version": $0.version] },
            "danglingMore": more(project.dangling, project.danglingSample.count),
            "neverObservedSample": project.neverObservedSample.map { ["trace": $0.trace, "version": $0.version] },
            "neverObservedMore": more(project.neverObserved, project.neverObservedSample.count),
            "changes": changeLog(project),
            "activations": project.activations.map { line -> [String: Any] in
                [
                    "observedAt": line.observedAt,
                    "since": line.previouslyObservedAt ?? "first pull",
                    "prompt": line.promptKey ?? "(project prompt)",
                    "version": line.promptVersionID.map { id in line.version.map { "v\($0) \(id)" } ?? id } ?? "none",
                ]
            },
            "activationsMore": project.activationCount > project.activations.count
                ? "\(project.activationCount - project.activations.count) lines in the middle are left out; "
                    + "data/activations/ holds all \(project.activationCount)" : "",
            "example": example(project) as Any,
        ]
    }

    /// Traces per day stacked by version, as SVG rectangles in a fixed 800 × 240 view box.
    static func dayChart(
        _ project: AuditPageData.Project,
        keys: [String],
        days: [String],
        colors: [String: String]
    ) -> [String: Any] {
        let (width, height, left, bottom, top) = (800.0, 240.0, 48.0, 28.0, 8.0)
        let plotWidth = width - left - 8
        let plotHeight = height - bottom - top
        let maximum = max(1, days.map { project.perDay[$0]!.values.reduce(0, +) }.max() ?? 1)
        let step = plotWidth / Double(max(1, days.count))
        var bars: [[String: String]] = []
        for (index, day) in days.enumerated() {
            var base = height - bottom
            let counts = project.perDay[day] ?? [:]
            for key in keys {
                guard let count = counts[key], count > 0 else { continue }
                let barHeight = plotHeight * Double(count) / Double(maximum)
                base -= barHeight
                bars.append([
                    "x": format(left + Double(index) * step + step * 0.1),
                    "y": format(base),
                    "width": format(max(0.5, step * 0.8)),
                    "height": format(barHeight),
                    "color": colors[key]!,
                    "title": "\(day): \(label(key, project)): \(count)",
                ])
            }
        }
        return [
            "bars": bars,
            "max": String(maximum),
            "first": days.first ?? "",
            "last": days.last ?? "",
            "axisY": format(height - bottom),
            "axisRight": format(width - 8),
            "left": format(left),
            "top": format(top),
            "labelY": format(height - 8),
            "lastX": format(width - 8),
        ]
    }

    static func reviewRows(_ project: AuditPageData.Project, keys: [String]) -> [[String: Any]] {
        keys.compactMap { key in
            guard let counts = project.reviews[key] else { return nil }
            let total = counts.values.reduce(0, +)
            var offset = 0.0
            var segments: [[String: String]] = []
            var cells: [[String: String]] = []
            for (status, color) in reviewColors {
                let count = counts[status] ?? 0
                cells.append(["count": String(count), "rate": percent(count, of: total)])
                guard count > 0 else { continue }
                let width = 300.0 * Double(count) / Double(max(1, total))
                segments.append([
                    "x": format(offset), "width": format(width), "color": color,
                    "title": "\(status): \(count) of \(total)",
                ])
                offset += width
            }
            return ["label": label(key, project), "total": String(total), "cells": cells, "segments": segments]
        }
    }

    static func changeLog(_ project: AuditPageData.Project) -> [[String: Any]] {
        let versions = project.versions.values.sorted {
            ($0.version, $0.promptVersionID) < ($1.version, $1.promptVersionID)
        }
        return versions.map { version in
            var entry: [String: Any] = [
                "id": version.promptVersionID,
                "number": String(version.version),
                "createdAt": version.createdAt,
                "author": version.createdBy ?? "not stated",
                "origin": version.origin ?? "not stated",
                "rationale": version.rationale ?? "",
                "settings": version.settings.isEmpty ? "none set" : version.settings.joined(separator: ", "),
                "sha": version.contentSHA256,
            ]
            if let parentID = version.parentID {
                entry["parent"] = parentID
                if let parent = project.versions[parentID] {
                    let lines = LineDiff.lines(from: parent.contentText, to: version.contentText)
                    entry["diff"] = lines.prefix(400).map { line -> [String: String] in
                        switch line {
                        case .same(let text): ["kind": "same", "mark": " ", "text": text]
                        case .removed(let text): ["kind": "del", "mark": "-", "text": text]
                        case .added(let text): ["kind": "add", "mark": "+", "text": text]
                        }
                    }
                    entry["diffMore"] = more(lines.count, min(lines.count, 400))
                } else {
                    entry["parentMissing"] = true
                }
            } else {
                entry["content"] = version.contentText
            }
            return entry
        }
    }

    static func example(_ project: AuditPageData.Project) -> [String: String]? {
        guard let example = project.example, let version = project.versions[example.version] else { return nil }
        return [
            "trace": example.trace,
            "output": example.outputSHA256,
            "version": example.version,
            "number": String(version.version),
            "sha": version.contentSHA256,
        ]
    }

    static func more(_ total: Int, _ shown: Int) -> String {
        total > shown ? "… and \(total - shown) more" : ""
    }

    static func percent(_ part: Int, of total: Int) -> String {
        guard total > 0 else { return "–" }
        let tenths = (part * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A coordinate with one decimal, the same on every platform.
    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths < 0 ? "-\(-tenths / 10).\(-tenths % 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}

/// HTML escaping by Unicode scalar, the page's content type in Mustache (``HTMLContent``).
///
/// Mustache's own HTML escaping compares `Character`s: a quote followed by a combining mark is one
/// grapheme, is not `"`, and would close an attribute value unescaped. This escapes `&`, `<`, `>`, `"` and
/// `'` wherever they occur, and writes C0 controls other than tab and line feed as U+FFFD.
public enum HTMLText {
    /// Escapes `text` for an HTML text node or a quoted attribute value.
    ///
    /// - Parameter text: any text.
    /// - Returns: the escaped text.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFDD0...0xFDEF).contains(scalar.value)
                    || scalar.value & 0xFFFE == 0xFFFE
                {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

/// ``HTMLText`` as a Mustache content type.
struct HTMLContent: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLText.escaped(text) }
}
