/// ECMAScript's `Number.prototype.toString` for finite doubles: the shortest digits that round-trip,
/// laid out as ECMA-262 §6.1.6.1.20 says. RFC 8785 (JCS) serializes numbers this way.
enum ECMAScriptNumber {
    /// Formats a finite double; `-0` is `0`.
    static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        // Swift's description gives the shortest round-trip digits; only the layout differs from ECMAScript.
        let (digits, pointPosition) = shortestDigits(abs(value))
        let sign = value < 0 ? "-" : ""
        let k = digits.count
        let n = pointPosition
        var result = sign
        if k <= n && n <= 21 {
            result += digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            let index = digits.index(digits.startIndex, offsetBy: n)
            result += digits[..<index] + "." + digits[index...]
        } else if -6 < n && n <= 0 {
            result += "0." + String(repeating: "0", count: -n) + digits
        } else {
            let exponent = n - 1
            let first = digits.prefix(1)
            let rest = digits.dropFirst()
            result +=
                first + (rest.isEmpty ? "" : "." + rest) + "e" + (exponent >= 0 ? "+" : "-") + String(abs(exponent))
        }
        return result
    }

    /// The shortest round-trip decimal digits of a positive finite double, with the position of the
    /// decimal point relative to the first digit (value = 0.DIGITS × 10^position).
    static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].drop { $0 == "+" }) ?? 0
        }
        var digits = ""
        var integerDigits = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
            } else {
                digits.append(character)
                if !seenPoint { integerDigits += 1 }
            }
        }
        var position = integerDigits + exponent
        while digits.first == "0" {
            digits.removeFirst()
            position -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, position)
    }
}
