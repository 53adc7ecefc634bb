import Testing
import TrailJSON

@Suite("JSONLineLocator")
struct JSONLineLocatorTests {
    static let document = """
        {
          "id": "trc_1",
          "skipped": {"a": [1, 2,
            3], "s": "{\\"not\\": [\\"a container\\"]}"},
          "a/b": {
            "tilde~": [
              {"x": 1},
              {
                "x": "two"
              }
            ]
          },
          "esc\\u0061ped": true
        }
        """

    @Test("finds the line each pointer's value starts on, skipping other containers and strings")
    func lines() throws {
        let pointers = try ["", "/id", "/a~1b", "/a~1b/tilde~0", "/a~1b/tilde~0/1", "/a~1b/tilde~0/1/x", "/escaped"]
            .map(JSONPointer.init(parsing:))
        let lines = JSONLineLocator(Array(Self.document.utf8)).lines(of: pointers)
        #expect(lines[.root] == 1)
        #expect(lines[try JSONPointer(parsing: "/id")] == 2)
        #expect(lines[try JSONPointer(parsing: "/a~1b")] == 5)
        #expect(lines[try JSONPointer(parsing: "/a~1b/tilde~0")] == 6)
        #expect(lines[try JSONPointer(parsing: "/a~1b/tilde~0/1")] == 8)
        #expect(lines[try JSONPointer(parsing: "/a~1b/tilde~0/1/x")] == 9)
        #expect(lines[try JSONPointer(parsing: "/escaped")] == 13)
    }

    @Test("a pointer to a missing member takes its nearest existing ancestor's line")
    func missing() throws {
        let missing = try JSONPointer(parsing: "/a~1b/tilde~0/1/absent/deeper")
        var pointers: [JSONPointer] = []
        var tokens = missing.tokens
        while true {
            pointers.append(JSONPointer(tokens: tokens))
            if tokens.isEmpty { break }
            tokens.removeLast()
        }
        let lines = JSONLineLocator(Array(Self.document.utf8)).lines(of: pointers)
        #expect(lines[missing] == nil)
        #expect(JSONLineLocator.line(of: missing, in: lines) == 8)
        #expect(JSONLineLocator.line(of: try JSONPointer(parsing: "/nowhere"), in: [:]) == 1)
    }

    @Test("nearestLines gives one line per pointer, in order, a missing member on its nearest ancestor's")
    func nearest() throws {
        let pointers = try ["/a~1b/tilde~0/1/absent", "/id", "/a~1b/tilde~0/1/x", "/nowhere/deeper"]
            .map(JSONPointer.init(parsing:))
        #expect(JSONLineLocator(Array(Self.document.utf8)).nearestLines(of: pointers) == [8, 2, 9, 1])
    }

    @Test("text that does not parse gives what was found before the damage, without trapping")
    func damaged() throws {
        let lines = JSONLineLocator(Array("{\n\"a\": [1,\n".utf8)).lines(of: [try JSONPointer(parsing: "/a/1")])
        #expect(lines.isEmpty)
        let truncatedKey = JSONLineLocator(Array("{\n\"a".utf8)).lines(of: [try JSONPointer(parsing: "/a")])
        #expect(truncatedKey.isEmpty)
    }
}
