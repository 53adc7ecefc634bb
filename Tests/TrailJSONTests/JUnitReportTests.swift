import Foundation
import Testing
import TrailJSON

@Suite("JUnitReport")
struct JUnitReportTests {
    static let report = JUnitReport(
        name: "trail-tool",
        suites: [
            .init(
                name: "first",
                cases: [
                    .init(name: "passes", className: "a", outcomes: [.passed]),
                    .init(name: "fails", className: "a", outcomes: [.failed(message: "2 problems", details: "x\ny")]),
                    .init(name: "unreadable", className: "b", outcomes: [.error(message: "no such file")]),
                ]
            ),
            .init(
                name: "second \u{1}<&>\"",
                cases: [
                    .init(name: "skipped", className: "c", outcomes: [.skipped(message: "not run")]),
                    .init(
                        name: "line\nbreak\u{1b}[31m",
                        className: "c",
                        outcomes: [.error(message: "bad"), .failed(message: "m\u{7}", details: "\u{0}")]
                    ),
                ]
            ),
        ]
    )

    @Test("totals are counted from the cases, on the document and on each suite")
    func totals() {
        let xml = Self.report.xml
        #expect(xml.contains(#"<testsuites name="trail-tool" tests="5" failures="2" errors="2" skipped="1">"#))
        #expect(xml.contains(#"<testsuite name="first" tests="3" failures="1" errors="1" skipped="0">"#))
        #expect(xml.contains(#"<testcase name="passes" classname="a"/>"#))
        #expect(xml.contains(#"<failure message="2 problems">x"# + "\n" + "y</failure>"))
    }

    @Test("control characters never reach the XML; an independent parser reads it (Python's xml.dom.minidom)")
    func wellFormed() throws {
        let xml = Self.report.xml
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(xml.contains(#"name="second \x01&lt;&amp;&gt;&quot;""#))
        #expect(xml.contains(#"name="line&#10;break\x1b[31m""#))
        let parser = Process()
        parser.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        parser.arguments = [
            "python3", "-c",
            "import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); "
                + "print(len(d.getElementsByTagName('testcase')))",
        ]
        let input = Pipe()
        let output = Pipe()
        parser.standardInput = input
        parser.standardOutput = output
        try parser.run()
        input.fileHandleForWriting.write(Data(xml.utf8))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        parser.waitUntilExit()
        #expect(parser.terminationStatus == 0)
        #expect(printed == "5\n")
    }
}
