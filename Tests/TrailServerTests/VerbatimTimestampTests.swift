import Testing
import TrailServer

@Suite("VerbatimTimestamp")
struct VerbatimTimestampTests {
    @Test("the text is kept as given; equality, hashing and order all follow the instant")
    func instantSemantics() throws {
        let whole = try #require(VerbatimTimestamp("2026-05-20T10:00:00Z"))
        let millis = try #require(VerbatimTimestamp("2026-05-20T10:00:00.000Z"))
        let offset = try #require(VerbatimTimestamp("2026-05-20T12:00:00+02:00"))
        let later = try #require(VerbatimTimestamp("2026-05-20T10:00:00.001Z"))
        #expect(whole.text == "2026-05-20T10:00:00Z")
        #expect(offset.text == "2026-05-20T12:00:00+02:00")
        #expect(whole == millis && whole == offset)
        #expect(!(whole < millis) && !(millis < whole))
        #expect(Set([whole, millis, offset]).count == 1)
        #expect(whole < later && !(later < whole) && whole != later)
    }

    @Test("instants it makes are written with milliseconds in UTC, before and after 1970")
    func formatting() {
        #expect(VerbatimTimestamp(microseconds: 1_779_271_200_123_999).text == "2026-05-20T10:00:00.123Z")
        #expect(VerbatimTimestamp(microseconds: -1).text == "1969-12-31T23:59:59.999Z")
        #expect(VerbatimTimestamp(microseconds: 0).text == "1970-01-01T00:00:00.000Z")
    }

    @Test("text that is not RFC 3339 is refused", arguments: ["2026-05-20", "2026-05-20T10:00:00", "yesterday", ""])
    func refused(text: String) {
        #expect(VerbatimTimestamp(text) == nil)
    }
}
