import Foundation
import Testing
import TrailJSON
import TrailTestSupport

@testable import TrailSchema

@Suite("Bundled schemas")
struct BundledSchemasTests {
    /// Every `*.json` below `schemas/`, relative path → text.
    static func schemasOnDisk() throws -> [String: String] {
        let root = PackagePaths.schemas
        var result: [String: String] = [:]
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            result[relative] = try String(contentsOf: url, encoding: .utf8)
        }
        return result
    }

    @Test("the embedded copy equals schemas/ on disk, byte for byte (run scripts/embed-schemas.py if not)")
    func embeddedEqualsDisk() throws {
        let disk = try Self.schemasOnDisk()
        #expect(!disk.isEmpty)
        let embedded = Dictionary(uniqueKeysWithValues: BundledSchemas.all.map { ($0.path, $0.text) })
        #expect(embedded.keys.sorted() == disk.keys.sorted())
        for (path, text) in disk.sorted(by: { $0.key < $1.key }) {
            let identical = embedded[path] == text
            #expect(identical, "schemas/\(path) differs from the embedded copy")
        }
    }

    @Test("every schema's $id is https://schemas.prompttrail.dev/<name>/v1.json and unique")
    func identifiers() throws {
        var seen = Set<String>()
        for schema in BundledSchemas.all {
            let object = try JSONSerialization.jsonObject(with: Data(schema.text.utf8)) as? [String: Any]
            let id = try #require(object?["$id"] as? String, "schemas/\(schema.path) has no $id")
            #expect(id == schema.id)
            #expect(id == "https://schemas.prompttrail.dev/\(schema.name)/v1.json", "schemas/\(schema.path)")
            #expect(seen.insert(id).inserted, "duplicate $id \(id)")
        }
    }

    @Test("schemas are found by name, path and $id")
    func lookups() throws {
        let first = try #require(BundledSchemas.all.first)
        #expect(BundledSchemas.named(first.name) == first)
        #expect(BundledSchemas.named(first.path) == first)
        #expect(BundledSchemas.withID(first.id) == first)
        #expect(BundledSchemas.withID(first.id + "#") == first)
        #expect(BundledSchemas.named("no/such-schema") == nil)
    }

    @Test("the registry is sorted by path and covers every group")
    func ordering() {
        let paths = BundledSchemas.all.map(\.path)
        #expect(paths == paths.sorted())
        #expect(Set(BundledSchemas.all.map(\.group)).isSuperset(of: ["meta", "tuor", "tracia", "prompttrail"]))
    }

    @Test("the standard registry holds every bundled schema and meta-schema, parsed as its text is")
    func standardRegistry() throws {
        for schema in BundledSchemas.all {
            let document = try #require(try SchemaRegistry.standard.document(at: schema.id + "#"), "\(schema.id)")
            #expect(document == (try JSONValue(parsing: schema.text)), "\(schema.id)")
        }
        for (uri, text) in MetaSchemas.embedded {
            #expect(try SchemaRegistry.standard.document(at: uri) == (try JSONValue(parsing: text)), "\(uri)")
        }
        #expect(try SchemaRegistry.standard.document(at: "https://schemas.prompttrail.dev/no-such/v1.json") == nil)
        // A document added to a registry comes before the embedded one at the same URI.
        let id = try #require(BundledSchemas.all.first).id
        #expect(try SchemaRegistry.standard.adding(["title": "mine"], uri: id).document(at: id) == ["title": "mine"])
    }
}
