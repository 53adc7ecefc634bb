import Foundation
import TrailJSON
import TrailSchema

/// The output formats of `trail-validate`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text
    case json
    case junit
    case github
    case sarif
}

extension ValidationReport {
    /// Renders the report; `explain` adds how each file's schema was chosen.
    public func rendered(as format: ReportFormat, explain: Bool) -> String {
        switch format {
        case .text: text(explain: explain)
        case .json: json().serializedString(pretty: true) + "\n"
        case .junit: junit()
        case .github: github()
        case .sarif: sarif().serializedString(pretty: true) + "\n"
        }
    }

    /// One line per problem: `file:line: /pointer: message`.
    ///
    /// File names and pointers are escaped with ``TerminalText/escaped(_:)``, and messages with
    /// ``TerminalText/escapedControls(_:)`` (they already quote values as JSON strings), so a name or value
    /// holding a newline or an escape sequence can neither forge a line nor drive the terminal.
    func text(explain: Bool) -> String {
        var output = ""
        for file in files {
            let path = TerminalText.escaped(file.path)
            if explain, let explanation = file.explanation {
                output += "\(path): \(TerminalText.escapedControls(explanation))\n"
            }
            if let ioError = file.ioError { output += "\(path): error: \(TerminalText.escapedControls(ioError))\n" }
            for failure in file.failures {
                if let parseError = failure.parseError {
                    output += "\(path):\(failure.line): \(TerminalText.escapedControls(parseError))\n"
                }
                for (index, error) in failure.errors.enumerated() {
                    output += "\(path):\(failure.line(ofError: index)): \(displayed(error))\n"
                }
            }
        }
        return output
    }

    /// `/pointer: message` for the human-readable formats, escaped like ``text(explain:)``.
    func displayed(_ error: SchemaViolation) -> String {
        let pointer = error.instanceLocation.isRoot ? "/" : TerminalText.escaped(error.instanceLocation.description)
        return pointer + ": " + TerminalText.escapedControls(error.message)
    }

    /// A one-line summary for standard error.
    public var summary: String {
        let documents = documentCount == 1 ? "1 document" : "\(documentCount) documents"
        let fileCount = files.count == 1 ? "1 file" : "\(files.count) files"
        var line = "trail-validate: \(documents) in \(fileCount): \(invalidCount) invalid"
        if ioErrorCount > 0 { line += ", \(ioErrorCount) unreadable" }
        return line
    }

    func json() -> JSONValue {
        let entries: [JSONValue] = files.map { file in
            var object: JSONObject = [
                "path": .string(file.path),
                "documents": .number(JSONNumber(file.documents)),
                "valid": .bool(file.failures.isEmpty && file.ioError == nil),
            ]
            object["schema"] = file.schema.map(JSONValue.string) ?? .null
            if let ioError = file.ioError { object["error"] = .string(ioError) }
            if let explanation = file.explanation { object["explanation"] = .string(explanation) }
            object["invalid"] = .array(
                file.failures.map { failure in
                    var entry: JSONObject = ["line": .number(JSONNumber(failure.line))]
                    if let parseError = failure.parseError { entry["parseError"] = .string(parseError) }
                    entry["errors"] = .array(
                        failure.errors.enumerated().map { index, error in
                            guard case .object(var unit) = error.outputUnit else { return error.outputUnit }
                            unit["line"] = .number(JSONNumber(failure.line(ofError: index)))
                            return .object(unit)
                        }
                    )
                    return .object(entry)
                }
            )
            return .object(object)
        }
        return [
            "valid": .bool(invalidCount == 0 && ioErrorCount == 0),
            "documents": .number(JSONNumber(documentCount)),
            "invalid": .number(JSONNumber(invalidCount)),
            "files": .array(entries),
        ]
    }

    /// JUnit XML: one test case per file; a failure lists its problems, an unreadable file is an error.
    func junit() -> String {
        let cases = files.map { file -> JUnitReport.TestCase in
            var outcomes: [JUnitReport.Outcome] = []
            if let ioError = file.ioError { outcomes.append(.error(message: ioError)) }
            if !file.failures.isEmpty {
                let lines = file.failures.flatMap { failure in
                    // One line per problem, escaped as in the text format.
                    (failure.parseError.map { ["line \(failure.line): \(TerminalText.escapedControls($0))"] } ?? [])
                        + failure.errors.indices.map {
                            "line \(failure.line(ofError: $0)): \(displayed(failure.errors[$0]))"
                        }
                }
                let message = "\(file.failures.count) invalid document\(file.failures.count == 1 ? "" : "s")"
                outcomes.append(.failed(message: message, details: lines.joined(separator: "\n")))
            }
            return JUnitReport.TestCase(name: file.path, className: file.schema ?? "unknown", outcomes: outcomes)
        }
        return JUnitReport(name: "trail-validate", suites: [.init(name: "trail-validate", cases: cases)]).xml
    }

    /// GitHub Actions workflow commands: `::error file=…,line=…::message`.
    func github() -> String {
        var output = ""
        for file in files {
            let path = githubEscape(TerminalText.escaped(file.path), property: true)
            if let ioError = file.ioError {
                output +=
                    "::error file=\(path),title=trail-validate::\(githubEscape(TerminalText.escapedControls(ioError)))\n"
            }
            for failure in file.failures {
                let messages =
                    (failure.parseError.map { [(TerminalText.escapedControls($0), failure.line)] } ?? [])
                    + failure.errors.indices.map { (displayed(failure.errors[$0]), failure.line(ofError: $0)) }
                for (message, line) in messages {
                    output += "::error file=\(path),line=\(line),title=trail-validate::\(githubEscape(message))\n"
                }
            }
        }
        return output
    }

    /// SARIF 2.1.0: one result per problem, the rule being the failing keyword.
    func sarif() -> JSONValue {
        var results: [JSONValue] = []
        var rules: [String] = []
        func location(_ path: String, _ line: Int) -> JSONValue {
            [
                "physicalLocation": [
                    "artifactLocation": ["uri": .string(path)],
                    "region": ["startLine": .number(JSONNumber(line))],
                ]
            ]
        }
        for file in files {
            if let ioError = file.ioError {
                results.append(
                    [
                        "ruleId": "io", "level": "error", "message": ["text": .string(ioError)],
                        "locations": [location(file.path, 1)],
                    ]
                )
                if !rules.contains("io") { rules.append("io") }
            }
            for failure in file.failures {
                if let parseError = failure.parseError {
                    results.append(
                        [
                            "ruleId": "json", "level": "error", "message": ["text": .string(parseError)],
                            "locations": [location(file.path, failure.line)],
                        ]
                    )
                    if !rules.contains("json") { rules.append("json") }
                }
                for (index, error) in failure.errors.enumerated() {
                    results.append(
                        [
                            "ruleId": .string(error.keyword), "level": "error",
                            "message": ["text": .string(error.description)],
                            "locations": [location(file.path, failure.line(ofError: index))],
                            "properties": [
                                "instanceLocation": .string(error.instanceLocation.description),
                                "keywordLocation": .string(error.keywordLocation.description),
                                "absoluteKeywordLocation": .string(error.absoluteKeywordLocation),
                            ],
                        ]
                    )
                    if !rules.contains(error.keyword) { rules.append(error.keyword) }
                }
            }
        }
        return [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "trail-validate",
                            "informationUri": "https://schemas.prompttrail.dev/",
                            "rules": .array(rules.map { ["id": .string($0)] }),
                        ]
                    ],
                    "results": .array(results),
                ]
            ],
        ]
    }
}

private func githubEscape(_ text: String, property: Bool = false) -> String {
    var result = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
        .replacingOccurrences(of: "\n", with: "%0A")
    if property {
        result = result.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
    return result
}
