import Testing
import TrailModel

@Suite("APIKeyFile")
struct APIKeyFileTests {
    static let text =
        "# keys\r\n\n  TRACIA_API_KEY = tr_one  \r\nTUOR_API_KEY=tuor_two\ntuor_bare\n\t# indented comment\n"

    @Test("blank lines and comments are skipped; NAME=key and bare keys are read with their line numbers")
    func entries() {
        let entries = APIKeyFile.entries(in: Self.text)
        #expect(entries.map(\.variable) == ["TRACIA_API_KEY", "TUOR_API_KEY", nil])
        #expect(entries.map(\.key) == ["tr_one", "tuor_two", "tuor_bare"])
        #expect(entries.map(\.line) == [3, 4, 5])
    }

    @Test("a variable's key is its own line or the first bare key; other variables' lines are skipped")
    func keyForVariable() {
        #expect(APIKeyFile.key(for: "TUOR_API_KEY", in: Self.text) == "tuor_two")
        #expect(APIKeyFile.key(for: "TRACIA_API_KEY", in: Self.text) == "tr_one")
        #expect(APIKeyFile.key(for: "OTHER_KEY", in: Self.text) == "tuor_bare")
        #expect(APIKeyFile.key(for: "TUOR_API_KEY", in: "TRACIA_API_KEY=tr_x\n# none\n") == nil)
        #expect(APIKeyFile.key(for: "TUOR_API_KEY", in: "TUOR_API_KEY=\n") == nil)
    }
}
