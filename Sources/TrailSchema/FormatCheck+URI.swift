import Foundation
import TrailJSON

extension FormatCheck {
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
}
