import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailJSON
import TrailTestSupport

@Suite("report.html: the auditor's page")
struct AuditPageTests {
    /// Where the pages and their screenshots are written for a person to look at.
    static let output = PackagePaths.root.appendingPathComponent(".build/report-check")

    /// A version and traces whose every text field is hostile: markup, a quote followed by a combining
    /// mark (one grapheme, so Mustache's own escaping misses it), `</svg>`, and 16 KB of multibyte text.
    static func hostileData() -> AuditPageData {
        let hostile = "<script>alert(1)</script></svg>\"\u{301} onmouseover=\"alert(2)\" '\u{301}&amp;"
        let long = String(repeating: "préparé 準備 ✓ ", count: 1100)
        var data = AuditPageData(info: [("PromptTrail-Project-ID", hostile)])
        let parent = PromptVersionFacts(
            projectID: hostile,
            promptVersionID: "v1" + hostile,
            version: 1,
            parentID: nil,
            contentSHA256: String(repeating: "a", count: 64),
            createdAt: "2026-05-20T00:00:00Z",
            createdBy: hostile,
            origin: hostile,
            rationale: hostile,
            contentText: long + "\n" + hostile,
            settings: ["model=" + hostile]
        )
        var child = parent
        child.promptVersionID = "v2" + hostile
        child.version = 2
        child.parentID = parent.promptVersionID
        child.contentText = hostile + "\n" + long
        data.add(parent)
        data.add(child)
        for (index, status) in [LineageRecord.Status.linked, .unlinked, .dangling].enumerated() {
            let trace = TraceFacts(
                projectID: hostile,
                traceID: "trc\(index)" + hostile,
                createdAt: "2026-05-20T00:00:00Z",
                promptVersionID: status == .unlinked ? nil : child.promptVersionID,
                outputSHA256: String(repeating: "b", count: 64),
                reviewStatus: hostile
            )
            data.add(trace, day: "2026-05-2\(index)" + hostile, status: status)
        }
        data.addQuarantined(file: "data/quarantine/" + hostile, line: 1, reasons: hostile)
        return data
    }

    @Test("every archive carries report.html under the tag manifest; --report adds the verdict")
    func inArchive() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let reader = try ArchiveReader(path: archive)
        var entries: [String: [UInt8]] = [:]
        while let entry = try reader.nextEntry() { entries[entry.path] = try reader.readData() }
        let page = String(decoding: try #require(entries[BagLayout.htmlReport]), as: UTF8.self)
        let tagManifest = String(decoding: try #require(entries[BagLayout.tagManifest]), as: UTF8.self)
        #expect(tagManifest.contains("  report.html\n"))
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("Project proj_acmefinance") && page.contains("Project proj_supportdesk"))
        #expect(page.contains("<svg"))
        #expect(!page.contains("INTACT"))

        let written = directory.appending("verified.html").path
        let result = try ProcessResult.run("trail-verify", [archive, "--report", written])
        #expect(result.status == 0, "\(result.standardError)")
        let verified = try String(contentsOfFile: written, encoding: .utf8)
        #expect(verified.contains("<strong>INTACT</strong>"))
        // The same page, plus the verdict: every project section is identical.
        let sections = { (text: String) in text.components(separatedBy: "<section class=\"project\"").dropFirst() }
        #expect(Array(sections(verified)) == Array(sections(page)))

        let tampered = directory.appending("tampered.tar.zst").path
        try AuditFixtures.rewrite(archive, to: tampered) { path, bytes in
            path.hasPrefix("data/traces/") ? bytes.map { $0 == UInt8(ascii: "7") ? UInt8(ascii: "8") : $0 } : bytes
        }
        let failed = try ProcessResult.run("trail-verify", [tampered, "--report", written])
        #expect(failed.status == 1)
        let failedPage = try String(contentsOfFile: written, encoding: .utf8)
        #expect(failedPage.contains("<strong>FAILED</strong>"))
        #expect(failedPage.contains("[records] data/traces/"))
        #expect(failedPage.contains("<p class=\"muted\">… and ") && failedPage.contains(" more</p>"))
    }

    @Test("hostile text renders as text")
    func hostile() throws {
        let page = AuditPage.html(Self.hostileData(), title: "<script>alert(3)</script>", verdict: nil)
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("onmouseover=\""))
        // Kept out of the macros, which mis-render a quote followed by a combining mark.
        let quoteWithMark = "\"\u{301}"
        let escapedRun = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/svg&gt;&quot;\u{301} onmouseover=&quot;"
        #expect(!page.contains(quoteWithMark))
        #expect(page.contains(escapedRun))
        #expect(page.components(separatedBy: "<svg").count == page.components(separatedBy: "</svg>").count)
        #expect(page.contains("préparé 準備 ✓"))
        try FileManager.default.createDirectory(at: Self.output, withIntermediateDirectories: true)
        try page.write(to: Self.output.appendingPathComponent("hostile.html"), atomically: true, encoding: .utf8)
    }

    static let escapes: [(String, String)] = [
        ("<a href='x'>", "&lt;a href=&#39;x&#39;&gt;"), ("\"\u{301}", "&quot;\u{301}"), ("a&b", "a&amp;b"),
        ("tab\tline\n", "tab\tline\n"), ("bell\u{7}", "bell\u{FFFD}"), ("é 準", "é 準"),
    ]

    @Test("scalar-level escaping", arguments: escapes)
    func escaping(input: String, expected: String) {
        #expect(HTMLText.escaped(input) == expected)
    }

    @Test("a million traces: the page grows with days and versions, not with traces")
    func bounded() throws {
        var data = AuditPageData()
        for number in 1...6 {
            data.add(
                PromptVersionFacts(
                    projectID: "p",
                    promptVersionID: "v\(number)",
                    version: Int64(number),
                    parentID: number > 1 ? "v\(number - 1)" : nil,
                    contentSHA256: String(repeating: "c", count: 64),
                    createdAt: "2026-01-01T00:00:00Z",
                    contentText: String(repeating: "line \(number)\n", count: 200)
                )
            )
        }
        var trace = TraceFacts(
            projectID: "p",
            traceID: "t",
            createdAt: "",
            promptVersionID: nil,
            outputSHA256: "",
            reviewStatus: "approved"
        )
        let days = (0..<365).map { String(format: "2026-%03d", $0) }
        for index in 0..<1_000_000 {
            trace.traceID = "trc\(index)"
            trace.promptVersionID = index % 50 == 0 ? nil : "v\(index % 6 + 1)"
            data.add(trace, day: days[index % 365], status: trace.promptVersionID == nil ? .unlinked : .linked)
        }
        let project = try #require(data.projects["p"])
        #expect(project.unlinked == 20_000 && project.unlinkedSample.count == AuditPageData.listLimit)
        #expect(project.perDay.count == 365)
        let page = AuditPage.html(data, title: "bounded")
        #expect(page.utf8.count < 3 << 20, "\(page.utf8.count) bytes")
        #expect(page.contains("… and 19950 more"))
    }

    @Test("line differences against the parent")
    func diff() {
        #expect(
            LineDiff.lines(from: "a\nb\nc", to: "a\nx\nc\nd") == [
                .same("a"), .removed("b"), .added("x"), .same("c"), .added("d"),
            ]
        )
        #expect(LineDiff.lines(from: "", to: "") == [.same("")])
        #expect(LineDiff.lines(from: "same", to: "same") == [.same("same")])
        #expect(LineDiff.lines(from: "a", to: "b") == [.removed("a"), .added("b")])
    }

    @Test(
        "headless Chromium shows the pages with no console error, no request, no dialog; PNGs and PDF",
        .timeLimit(.minutes(3))
    )
    func browser() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        try FileManager.default.createDirectory(at: Self.output, withIntermediateDirectories: true)
        let sample = Self.output.appendingPathComponent("sample.html").path
        let verified = try ProcessResult.run("trail-verify", [archive, "--report", sample])
        #expect(verified.status == 0)
        let hostile = Self.output.appendingPathComponent("hostile.html").path
        try AuditPage.html(Self.hostileData(), title: "hostile", verdict: nil)
            .write(toFile: hostile, atomically: true, encoding: .utf8)
        let script = PackagePaths.root.appendingPathComponent("Tests/Python/report_browser.py").path
        let run = try AuditFixtures.run(try AuditFixtures.venvPython(), [script, Self.output.path, sample, hostile])
        #expect(run.status == 0, "\(run.output)")
        let results = run.output.split(separator: "\n").compactMap {
            try? JSONParser().parse(Array($0.utf8))
        }
        #expect(results.count == 2, "\(run.output)")
        for result in results {
            let page = result["page"]?.stringValue ?? "?"
            for key in ["console", "requests", "dialogs", "html5lib_errors", "external_urls"] {
                let found = result[key].map { $0.serializedString() } ?? "missing"
                #expect(result[key]?.arrayValue?.isEmpty == true, "\(page): \(key): \(found)")
            }
            for width in [1280, 390] {
                #expect(result["blank_\(width)"] == .bool(false), "\(page) is blank at \(width) px")
                #expect(result["overflow_\(width)"] == .bool(false), "\(page) scrolls sideways at \(width) px")
            }
            #expect((result["pdf_bytes"]?.int64Value ?? 0) > 10_000)
        }
    }

    @Test(
        "a trace file's day is its name without .jsonl",
        arguments: [
            ("data/traces/proj_1/2026-03-04.jsonl", "2026-03-04"), ("2026-03-04.jsonl", "2026-03-04"),
            ("data/traces/projé/2026-12-31.jsonl", "2026-12-31"), ("data/traces/p/notes.txt", "notes.txt"),
        ]
    )
    func traceFileDay(path: String, day: String) {
        #expect(AuditPageData.day(ofTraceFile: path) == day)
    }
}
