/// RFC 3339 date-times as PromptTrail's records carry them (`2026-05-20T14:03:07.123Z`, offsets allowed),
/// read and written without Foundation's date parsing.
///
/// Instants are microseconds since 1970-01-01T00:00:00Z (the export's column precision) or whole seconds
/// (the archive's reference time). Both the archive builder and verifier and the warehouse export use this
/// one implementation, so they agree on which UTC day a trace belongs to.
public enum RFC3339Timestamp {
    /// Parses an RFC 3339 date-time (`2026-05-20T10:00:00Z`, `…T10:00:00.123456+02:00`).
    ///
    /// Digits beyond microseconds are truncated (toward the past). `t`, `z` and a space separator are
    /// accepted as RFC 3339 allows. A leap second (`:60`) is read as `:59` of the same minute, so that it
    /// stays on its own day.
    ///
    /// - Parameter text: the timestamp's UTF-8 bytes.
    /// - Returns: microseconds since 1970-01-01T00:00:00Z, or `nil` when `text` is not an RFC 3339 date-time.
    public static func parse(_ text: some Collection<UInt8>) -> Int64? {
        // A string's UTF-8 view lends its storage: no copy for the common caller.
        if let parsed = text.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return parsed }
        return Array(text).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// ``parse(_:)`` on bytes in memory.
    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count >= 20 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + count) {
                let digit = bytes[index] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == 0x2D, let month = digits(5, 2), bytes[7] == 0x2D,
            let day = digits(8, 2), [0x54, 0x74, 0x20].contains(bytes[10]),
            let hour = digits(11, 2), bytes[13] == 0x3A, let minute = digits(14, 2), bytes[16] == 0x3A,
            let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day), hour < 24,
            minute < 60, second <= 60
        else { return nil }
        var index = 19
        var micros: Int64 = 0
        if bytes[index] == 0x2E {
            index += 1
            var scale: Int64 = 100_000
            let start = index
            while index < bytes.count, bytes[index] &- 0x30 < 10 {
                micros += Int64(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch bytes[index] {
        case 0x5A, 0x7A:
            index += 1
        case 0x2B, 0x2D:
            guard bytes.count == index + 6, let offsetHours = digits(index + 1, 2), bytes[index + 3] == 0x3A,
                let offsetMinutes = digits(index + 4, 2), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == 0x2B ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return seconds * 1_000_000 + micros
    }

    /// Seconds since 1970-01-01T00:00:00Z of an RFC 3339 date-time, fractions dropped.
    ///
    /// - Parameter text: the date-time.
    /// - Returns: the epoch seconds, or `nil` when `text` is not an RFC 3339 date-time.
    public static func epochSeconds(_ text: String) -> Int64? {
        parse(text.utf8).map { floorDivide($0, 1_000_000).quotient }
    }

    /// The UTC calendar day (`YYYY-MM-DD`) of an RFC 3339 date-time: the day file a trace belongs in.
    ///
    /// - Parameter text: the date-time.
    /// - Returns: the day, or `nil` when `text` is not a date-time.
    public static func utcDay(_ text: String) -> String? {
        parse(text.utf8).map { day($0) }
    }

    /// Formats microseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    ///
    /// - Parameter micros: microseconds since 1970-01-01T00:00:00Z.
    /// - Returns: the RFC 3339 text, always with six fractional digits.
    public static func format(_ micros: Int64) -> String {
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    /// The UTC calendar day of an instant, as `YYYY-MM-DD`.
    ///
    /// - Parameter micros: microseconds since the epoch.
    /// - Returns: the date.
    public static func day(_ micros: Int64) -> String {
        day(epochSeconds: floorDivide(micros, 1_000_000).quotient)
    }

    /// The UTC calendar day holding an instant given in whole seconds, as `YYYY-MM-DD`.
    ///
    /// - Parameter seconds: seconds since the epoch.
    /// - Returns: the date.
    public static func day(epochSeconds seconds: Int64) -> String {
        let (year, month, day) = civil(fromDays: floorDivide(seconds, 86_400).quotient)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// The instant at which a UTC calendar day starts.
    ///
    /// - Parameter day: `YYYY-MM-DD`.
    /// - Returns: microseconds since the epoch, or `nil` for a malformed date.
    public static func startOfDay(_ day: String) -> Int64? {
        parse(Array((day + "T00:00:00Z").utf8))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    ///
    /// - Parameters:
    ///   - year: the year.
    ///   - month: the month, 1 to 12.
    ///   - day: the day of the month.
    /// - Returns: the day count, negative before 1970.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
