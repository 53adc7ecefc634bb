/// Lowercase hexadecimal, the form of every digest PromptTrail writes.
public enum Hex {
    /// The bytes as lowercase hexadecimal, two digits each.
    ///
    /// - Parameter bytes: the bytes, e.g. a SHA-256 digest.
    /// - Returns: the hexadecimal text.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}
