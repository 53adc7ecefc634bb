import Testing
import TrailModel

@Suite("RFC3339Timestamp")
struct RFC3339TimestampTests {
    @Test("parses RFC 3339 with offsets and fractions, truncating beyond microseconds")
    func parse() {
        #expect(RFC3339Timestamp.parse("1970-01-01T00:00:00Z".utf8) == 0)
        #expect(
            RFC3339Timestamp.parse("2026-05-12T01:30:00.5+02:00".utf8)
                == RFC3339Timestamp.parse("2026-05-11T23:30:00.500000Z".utf8)
        )
        #expect(RFC3339Timestamp.parse("2026-05-01T08:00:00.123456789Z".utf8)! % 1_000_000 == 123_456)
        #expect(RFC3339Timestamp.parse("1969-12-31T23:59:59.999999Z".utf8) == -1)
        for bad in ["2026-02-30T00:00:00Z", "2026-05-01", "2026-05-01T00:00:00", "2026-05-01T00:00:00.Z"] {
            #expect(RFC3339Timestamp.parse(bad.utf8) == nil, "\(bad)")
        }
    }

    @Test("bytes without contiguous storage parse as the same bytes in memory do")
    func parseNonContiguous() {
        for text in [
            "2026-05-12T01:30:00.5+02:00", "1969-12-31T23:59:59.999999Z", "2026-02-30T00:00:00Z", "2026-05-01",
        ] {
            let lent = RFC3339Timestamp.parse(text.utf8)
            // A lazily mapped view has no storage of its own to lend: the bytes are copied first.
            #expect(RFC3339Timestamp.parse(text.utf8.lazy.map { $0 }) == lent, "\(text)")
        }
        #expect(RFC3339Timestamp.parse("2026-05-12T01:30:00Z".utf8.lazy.map { $0 }) != nil)
    }

    @Test("formats with six fractional digits in UTC")
    func format() {
        #expect(RFC3339Timestamp.format(-1) == "1969-12-31T23:59:59.999999Z")
        let micros = RFC3339Timestamp.parse("2024-02-29T12:34:56.000001Z".utf8)!
        #expect(RFC3339Timestamp.format(micros) == "2024-02-29T12:34:56.000001Z")
        #expect(RFC3339Timestamp.day(micros) == "2024-02-29")
    }

    @Test("epoch seconds and the UTC day of a date-time, as the archive and the export read them")
    func epochSecondsAndDays() {
        #expect(RFC3339Timestamp.epochSeconds("1970-01-01T00:00:01.999Z") == 1)
        #expect(RFC3339Timestamp.epochSeconds("1969-12-31T23:59:59.5Z") == -1)
        #expect(RFC3339Timestamp.epochSeconds("2026-05-21T06:00:00Z") == 1_779_343_200)
        // A parsed instant gives the same seconds, rounded down before the epoch too.
        for text in [
            "1970-01-01T00:00:01.999Z", "1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59Z", "2026-05-21T06:00:00Z",
        ] {
            #expect(Timestamp(text)?.epochSeconds == RFC3339Timestamp.epochSeconds(text), "\(text)")
        }
        #expect(RFC3339Timestamp.utcDay("2026-05-12T01:30:00+02:00") == "2026-05-11")
        #expect(RFC3339Timestamp.utcDay("2026-05-11T23:30:00-02:00") == "2026-05-12")
        #expect(RFC3339Timestamp.utcDay("2026-12-31T23:59:60Z") == "2026-12-31")
        #expect(RFC3339Timestamp.utcDay("2026-05-11") == nil)
        #expect(RFC3339Timestamp.day(epochSeconds: -1) == "1969-12-31")
        #expect(RFC3339Timestamp.day(epochSeconds: 1_779_343_200) == "2026-05-21")
        #expect(RFC3339Timestamp.startOfDay("2026-05-21") == 1_779_321_600_000_000)
        #expect(RFC3339Timestamp.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
    }
}
