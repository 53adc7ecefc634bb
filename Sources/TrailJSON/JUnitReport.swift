/// A JUnit XML report, the one writer behind every tool's `--format junit`: test suites of test cases,
/// each passed, failed, in error or skipped, escaped for XML 1.0 with ``XMLText``.
///
/// The totals on `<testsuites>` and on each `<testsuite>` are counted from the cases, so they always
/// agree with the document.
public struct JUnitReport: Sendable, Hashable {
    /// How one test case ended.
    public enum Outcome: Sendable, Hashable {
        /// It passed.
        case passed
        /// A check failed: a one-line `message` and the full `details`.
        case failed(message: String, details: String)
        /// It could not run to the end (for example an unreadable file).
        case error(message: String)
        /// It was not run.
        case skipped(message: String)
    }

    /// One test case.
    public struct TestCase: Sendable, Hashable {
        /// The case's name.
        public var name: String
        /// Its class name (what CI tools group cases by).
        public var className: String
        /// How it ended; a case may have both an error and a failure.
        public var outcomes: [Outcome]

        /// Creates a case.
        public init(name: String, className: String, outcomes: [Outcome] = []) {
            self.name = name
            self.className = className
            self.outcomes = outcomes
        }
    }

    /// One test suite.
    public struct Suite: Sendable, Hashable {
        /// The suite's name.
        public var name: String
        /// Its cases, in order.
        public var cases: [TestCase]

        /// Creates a suite.
        public init(name: String, cases: [TestCase]) {
            self.name = name
            self.cases = cases
        }

        var failures: Int { cases.filter { $0.outcomes.contains(where: \.isFailure) }.count }
        var errors: Int { cases.filter { $0.outcomes.contains(where: \.isError) }.count }
        var skipped: Int { cases.filter { $0.outcomes.contains(where: \.isSkipped) }.count }
    }

    /// The name on `<testsuites>` (the tool's).
    public var name: String
    /// The suites, in order.
    public var suites: [Suite]

    /// Creates a report.
    public init(name: String, suites: [Suite]) {
        self.name = name
        self.suites = suites
    }

    /// The XML document.
    public var xml: String {
        func attribute(_ text: String) -> String { XMLText.escaped(text, attribute: true) }
        func totals(_ tests: Int, _ failures: Int, _ errors: Int, _ skipped: Int) -> String {
            "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(attribute(name))\" "
        xml += totals(
            suites.reduce(0) { $0 + $1.cases.count },
            suites.reduce(0) { $0 + $1.failures },
            suites.reduce(0) { $0 + $1.errors },
            suites.reduce(0) { $0 + $1.skipped }
        )
        xml += ">\n"
        for suite in suites {
            xml += "  <testsuite name=\"\(attribute(suite.name))\" "
            xml += totals(suite.cases.count, suite.failures, suite.errors, suite.skipped) + ">\n"
            for testCase in suite.cases {
                xml +=
                    "    <testcase name=\"\(attribute(testCase.name))\" classname=\"\(attribute(testCase.className))\""
                guard !testCase.outcomes.isEmpty, testCase.outcomes != [.passed] else {
                    xml += "/>\n"
                    continue
                }
                xml += ">\n"
                for outcome in testCase.outcomes {
                    switch outcome {
                    case .passed:
                        break
                    case .failed(let message, let details):
                        xml +=
                            "      <failure message=\"\(attribute(message))\">\(XMLText.escaped(details))</failure>\n"
                    case .error(let message):
                        xml += "      <error message=\"\(attribute(message))\"/>\n"
                    case .skipped(let message):
                        xml += "      <skipped message=\"\(attribute(message))\"/>\n"
                    }
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }
}

extension JUnitReport.Outcome {
    var isFailure: Bool { if case .failed = self { true } else { false } }
    var isError: Bool { if case .error = self { true } else { false } }
    var isSkipped: Bool { if case .skipped = self { true } else { false } }
}
