/// The labelled fields of `bag-info.txt` (RFC 8493 §2.2.2), in order, labels possibly repeated.
public struct BagInfo: Sendable, Equatable {
    /// The fields in file order.
    public var fields: [(label: String, value: String)]

    /// Creates bag metadata.
    ///
    /// - Parameter fields: labelled values in order.
    public init(_ fields: [(label: String, value: String)] = []) {
        self.fields = fields
    }

    /// The first value with `label` (labels compare case-insensitively, as RFC 8493 asks).
    ///
    /// - Parameter label: the label.
    /// - Returns: its first value, or `nil`.
    public func value(_ label: String) -> String? {
        fields.first { $0.label.lowercased() == label.lowercased() }?.value
    }

    /// Every value with `label`.
    ///
    /// - Parameter label: the label.
    /// - Returns: the values in order.
    public func values(_ label: String) -> [String] {
        fields.filter { $0.label.lowercased() == label.lowercased() }.map(\.value)
    }

    /// Appends a field.
    ///
    /// - Parameters:
    ///   - label: the label.
    ///   - value: the value (one line).
    public mutating func append(_ label: String, _ value: String) {
        fields.append((label, value))
    }

    /// The file's text: `Label: value` lines, LF-terminated.
    public var text: String {
        fields.map { "\($0.label): \($0.value)\n" }.joined()
    }

    /// Parses `bag-info.txt`; lines starting with whitespace continue the previous value.
    ///
    /// - Parameter text: the file's text.
    /// - Returns: the fields, or `nil` when a line has no `:`.
    public static func parse(_ text: String) -> BagInfo? {
        var info = BagInfo()
        // LF, CRLF and CR all end a line (RFC 8493 §2.2.2); in Swift `\r\n` is one Character, so split on
        // any newline rather than on "\n".
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            if let first = line.first, first == " " || first == "\t", !info.fields.isEmpty {
                info.fields[info.fields.count - 1].value += " " + line.drop { $0 == " " || $0 == "\t" }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let label = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            info.append(String(label), String(value))
        }
        return info
    }

    public static func == (lhs: BagInfo, rhs: BagInfo) -> Bool {
        lhs.fields.map(\.label) == rhs.fields.map(\.label) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
