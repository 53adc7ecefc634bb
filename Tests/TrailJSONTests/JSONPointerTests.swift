import Testing
import TrailJSON

@Suite("JSON Pointer (RFC 6901)")
struct JSONPointerTests {
    static let document: JSONValue = [
        "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8,
    ]

    @Test(
        "RFC 6901 §5 examples resolve",
        arguments: [
            ("", nil), ("/foo", nil), ("/foo/0", "bar"), ("/", 0), ("/a~1b", 1), ("/c%d", 2), ("/e^f", 3), ("/g|h", 4),
            ("/i\\j", 5), ("/k\"l", 6), ("/ ", 7), ("/m~0n", 8),
        ] as [(String, JSONValue?)]
    )
    func examples(pointer: String, expected: JSONValue?) throws {
        let parsed = try JSONPointer(parsing: pointer)
        let resolved = try #require(parsed.resolve(in: Self.document))
        if let expected {
            #expect(resolved == expected)
        }
        #expect(parsed.description == pointer)
    }

    @Test("whole document and arrays")
    func wholeDocument() throws {
        #expect(JSONPointer.root.resolve(in: Self.document) == Self.document)
        #expect(try JSONPointer(parsing: "/foo").resolve(in: Self.document) == ["bar", "baz"])
        #expect(try JSONPointer(parsing: "/foo/2").resolve(in: Self.document) == nil)
        #expect(try JSONPointer(parsing: "/foo/01").resolve(in: Self.document) == nil)
        #expect(try JSONPointer(parsing: "/foo/-").resolve(in: Self.document) == nil)
    }

    @Test("escapes when appending and builds URI fragments")
    func building() throws {
        let pointer = JSONPointer.root.appending("a/b").appending(index: 3).appending("m~n")
        #expect(pointer.description == "/a~1b/3/m~0n")
        #expect(pointer.tokens == ["a/b", "3", "m~n"])
        #expect(JSONPointer(tokens: ["c%d", "x y"]).uriFragment == "/c%25d/x%20y")
        #expect(pointer.parent.description == "/a~1b/3")
    }

    @Test("rejects malformed pointers", arguments: ["foo", "/~2", "/a~"])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONPointer(parsing: text) }
    }
}
