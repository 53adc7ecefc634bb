package import Foundation
import TrailModel

/// An RFC 3339 timestamp as the platforms write it: the text kept verbatim, with the instant it denotes.
///
/// Seeded data may use whole seconds and emulator-made data uses milliseconds; the emulator answers
/// with the text it was given, while ordering, equality and filters use ``microseconds``, so
/// `10:00:00Z` and `10:00:00.000Z` are the same instant. Parsing is `TrailModel`'s ``RFC3339Timestamp``,
/// the one parser every tool shares.
package struct VerbatimTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The text as received or generated, e.g. `2026-05-20T10:00:00Z`.
    package let text: String
    /// Microseconds since 1970-01-01T00:00:00Z.
    package let microseconds: Int64

    /// Parses an RFC 3339 date-time (`T` or `t`, fractional seconds optional, `Z` or a numeric offset).
    ///
    /// Fails when `text` is not an RFC 3339 date-time.
    ///
    /// - Parameter text: the timestamp.
    package init?(_ text: String) {
        guard let microseconds = RFC3339Timestamp.parse(text.utf8) else { return nil }
        self.text = text
        self.microseconds = microseconds
    }

    /// Formats an instant with millisecond precision in UTC, e.g. `2026-05-20T10:00:00.123Z`.
    ///
    /// - Parameter microseconds: microseconds since the epoch; sub-millisecond digits are dropped.
    package init(microseconds: Int64) {
        let milliseconds = microseconds >= 0 ? microseconds / 1000 : (microseconds - 999) / 1000
        // `format` writes six fractional digits; the emulator writes three, as the platforms do.
        text = String(RFC3339Timestamp.format(milliseconds * 1000).dropLast(4)) + "Z"
        self.microseconds = milliseconds * 1000
    }

    /// The instant as a Foundation date.
    package var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    package var description: String { text }

    package static func < (lhs: VerbatimTimestamp, rhs: VerbatimTimestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// The same instant, whatever the text: consistent with `<`.
    package static func == (lhs: VerbatimTimestamp, rhs: VerbatimTimestamp) -> Bool {
        lhs.microseconds == rhs.microseconds
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(microseconds) }
}
