import FuzzSupport
import TrailClient
import TrailModel

/// RFC 3339 date-times and `Retry-After` values from arbitrary text. A parsed instant within years 0000–9999
/// must be written back as text that parses to the same instant, by both writers.
Fuzz.main(fuzzTimestamp)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = RetryAfter.parse(text, now: 0)
    _ = RetryAfter.parse(text, now: 1_800_000_000.5)
    guard let micros = RFC3339Timestamp.parse(bytes) else {
        guard Timestamp(text) == nil || !text.utf8.elementsEqual(bytes) else { Fuzz.fail("Timestamp accepts \(text)") }
        return 0
    }
    let first = RFC3339Timestamp.daysFromCivil(year: 0, month: 1, day: 1) * 86_400_000_000
    let end = RFC3339Timestamp.daysFromCivil(year: 10_000, month: 1, day: 1) * 86_400_000_000
    guard (first..<end).contains(micros) else { return 0 }
    let instant = Timestamp(microseconds: micros)
    guard Timestamp(instant.description) == instant,
        RFC3339Timestamp.parse(RFC3339Timestamp.format(micros).utf8) == micros,
        RFC3339Timestamp.utcDay(instant.description) == instant.utcDay
    else { Fuzz.fail("\(text) is \(micros) µs, written back as \(instant.description)") }
    return 0
}
