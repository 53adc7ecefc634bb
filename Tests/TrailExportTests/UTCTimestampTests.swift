import Testing
import TrailExport

@Suite("UTCTimestamp")
struct UTCTimestampTests {
    @Test("parses RFC 3339 with offsets and fractions, truncating beyond microseconds")
    func parse() {
        #expect(UTCTimestamp.parse("1970-01-01T00:00:00Z".utf8) == 0)
        #expect(
            UTCTimestamp.parse("2026-05-12T01:30:00.5+02:00".utf8)
                == UTCTimestamp.parse("2026-05-11T23:30:00.500000Z".utf8)
        )
        #expect(UTCTimestamp.parse("2026-05-01T08:00:00.123456789Z".utf8)! % 1_000_000 == 123_456)
        #expect(UTCTimestamp.parse("1969-12-31T23:59:59.999999Z".utf8) == -1)
        for bad in ["2026-02-30T00:00:00Z", "2026-05-01", "2026-05-01T00:00:00", "2026-05-01T00:00:00.Z"] {
            #expect(UTCTimestamp.parse(bad.utf8) == nil, "\(bad)")
        }
    }

    @Test("formats with six fractional digits in UTC")
    func format() {
        #expect(UTCTimestamp.format(-1) == "1969-12-31T23:59:59.999999Z")
        let micros = UTCTimestamp.parse("2024-02-29T12:34:56.000001Z".utf8)!
        #expect(UTCTimestamp.format(micros) == "2024-02-29T12:34:56.000001Z")
        #expect(UTCTimestamp.day(micros) == "2024-02-29")
    }
}
