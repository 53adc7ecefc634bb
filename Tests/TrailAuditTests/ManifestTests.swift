import Testing
import TrailAudit

@Suite("Manifest (manifest-sha256.txt, RFC 8493 §2.1.3)")
struct ManifestTests {
    static let first = String(repeating: "a", count: 64)
    static let second = String(repeating: "B", count: 64)

    @Test("LF, CRLF and CR line endings parse alike; digests are lower-cased and %0A, %0D, %25 decoded")
    func lineEndings() throws {
        for ending in ["\n", "\r\n", "\r"] {
            let text = "\(Self.first)  data/a.jsonl" + ending + "\(Self.second) data/b%0Ac%25.jsonl" + ending
            let manifest = try Manifest.parse(text).get()
            #expect(
                manifest.entries.map(\.path) == ["data/a.jsonl", "data/b\nc%.jsonl"],
                "ending \(ending.unicodeScalars.map(\.value))"
            )
            #expect(manifest.entries.map(\.digest) == [Self.first, Self.second.lowercased()])
        }
    }

    @Test("a malformed line is reported by its 1-based number, whatever the line endings")
    func malformed() {
        for ending in ["\n", "\r\n"] {
            let text = "\(Self.first)  data/a.jsonl" + ending + "not-a-digest  data/b.jsonl" + ending
            guard case .failure(let malformed) = Manifest.parse(text) else {
                Issue.record("a manifest with a malformed line parsed")
                continue
            }
            #expect(malformed.line == 2)
        }
    }
}
