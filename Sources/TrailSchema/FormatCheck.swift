import Foundation
import TrailJSON

/// The checks behind each asserted `format`, written from the RFCs each format names.
enum FormatCheck {
    /// Part of a string's UTF-8 bytes, read in place.
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    // MARK: Dates and times (RFC 3339)

    static func digits(_ bytes: Bytes, _ start: Int, _ count: Int) -> Int? {
        guard start >= bytes.startIndex, start + count <= bytes.endIndex else { return nil }
        var value = 0
        for index in start..<start + count {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func date(_ bytes: Bytes) -> Bool {
        let s = bytes.startIndex
        guard bytes.count == 10, bytes[s + 4] == UInt8(ascii: "-"), bytes[s + 7] == UInt8(ascii: "-"),
            let year = digits(bytes, s, 4), let month = digits(bytes, s + 5, 2), let day = digits(bytes, s + 8, 2)
        else { return false }
        return (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }

    static func time(_ bytes: Bytes) -> Bool {
        let s = bytes.startIndex
        guard bytes.count >= 9, bytes[s + 2] == UInt8(ascii: ":"), bytes[s + 5] == UInt8(ascii: ":"),
            let hour = digits(bytes, s, 2), let minute = digits(bytes, s + 3, 2), let second = digits(bytes, s + 6, 2),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = s + 8
        if index < bytes.endIndex && bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.endIndex && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            guard index > start else { return false }
        }
        guard index < bytes.endIndex else { return false }
        var offsetMinutes = 0
        switch bytes[index] | 0x20 {
        case UInt8(ascii: "z"):
            guard index + 1 == bytes.endIndex else { return false }
        default:
            guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 == bytes.endIndex,
                bytes[index + 3] == UInt8(ascii: ":"), let offsetHour = digits(bytes, index + 1, 2),
                let offsetMinute = digits(bytes, index + 4, 2), offsetHour <= 23, offsetMinute <= 59
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        }
        if second == 60 {
            // A leap second happens only at 23:59:60 UTC.
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func dateTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 20, bytes[10] | 0x20 == UInt8(ascii: "t") else { return false }
        return date(bytes[0..<10]) && time(bytes[11...])
    }

    /// ISO 8601 durations as RFC 3339 Appendix A spells them.
    static func duration(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "P"), bytes.count > 1 else { return false }
        var index = 1
        var inTime = false
        var units: [UInt8] = []
        var timeUnits = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "T") {
                guard !inTime else { return false }
                inTime = true
                index += 1
                continue
            }
            let start = index
            while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            guard index > start, index < bytes.count else { return false }
            let unit = bytes[index]
            index += 1
            let allowed: [UInt8] = inTime ? Array("HMS".utf8) : Array("YMWD".utf8)
            guard let position = allowed.firstIndex(of: unit) else { return false }
            let previous = inTime ? (timeUnits > 0 ? units.last : nil) : units.last
            if let previous, let lastPosition = allowed.firstIndex(of: previous) {
                // Units follow each other without gaps (RFC 3339 Appendix A): P1Y2D and PT1H2S are not durations.
                let next =
                    unit == UInt8(ascii: "D") && previous == UInt8(ascii: "M") ? lastPosition + 2 : lastPosition + 1
                guard position == next else { return false }
            }
            units.append(unit)
            if inTime { timeUnits += 1 }
        }
        if inTime && timeUnits == 0 { return false }
        if units.isEmpty { return false }
        if units.contains(UInt8(ascii: "W")) && units.count > 1 { return false }
        return true
    }

    // MARK: Identifiers

    static func uuid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard Character(Unicode.Scalar(byte)).isHexDigit else { return false }
            }
        }
        return true
    }

    static func relativeJSONPointer(_ string: String) -> Bool {
        let prefix = string.prefix { $0.isASCII && $0.isNumber }
        guard !prefix.isEmpty, prefix == "0" || !prefix.hasPrefix("0") else { return false }
        let rest = string.dropFirst(prefix.count)
        if rest == "#" { return true }
        return (try? JSONPointer(parsing: String(rest))) != nil
    }

    /// RFC 6570 level 4 syntax.
    static func uriTemplate(_ string: String) -> Bool {
        let scalars = Array(string.unicodeScalars)
        var index = 0
        func isVarChar(_ s: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_"
        }
        while index < scalars.count {
            let s = scalars[index]
            if s == "{" {
                guard let close = scalars[index...].firstIndex(of: "}") else { return false }
                var expression = Array(scalars[(index + 1)..<close])[...]
                if let first = expression.first, "+#./;?&=,!@|".unicodeScalars.contains(first) {
                    guard "+#./;?&".unicodeScalars.contains(first) else { return false }
                    expression = expression.dropFirst()
                }
                let specs = expression.split(separator: ",", omittingEmptySubsequences: false)
                for spec in specs {
                    var name = spec[...]
                    if name.last == "*" {
                        name = name.dropLast()
                    } else if let colon = name.firstIndex(of: ":") {
                        let length = name[(colon + 1)...]
                        guard (1...4).contains(length.count), length.first != "0",
                            length.allSatisfy({ ("0"..."9").contains($0) })
                        else { return false }
                        name = name[..<colon]
                    }
                    guard !name.isEmpty, name.first != ".", name.last != "." else { return false }
                    var previousDot = false
                    var position = name.startIndex
                    while position < name.endIndex {
                        let c = name[position]
                        if c == "%" {
                            guard position + 2 < name.endIndex, name[position + 1].properties.isASCIIHexDigit,
                                name[position + 2].properties.isASCIIHexDigit
                            else { return false }
                            position += 3
                            previousDot = false
                            continue
                        }
                        if c == "." {
                            if previousDot { return false }
                            previousDot = true
                        } else {
                            guard isVarChar(c) else { return false }
                            previousDot = false
                        }
                        position += 1
                    }
                }
                index = close + 1
                continue
            }
            if s == "}" { return false }
            if s.value <= 0x20 || s.value == 0x7F || "\"%<>\\^`|".unicodeScalars.contains(s) {
                if s == "%", index + 2 < scalars.count, scalars[index + 1].properties.isASCIIHexDigit,
                    scalars[index + 2].properties.isASCIIHexDigit
                {
                    index += 3
                    continue
                }
                return false
            }
            index += 1
        }
        return true
    }

    // MARK: Content (draft-07)

    static func content(_ string: String, encoding: String?, mediaType: String?) -> Bool {
        var payload = Array(string.utf8)
        if encoding == "base64" {
            guard let decoded = Data(base64Encoded: string) else { return false }
            payload = Array(decoded)
        }
        if mediaType == "application/json" {
            return (try? JSONValue(parsing: payload)) != nil
        }
        return true
    }
}
