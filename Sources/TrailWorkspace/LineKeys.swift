internal import TrailJSON

/// Reads the identity members of a stored line without parsing the whole record.
///
/// Lines are written by PromptTrail with a fixed member order, so the first `"trace_id":"` in a line is
/// the top-level member (a quote inside a string value is always escaped). A value with escapes falls back
/// to a full parse.
enum LineKeys {
    static func string(_ key: String, in line: ArraySlice<UInt8>) -> String?? {
        let needle = Array(("\"" + key + "\":").utf8)
        guard let start = find(needle, in: line) else { return .some(nil) }
        var index = start + needle.count
        guard index < line.endIndex else { return nil }
        if line[index] == UInt8(ascii: "n") { return .some(nil) }
        guard line[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let valueStart = index
        while index < line.endIndex, line[index] != UInt8(ascii: "\"") {
            if line[index] == UInt8(ascii: "\\") { return nil }
            index += 1
        }
        guard index < line.endIndex else { return nil }
        return .some(String(decoding: line[valueStart..<index], as: UTF8.self))
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Splits a file into lines (on LF only); the last line must end with LF.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var output: [ArraySlice<UInt8>] = []
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            if newline > start { output.append(bytes[start..<newline]) }
            start = newline + 1
        }
        return output
    }

    static func parse(_ line: ArraySlice<UInt8>) -> JSONValue? {
        try? JSONParser().parse(line)
    }
}
