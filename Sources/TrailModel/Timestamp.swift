/// An RFC 3339 date-time read as an instant: microseconds since the Unix epoch, in UTC.
///
/// Ordering and equality compare instants, so `2026-05-12T01:30:00+02:00` equals `2026-05-11T23:30:00Z`
/// and `10:00:00.5Z` is later than `10:00:00Z`. Digits beyond the microsecond are ignored.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// Creates an instant.
    ///
    /// - Parameter microseconds: microseconds since the Unix epoch.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// Parses an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`) with
    /// ``RFC3339Timestamp``, the one parser every tool shares, so a pull files a trace under the same UTC
    /// day as the archive and the export expect it. Fails (`nil`) when the text is not an RFC 3339 date-time.
    ///
    /// - Parameter text: the date-time; `t` and `z` are accepted in lower case, as RFC 3339 allows.
    public init?(_ text: String) {
        guard let microseconds = RFC3339Timestamp.parse(text.utf8) else { return nil }
        self.init(microseconds: microseconds)
    }

    /// Whole seconds since the Unix epoch, rounded down (as ``RFC3339Timestamp/epochSeconds(_:)`` gives them).
    public var epochSeconds: Int64 {
        microseconds.floorDivided(by: 1_000_000)
    }

    /// The UTC calendar date, `YYYY-MM-DD`: the name of the trace day file the instant belongs to.
    public var utcDay: String {
        RFC3339Timestamp.day(microseconds)
    }

    /// The instant as RFC 3339 in UTC with `Z`; fractional seconds appear only when not zero.
    public var description: String {
        let seconds = microseconds.floorDivided(by: 1_000_000)
        let micros = Int(microseconds - seconds * 1_000_000)
        let secondOfDay = Int(seconds - seconds.floorDivided(by: 86_400) * 86_400)
        var text =
            utcDay + "T" + Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2) + ":"
            + Self.pad(secondOfDay % 60, 2)
        if micros != 0 {
            var fraction = Self.pad(micros, 6)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// The instant `seconds` earlier.
    ///
    /// - Parameter seconds: how far to go back.
    /// - Returns: the earlier instant.
    public func subtracting(seconds: Int64) -> Timestamp {
        Timestamp(microseconds: microseconds - seconds * 1_000_000)
    }

    /// Orders instants.
    ///
    /// - Parameters:
    ///   - lhs: an instant.
    ///   - rhs: another instant.
    /// - Returns: whether `lhs` is earlier.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
