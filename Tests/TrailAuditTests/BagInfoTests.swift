import Testing
import TrailAudit

@Suite("BagInfo (bag-info.txt, RFC 8493 §2.2.2)")
struct BagInfoTests {
    @Test("text and parse are inverses; labels repeat and compare case-insensitively")
    func roundTrip() throws {
        var info = BagInfo()
        info.append("Bagging-Date", "2026-05-20")
        info.append("Payload-Oxum", "1024.3")
        info.append("Source-Organization", "Acme")
        info.append("Source-Organization", "Acme Finance")
        #expect(
            info.text
                == "Bagging-Date: 2026-05-20\nPayload-Oxum: 1024.3\nSource-Organization: Acme\nSource-Organization: Acme Finance\n"
        )
        let parsed = try #require(BagInfo.parse(info.text))
        #expect(parsed == info)
        #expect(parsed.value("payload-oxum") == "1024.3")
        #expect(parsed.values("SOURCE-ORGANIZATION") == ["Acme", "Acme Finance"])
        #expect(parsed.value("Missing") == nil)
    }

    @Test("CRLF and CR line endings, as RFC 8493 allows, parse like LF")
    func lineEndings() throws {
        let expected = BagInfo([("Bagging-Date", "2026-05-20"), ("Payload-Oxum", "1024.3")])
        for ending in ["\n", "\r\n", "\r"] {
            let text = "Bagging-Date: 2026-05-20" + ending + "Payload-Oxum: 1024.3" + ending
            #expect(BagInfo.parse(text) == expected, "line ending \(ending.unicodeScalars.map(\.value))")
        }
    }

    @Test("an indented line continues the value before it; a line without a colon is refused")
    func continuationAndRefusal() throws {
        let parsed = try #require(BagInfo.parse("External-Description: a long\n  description\tin two lines\nX: 1\n"))
        #expect(parsed.value("External-Description") == "a long description\tin two lines")
        #expect(parsed.value("X") == "1")
        #expect(BagInfo.parse("Bagging-Date 2026-05-20\n") == nil)
    }
}
