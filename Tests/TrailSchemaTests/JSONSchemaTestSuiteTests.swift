import Foundation
import Testing
import TrailJSON
import TrailSchema
import TrailTestSupport

/// Runs the official JSON-Schema-Test-Suite (from `../shared/json-schema-test-suite`) as data.
///
/// Required tests (everything outside `optional/`) run with default options; `optional/` runs with format
/// assertion on. Remote references to `http://localhost:1234/` are served from the suite's `remotes/` folder
/// by an in-process loader. Each instance is also checked from its bytes, parsed into a ``JSONTape``, and that
/// verdict must be the tree's. Every failing test must be listed, with its reason, in
/// `known-failures.txt` beside this file, and every listed test must still fail: the list is exact.
@Suite("JSON-Schema-Test-Suite")
struct JSONSchemaTestSuiteTests {
    static let suite = PackagePaths.shared.appendingPathComponent("json-schema-test-suite")

    static let registry: SchemaRegistry = {
        let remotes = suite.appendingPathComponent("remotes")
        return SchemaRegistry.standard.adding { uri in
            let prefix = "http://localhost:1234/"
            guard uri.hasPrefix(prefix) else { return nil }
            let url = remotes.appendingPathComponent(String(uri.dropFirst(prefix.count)))
            guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
            return try JSONValue(parsing: data)
        }
    }()

    static func knownFailures() throws -> [String: String] {
        let url = PackagePaths.root.appendingPathComponent("Tests/TrailSchemaTests/known-failures.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var result: [String: String] = [:]
        for line in text.split(separator: "\n")
        where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.components(separatedBy: " ## ")
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    struct Counts {
        var passed = 0
        var failed = 0
        var known = 0
    }

    @Test(
        "draft 2020-12 and draft-07: every required test passes; optional failures are exactly the known list",
        arguments: ["draft2020-12", "draft7"]
    )
    func run(draft: String) throws {
        let root = Self.suite.appendingPathComponent("tests").appendingPathComponent(draft)
        try #require(
            FileManager.default.fileExists(atPath: root.path),
            "the JSON-Schema-Test-Suite is missing at \(root.path)"
        )
        let known = try Self.knownFailures()
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        var files: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "json" {
            files.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        var counts: [String: Counts] = [:]
        var unexpected: [String] = []
        var actualFailures = Set<String>()
        for file in files.sorted() {
            let group =
                file.hasPrefix("optional/format/") ? "format" : file.hasPrefix("optional/") ? "optional" : "required"
            let data = try Data(contentsOf: root.appendingPathComponent(file))
            guard case .array(let cases) = try JSONValue(parsing: data) else { continue }
            let dialect: SchemaDialect = draft == "draft7" ? .draft7 : .draft2020
            let options = ValidationOptions(assertFormats: group != "required", defaultDialect: dialect)
            for testCase in cases {
                let caseName = testCase["description"]?.stringValue ?? "?"
                let schema = testCase["schema"] ?? .null
                var validator: JSONSchemaValidator?
                var compileError = ""
                do {
                    validator = try JSONSchemaValidator(schema: schema, registry: Self.registry, options: options)
                } catch {
                    compileError = "\(error)"
                }
                for test in testCase["tests"]?.arrayValue ?? [] {
                    let name = "\(draft)/\(file) | \(caseName) | \(test["description"]?.stringValue ?? "?")"
                    let expected = test["valid"]?.boolValue ?? false
                    let instance = test["data"] ?? .null
                    var passed = false
                    var detail = compileError
                    if let validator {
                        let quick = validator.isValid(instance)
                        let full = validator.validate(instance)
                        // The verdict on the document's bytes, parsed into a tape, must be the tree's.
                        var tape = JSONTape()
                        let bytes = Array(instance.serializedString().utf8)
                        let taped = bytes.withUnsafeBufferPointer { tape.parse($0) } && validator.isValid(tape)
                        if taped != quick {
                            unexpected.append("TAPE DISAGREES: \(name): tape \(taped), tree \(quick)")
                        }
                        passed = quick == expected && full.isValid == expected
                        detail = "isValid \(quick), validate \(full.isValid): \(full.errors.map(\.description))"
                    }
                    if passed {
                        counts[group, default: Counts()].passed += 1
                        if known[name] != nil {
                            unexpected.append("now passes (remove from known-failures.txt): \(name)")
                        }
                    } else {
                        actualFailures.insert(name)
                        if known[name] != nil {
                            counts[group, default: Counts()].known += 1
                        } else {
                            counts[group, default: Counts()].failed += 1
                            unexpected.append(
                                "FAILED: \(name)\n  schema: \(schema.serializedString())\n  instance: "
                                    + "\(instance.serializedString())\n  expected valid=\(expected); \(detail)"
                            )
                        }
                    }
                }
            }
        }
        for group in ["required", "optional", "format"] {
            let count = counts[group] ?? Counts()
            print(
                "\(draft) \(group): \(count.passed) passed, \(count.failed) failed, \(count.known) known failures "
                    + "(listed with reasons in known-failures.txt)"
            )
        }
        #expect(
            (counts["required"]?.failed ?? 0) + (counts["required"]?.known ?? 0) == 0,
            "required tests must all pass"
        )
        // The README's conformance table states exactly these counts.
        func grouped(_ number: Int) -> String {
            let digits = Array(String(number))
            return String(
                digits.enumerated().flatMap { index, digit in
                    index > 0 && (digits.count - index) % 3 == 0 ? [",", digit] : [digit]
                }
            )
        }
        let cells = ["required", "optional", "format"].map { group in
            let count = counts[group] ?? Counts()
            return "\(grouped(count.passed)) / \(grouped(count.passed + count.failed + count.known))"
        }
        let row = "| \(draft == "draft7" ? "draft-07" : "2020-12") | " + cells.joined(separator: " | ") + " |"
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(row), "README.md's conformance table should have the row \(row)")
        for name in known.keys where name.hasPrefix(draft + "/") && !actualFailures.contains(name) {
            if !unexpected.contains(where: { $0.hasSuffix(name) }) {
                unexpected.append("listed in known-failures.txt but not run: \(name)")
            }
        }
        for message in unexpected {
            Issue.record(Comment(rawValue: message))
        }
    }
}
