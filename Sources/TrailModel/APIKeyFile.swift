/// The one reader of API-key files, shared by `trail-pull --api-key-file` and `trail-serve --api-key-file`.
///
/// A line is blank, a `#` comment, a bare key, or `NAME=key` (spaces around `=` and the line are
/// ignored). Keys are never part of a message: errors name the file and the line only.
public enum APIKeyFile {
    /// One key line.
    public struct Entry: Sendable, Hashable {
        /// The variable name before `=`, or `nil` for a bare key.
        public var variable: String?
        /// The key.
        public var key: String
        /// The 1-based line number.
        public var line: Int
    }

    /// The key lines of `text`, in order.
    ///
    /// - Parameter text: the file's content.
    /// - Returns: every line that is neither blank nor a comment.
    public static func entries(in text: String) -> [Entry] {
        var entries: [Entry] = []
        // `\r\n` is one Character in Swift, so lines are split on any newline, not on "\n" alone.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let equals = line.firstIndex(of: "=") {
                entries.append(
                    Entry(
                        variable: String(line[..<equals].trimmingWhitespace()),
                        key: String(line[line.index(after: equals)...].trimmingWhitespace()),
                        line: index + 1
                    )
                )
            } else {
                entries.append(Entry(variable: nil, key: String(line), line: index + 1))
            }
        }
        return entries
    }

    /// The key for `variable`: the first `variable=key` line or bare key, skipping other variables'.
    ///
    /// - Parameters:
    ///   - variable: e.g. `TUOR_API_KEY`.
    ///   - text: the file's content.
    /// - Returns: the key, or `nil` when the file holds none for `variable`.
    public static func key(for variable: String, in text: String) -> String? {
        entries(in: text).first { ($0.variable == nil || $0.variable == variable) && !$0.key.isEmpty }?.key
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
