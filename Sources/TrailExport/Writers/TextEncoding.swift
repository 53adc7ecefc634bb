/// Text forms of values shared by the NDJSON and CSV writers.
enum TextEncoding {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal (quotes included), escaping as RFC 8259 requires.
    static func appendJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case 0x22: output.append(contentsOf: [0x5C, 0x22])
                case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: output.append(contentsOf: [0x5C, 0x72])
                case 0x09: output.append(contentsOf: [0x5C, 0x74])
                case 0x08: output.append(contentsOf: [0x5C, 0x62])
                case 0x0C: output.append(contentsOf: [0x5C, 0x66])
                default:
                    output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        output.append(0x22)
    }

    /// A JSON array of strings, compact.
    static func jsonArray(_ list: [String]) -> [UInt8] {
        var output: [UInt8] = [0x5B]
        for (index, element) in list.enumerated() {
            if index > 0 { output.append(0x2C) }
            appendJSONString(element, to: &output)
        }
        output.append(0x5D)
        return output
    }

    /// A double as the shortest text that reads back as the same double (Swift's `description`).
    static func double(_ value: Double) -> String {
        value.description
    }
}
