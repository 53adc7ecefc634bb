import Foundation
import TrailJSON

extension FormatCheck {
    // MARK: Internet addresses

    static func ipv4(_ bytes: Bytes) -> Bool {
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
            guard Array(text[text.index(after: lastColon)...].utf8).withUnsafeBufferPointer({ ipv4($0[...]) }) else {
                return false
            }
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
            return Array(literal.utf8).withUnsafeBufferPointer { ipv4($0[...]) }
        }
        return hostname(String(domain), international: international)
    }
}
