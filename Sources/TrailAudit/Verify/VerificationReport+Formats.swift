public import TrailJSON

extension VerificationReport {
    /// Human-readable lines: the verdict, each finding as `check entry:line: message`, then the summary.
    ///
    /// Every name and value that comes from the archive is escaped (``TerminalText``): an entry named with
    /// a newline or an escape sequence cannot print a line of its own.
    public var text: String {
        let archive = TerminalText.escapedControls(archive)
        var text =
            "\(archive): \(isIntact ? "intact" : "FAILED (\(findingCount) problem\(findingCount == 1 ? "" : "s"))")\n"
        for finding in findings {
            text +=
                "  [\(finding.check.rawValue)] \(TerminalText.escapedControls(finding.location)): "
                + "\(TerminalText.escapedControls(finding.message))\n"
        }
        if findingCount > findings.count { text += "  … and \(findingCount - findings.count) more\n" }
        text += "  payload: \(payload.streams) files, \(payload.octets) bytes; signature: \(signature)\n"
        text += "  records: \(tally.promptVersions) prompt versions, \(tally.traces) traces "
        text += "(linked \(tally.linked), unlinked \(tally.unlinked), dangling \(tally.dangling), "
        text += "never observed \(tally.neverObserved))\n"
        for item in tally.unlinkedSample {
            text +=
                "  unlinked: \(TerminalText.escapedControls(item.project)) \(TerminalText.escapedControls(item.trace))\n"
        }
        if tally.unlinked > tally.unlinkedSample.count {
            text += "  unlinked: … and \(tally.unlinked - tally.unlinkedSample.count) more (see data/lineage.jsonl)\n"
        }
        for item in tally.danglingSample {
            text +=
                "  dangling: \(TerminalText.escapedControls(item.project)) \(TerminalText.escapedControls(item.trace)) "
                + "names missing version \(TerminalText.escapedControls(item.promptVersion))\n"
        }
        if tally.dangling > tally.danglingSample.count {
            text += "  dangling: … and \(tally.dangling - tally.danglingSample.count) more (see data/lineage.jsonl)\n"
        }
        for item in tally.neverObservedSample {
            text +=
                "  never observed: \(TerminalText.escapedControls(item.project)) "
                + "\(TerminalText.escapedControls(item.trace)) names \(TerminalText.escapedControls(item.promptVersion)), "
                + "which no pull observed\n"
        }
        if tally.neverObserved > tally.neverObservedSample.count {
            text +=
                "  never observed: … and \(tally.neverObserved - tally.neverObservedSample.count) more "
                + "(see data/lineage.jsonl)\n"
        }
        return text
    }

    /// The report as a JSON object.
    public var json: JSONValue {
        let findings = self.findings.map { finding -> JSONValue in
            .object(
                JSONObject([
                    ("check", .string(finding.check.rawValue)),
                    ("entry", finding.entry.map(JSONValue.string) ?? .null),
                    ("line", finding.line.map { .number(JSONNumber($0)) } ?? .null),
                    ("message", .string(finding.message)),
                ])
            )
        }
        return .object(
            JSONObject([
                ("archive", .string(archive)),
                ("intact", .bool(isIntact)),
                ("finding_count", .number(JSONNumber(findingCount))),
                ("findings", .array(findings)),
                ("signature", .string(signature)),
                ("payload_files", .number(JSONNumber(payload.streams))),
                ("payload_bytes", .number(JSONNumber(Int(payload.octets)))),
                ("prompt_versions", .number(JSONNumber(tally.promptVersions))),
                ("traces", .number(JSONNumber(tally.traces))),
                ("linked", .number(JSONNumber(tally.linked))),
                ("unlinked", .number(JSONNumber(tally.unlinked))),
                ("dangling", .number(JSONNumber(tally.dangling))),
                ("never_observed", .number(JSONNumber(tally.neverObserved))),
                (
                    "unlinked_sample",
                    .array(
                        tally.unlinkedSample.map {
                            .object(JSONObject([("project_id", .string($0.project)), ("trace_id", .string($0.trace))]))
                        }
                    )
                ),
                (
                    "dangling_sample",
                    .array(
                        tally.danglingSample.map {
                            .object(
                                JSONObject([
                                    ("project_id", .string($0.project)), ("trace_id", .string($0.trace)),
                                    ("prompt_version_id", .string($0.promptVersion)),
                                ])
                            )
                        }
                    )
                ),
            ])
        )
    }

    /// JUnit XML for several reports: one test suite per archive, one test case per check.
    ///
    /// - Parameter reports: the reports.
    /// - Returns: the XML document.
    public static func junit(_ reports: [VerificationReport]) -> String {
        let suites = reports.map { report in
            let cases = VerificationFinding.Check.allCases.map { check -> JUnitReport.TestCase in
                let found = report.findings.filter { $0.check == check }
                let outcome: JUnitReport.Outcome
                if !report.checksRun.contains(check) {
                    outcome = .skipped(message: "not run")
                } else if let first = found.first {
                    outcome = .failed(
                        message: first.location + ": " + first.message,
                        details: found.map { "\($0.location): \($0.message)" }.joined(separator: "\n")
                    )
                } else {
                    outcome = .passed
                }
                return JUnitReport.TestCase(name: check.rawValue, className: report.archive, outcomes: [outcome])
            }
            return JUnitReport.Suite(name: report.archive, cases: cases)
        }
        return JUnitReport(name: "trail-verify", suites: suites).xml
    }
}
