import Foundation
import TrailJSON

/// The checks behind each asserted `format`, written from the RFCs each format names.
enum FormatCheck {
    // MARK: Dates and times (RFC 3339)

    static func digits(_ bytes: ArraySlice<UInt8>, _ start: Int, _ count: Int) -> Int? {
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

    static func date(_ bytes: ArraySlice<UInt8>) -> Bool {
        let s = bytes.startIndex
        guard bytes.count == 10, bytes[s + 4] == UInt8(ascii: "-"), bytes[s + 7] == UInt8(ascii: "-"),
            let year = digits(bytes, s, 4), let month = digits(bytes, s + 5, 2), let day = digits(bytes, s + 8, 2)
        else { return false }
        return (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }

    static func time(_ bytes: ArraySlice<UInt8>) -> Bool {
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

    static func dateTime(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 20, bytes[10] | 0x20 == UInt8(ascii: "t") else { return false }
        return date(bytes[0..<10]) && time(bytes[11...])
    }

    /// ISO 8601 durations as RFC 3339 Appendix A spells them.
    static func duration(_ bytes: [UInt8]) -> Bool {
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

    // MARK: Internet addresses

    static func ipv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            if part.count > 1 && part.first == 0x30 { return false }
            guard let value = digits(part, part.startIndex, part.count), value <= 255 else { return false }
        }
        return true
    }

    static func ipv6(_ string: String) -> Bool {
        var text = Substring(string)
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.isASCII }) else { return false }
        var groupsAvailable = 8
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard ipv4(Array(text[text.index(after: lastColon)...].utf8)[...]) else { return false }
            text = text[...lastColon]
            if !text.hasSuffix("::") { text = text.dropLast() }
            groupsAvailable = 6
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for piece in pieces {
                guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit) else { return nil }
            }
            return pieces
        }
        if halves.count == 2 {
            guard let head = groups(halves[0]), let tail = groups(halves[1]) else { return false }
            return head.count + tail.count < groupsAvailable
        }
        guard let all = groups(halves[0]) else { return false }
        return all.count == groupsAvailable
    }

    static func hostname(_ string: String, international: Bool) -> Bool {
        var name = string
        if international {
            // IDNA label separators.
            for separator in ["\u{3002}", "\u{FF0E}", "\u{FF61}"] {
                name = name.replacingOccurrences(of: separator, with: ".")
            }
        }
        guard !name.isEmpty else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        var total = 0
        for label in labels {
            let isASCII = label.unicodeScalars.allSatisfy(\.isASCII)
            if !isASCII {
                guard international, validUnicodeLabel(label), let encoded = Punycode.encode(String(label)),
                    encoded.count + 4 <= 63
                else { return false }
                total += encoded.count + 5
                continue
            }
            guard (1...63).contains(label.count) else { return false }
            total += label.count + 1
            guard label.first != "-", label.last != "-" else { return false }
            guard
                label.unicodeScalars.allSatisfy({
                    $0.properties.isASCIIHexDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0)
                        || ("0"..."9").contains($0) || $0 == "-"
                })
            else { return false }
            let lower = label.lowercased()
            if lower.count >= 4, Array(lower)[2] == "-", Array(lower)[3] == "-" {
                // Reserved "??--" labels are allowed only as valid punycode A-labels.
                guard lower.hasPrefix("xn--"), let decoded = Punycode.decode(String(lower.dropFirst(4))),
                    !decoded.isEmpty,
                    Punycode.encode(decoded) == String(lower.dropFirst(4))
                else { return false }
                if international, !validUnicodeLabel(Substring(decoded)) { return false }
                if !international, !validUnicodeLabel(Substring(decoded)) { return false }
            }
        }
        guard total <= 254 else { return false }
        var unicodeLabels: [[Unicode.Scalar]] = []
        for label in labels {
            let lower = label.lowercased()
            if lower.hasPrefix("xn--"), let decoded = Punycode.decode(String(lower.dropFirst(4))) {
                unicodeLabels.append(Array(decoded.unicodeScalars))
            } else {
                unicodeLabels.append(Array(label.unicodeScalars))
            }
        }
        return satisfiesBidiRule(unicodeLabels)
    }

    /// A rough IDNA2008 check of a Unicode label: no leading combining mark, no hyphens at positions 3-4 or
    /// the ends, no disallowed punctuation, and the CONTEXTJ/CONTEXTO rules the test suite exercises.
    static func validUnicodeLabel(_ label: Substring) -> Bool {
        let scalars = Array(label.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 63 else { return false }
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .spacingMark
            || first.properties.generalCategory == .enclosingMark
        {
            return false
        }
        if scalars.first == "-" || scalars.last == "-" { return false }
        if scalars.count >= 4 && scalars[2] == "-" && scalars[3] == "-" { return false }
        for (index, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007:
                continue  // PVALID exceptions of RFC 5892 §2.6.
            case 0x302E, 0x302F, 0x0640, 0x07FA, 0x3031...0x3035, 0x303B: return false
            case 0x00B7:
                guard index > 0, index + 1 < scalars.count, scalars[index - 1] == "l", scalars[index + 1] == "l" else {
                    return false
                }
            case 0x0375:
                guard index + 1 < scalars.count, isGreek(scalars[index + 1]) else { return false }
            case 0x05F3, 0x05F4:
                guard index > 0, isHebrew(scalars[index - 1]) else { return false }
            case 0x30FB:
                guard scalars.contains(where: { isJapanese($0) && $0.value != 0x30FB }) else { return false }
            case 0x200D:
                guard index > 0, scalars[index - 1].properties.canonicalCombiningClass.rawValue == 9 else {
                    return false
                }
            case 0x200C:
                let afterVirama = index > 0 && scalars[index - 1].properties.canonicalCombiningClass.rawValue == 9
                let joining =
                    index > 0 && index + 1 < scalars.count && isArabic(scalars[index - 1])
                    && isArabic(scalars[index + 1])
                guard afterVirama || joining else { return false }
            default:
                if scalar.properties.generalCategory == .uppercaseLetter && !scalar.isASCII { return false }
                if !scalar.isASCII {
                    switch scalar.properties.generalCategory {
                    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                        .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
                        .modifierSymbol, .otherSymbol, .spaceSeparator, .lineSeparator, .paragraphSeparator, .control,
                        .format, .unassigned, .privateUse, .surrogate:
                        return false
                    default: break
                    }
                }
                if scalar.value < 0x80
                    && !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
                {
                    return false
                }
            }
        }
        let arabicIndic = scalars.contains { (0x0660...0x0669).contains($0.value) }
        let extendedArabicIndic = scalars.contains { (0x06F0...0x06F9).contains($0.value) }
        return !(arabicIndic && extendedArabicIndic)
    }

    static func isArabic(_ scalar: Unicode.Scalar) -> Bool {
        (0x0600...0x06FF).contains(scalar.value) || (0x0750...0x077F).contains(scalar.value)
    }

    enum BidiClass {
        case left
        case right
        case europeanNumber
        case arabicNumber
        case other
    }

    static func bidiClass(_ scalar: Unicode.Scalar) -> BidiClass {
        switch scalar.value {
        case 0x30...0x39, 0x06F0...0x06F9: return .europeanNumber
        case 0x0660...0x0669: return .arabicNumber
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF: return .right
        default:
            return scalar.properties.isAlphabetic && scalar.properties.generalCategory != .nonspacingMark
                ? .left : .other
        }
    }

    /// The Bidi rule of RFC 5893 §2, applied to every label of a domain that has a right-to-left label.
    static func satisfiesBidiRule(_ labels: [[Unicode.Scalar]]) -> Bool {
        let isBidiDomain = labels.contains { $0.contains { [.right, .arabicNumber].contains(bidiClass($0)) } }
        guard isBidiDomain else { return true }
        for label in labels where !label.isEmpty {
            let classes = label.map(bidiClass)
            let significant = classes.filter { $0 != .other }
            if [.right].contains(classes[0]) || classes.contains(.right) || classes.contains(.arabicNumber) {
                guard classes[0] == .right else { return false }
                guard !classes.contains(.left) else { return false }
                guard !(classes.contains(.europeanNumber) && classes.contains(.arabicNumber)) else { return false }
                guard let last = significant.last, last != .left else { return false }
            } else {
                guard classes[0] == .left else { return false }
                guard let last = significant.last, last == .left || last == .europeanNumber else { return false }
            }
        }
        return true
    }

    static func isGreek(_ scalar: Unicode.Scalar) -> Bool {
        (0x0370...0x03FF).contains(scalar.value) || (0x1F00...0x1FFF).contains(scalar.value)
    }

    static func isHebrew(_ scalar: Unicode.Scalar) -> Bool {
        (0x0590...0x05FF).contains(scalar.value)
    }

    static func isJapanese(_ scalar: Unicode.Scalar) -> Bool {
        (0x3040...0x30FF).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value)
            || (0x3400...0x4DBF).contains(scalar.value)
    }

    static func email(_ string: String, international: Bool) -> Bool {
        guard let at = string.lastIndex(of: "@") else { return false }
        let local = string[..<at]
        let domain = string[string.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return false }
        } else {
            guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
            let allowed = Set("!#$%&'*+-/=?^_`{|}~.".unicodeScalars)
            for scalar in local.unicodeScalars {
                let ok =
                    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || allowed.contains(scalar) || (international && !scalar.isASCII)
                guard ok else { return false }
            }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return false }
            let literal = domain.dropFirst().dropLast()
            if literal.hasPrefix("IPv6:") { return ipv6(String(literal.dropFirst(5))) }
            return ipv4(Array(literal.utf8)[...])
        }
        return hostname(String(domain), international: international)
    }

    // MARK: Identifiers

    static func uuid(_ bytes: [UInt8]) -> Bool {
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

    // MARK: URIs (RFC 3986) and IRIs (RFC 3987)

    static func uri(_ string: String, requireScheme: Bool, international: Bool) -> Bool {
        let scalars = Array(string.unicodeScalars)
        var index = 0
        func isAlpha(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        func isUnreserved(_ s: Unicode.Scalar) -> Bool {
            isAlpha(s) || isDigit(s) || "-._~".unicodeScalars.contains(s) || (international && s.value >= 0xA0)
        }
        func isSubDelim(_ s: Unicode.Scalar) -> Bool { "!$&'()*+,;=".unicodeScalars.contains(s) }
        func percent(_ i: Int) -> Bool {
            i + 2 < scalars.count && scalars[i + 1].properties.isASCIIHexDigit
                && scalars[i + 2].properties.isASCIIHexDigit
        }
        /// Consumes characters allowed by `extra` (plus unreserved, sub-delims and percent-encodings) until a stop.
        func run(_ extra: String, stops: String) -> Bool {
            while index < scalars.count, !stops.unicodeScalars.contains(scalars[index]) {
                let s = scalars[index]
                if s == "%" {
                    guard percent(index) else { return false }
                    index += 3
                    continue
                }
                guard isUnreserved(s) || isSubDelim(s) || extra.unicodeScalars.contains(s) else { return false }
                index += 1
            }
            return true
        }
        // Scheme.
        var hasScheme = false
        if let colon = scalars.firstIndex(of: ":"), colon > 0, isAlpha(scalars[0]),
            scalars[..<colon].allSatisfy({ isAlpha($0) || isDigit($0) || "+-.".unicodeScalars.contains($0) }),
            !scalars[..<colon].contains("/"), !scalars[..<colon].contains("?"), !scalars[..<colon].contains("#")
        {
            hasScheme = true
            index = colon + 1
        }
        if requireScheme && !hasScheme { return false }
        if !hasScheme {
            // A relative reference's first path segment may not contain ':'.
            let firstSegmentEnd = scalars.firstIndex { "/?#".unicodeScalars.contains($0) } ?? scalars.count
            if scalars[..<firstSegmentEnd].contains(":") { return false }
        }
        // Authority.
        if index + 1 < scalars.count, scalars[index] == "/", scalars[index + 1] == "/" {
            index += 2
            let authorityEnd = scalars[index...].firstIndex { "/?#".unicodeScalars.contains($0) } ?? scalars.count
            var authority = Array(scalars[index..<authorityEnd])
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                for (offset, s) in userinfo.enumerated() {
                    guard isUnreserved(s) || isSubDelim(s) || s == ":" || s == "%" else { return false }
                    if s == "%" && !percent(index + offset) { return false }
                }
                authority = Array(authority[(at + 1)...])
            }
            if authority.first == "[" {
                guard let close = authority.firstIndex(of: "]") else { return false }
                let literal = String(String.UnicodeScalarView(authority[1..<close]))
                guard ipv6(literal) || literal.lowercased().hasPrefix("v") else { return false }
                let rest = authority[(close + 1)...]
                if !rest.isEmpty {
                    guard rest.first == ":", rest.dropFirst().allSatisfy(isDigit) else { return false }
                }
            } else {
                var host = authority[...]
                if let colon = authority.lastIndex(of: ":") {
                    guard authority[(colon + 1)...].allSatisfy(isDigit) else { return false }
                    host = authority[..<colon]
                }
                for s in host {
                    guard isUnreserved(s) || isSubDelim(s) || s == "%" else { return false }
                }
            }
            index = authorityEnd
        }
        // Path, query, fragment.
        guard run(":@/", stops: "?#") else { return false }
        if index < scalars.count && scalars[index] == "?" {
            index += 1
            guard run(":@/?" + (international ? "\u{E000}" : ""), stops: "#") else { return false }
        }
        if index < scalars.count && scalars[index] == "#" {
            index += 1
            guard run(":@/?", stops: "") else { return false }
        }
        return index == scalars.count
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

/// RFC 3492 Punycode, for checking `xn--` labels.
enum Punycode {
    static func encode(_ input: String) -> String? {
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = 128
        var delta = 0
        var bias = 72
        func digit(_ d: Int) -> Character {
            Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d + 22)))
        }
        func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
            var delta = first ? delta / 700 : delta / 2
            delta += delta / count
            var k = 0
            while delta > 455 {
                delta /= 35
                k += 36
            }
            return k + 36 * delta / (delta + 38)
        }
        while handled < scalars.count {
            guard let m = scalars.filter({ $0 >= n }).min() else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for c in scalars {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = 36
                    while true {
                        let t = k <= bias ? 1 : (k >= bias + 26 ? 26 : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (36 - t)))
                        q = (q - t) / (36 - t)
                        k += 36
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    static func decode(_ input: String) -> String? {
        let base = 36
        let tMin = 1
        let tMax = 26
        let skew = 38
        let damp = 700
        var n = 128
        var i = 0
        var bias = 72
        var output: [Unicode.Scalar] = []
        var rest = Substring(input)
        if let delimiter = input.lastIndex(of: "-") {
            for scalar in input[..<delimiter].unicodeScalars {
                guard scalar.isASCII else { return nil }
                output.append(scalar)
            }
            rest = input[input.index(after: delimiter)...]
        }
        var scalars = Array(rest.unicodeScalars)[...]
        func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / count
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        while !scalars.isEmpty {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard let scalar = scalars.popFirst() else { return nil }
                let digit: Int
                switch scalar {
                case "a"..."z": digit = Int(scalar.value) - 97
                case "A"..."Z": digit = Int(scalar.value) - 65
                case "0"..."9": digit = Int(scalar.value) - 22
                default: return nil
                }
                guard digit <= (Int.max - i) / max(w, 1) else { return nil }
                i += digit * w
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                w *= base - t
                k += base
            }
            bias = adapt(i - oldI, output.count + 1, oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard let scalar = Unicode.Scalar(n) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: output)
        return result
    }
}
