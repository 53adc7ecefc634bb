import Testing
import TrailModel

@Suite("Timestamp")
struct TimestampTests {
    static let samples = [
        "2026-05-20T10:00:00Z", "2026-05-20T23:59:59.999999Z", "2026-05-21T01:30:00+02:00",
        "2026-05-20T22:30:00-02:00", "2026-12-31T23:59:60Z", "2024-02-29T12:00:00.5z",
    ]

    @Test("files an instant under the same UTC day as the archive and the export", arguments: samples)
    func sameDayAsArchive(text: String) throws {
        let timestamp = try #require(Timestamp(text))
        #expect(timestamp.utcDay == RFC3339Timestamp.utcDay(text))
        #expect(timestamp.microseconds == RFC3339Timestamp.parse(text.utf8))
    }

    @Test("orders instants across offsets and prints them in UTC")
    func orderingAndDescription() throws {
        let early = try #require(Timestamp("2026-05-12T01:30:00+02:00"))
        let late = try #require(Timestamp("2026-05-11T23:30:00.25Z"))
        #expect(early < late)
        #expect(early.description == "2026-05-11T23:30:00Z")
        #expect(late.description == "2026-05-11T23:30:00.25Z")
    }

    @Test("refuses text that is not an RFC 3339 date-time", arguments: ["2026-05-20", "2026-02-30T00:00:00Z", "x"])
    func refuses(text: String) {
        #expect(Timestamp(text) == nil)
    }
}
