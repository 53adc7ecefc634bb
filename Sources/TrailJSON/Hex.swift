/// Lowercase hexadecimal, the form of every digest PromptTrail writes.
public enum Hex {
    /// The sixteen digits, lowercase.
    @usableFromInline static let alphabet: StaticString = "0123456789abcdef"

    /// The bytes as lowercase hexadecimal, two digits each.
    ///
    /// - Parameter bytes: the bytes, e.g. a SHA-256 digest.
    /// - Returns: the hexadecimal text.
    @inlinable public static func string(_ bytes: some Sequence<UInt8>) -> String {
        // A digest is a sequence without contiguous storage of its own: copy it once, write the digits once.
        let bytes = Array(bytes)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { digits in
            for (index, byte) in bytes.enumerated() {
                digits[2 * index] = alphabet.utf8Start[Int(byte >> 4)]
                digits[2 * index + 1] = alphabet.utf8Start[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }

    /// Whether `text` is the lowercase hexadecimal of `bytes` (what ``string(_:)`` would return), compared
    /// without making that string. Inlinable, so that it is specialized for the caller's digest type (a
    /// generic call through the witness tables cost more than the comparison).
    ///
    /// - Parameters:
    ///   - bytes: the bytes, e.g. a SHA-256 digest.
    ///   - text: the hexadecimal text to compare them with.
    /// - Returns: whether they are the same.
    @inlinable public static func matches(_ bytes: some Sequence<UInt8>, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { digits in
            var index = 0
            for byte in bytes {
                guard index + 1 < digits.count, digits[index] == alphabet.utf8Start[Int(byte >> 4)],
                    digits[index + 1] == alphabet.utf8Start[Int(byte & 0x0F)]
                else { return false }
                index += 2
            }
            return index == digits.count
        }
    }
}
