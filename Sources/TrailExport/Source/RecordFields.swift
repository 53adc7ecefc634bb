import TrailJSON
import TrailModel

/// Typed access to the member values that TrailJSON's ``JSONMemberScanner`` located in one line.
struct RecordFields {
    let bytes: UnsafeBufferPointer<UInt8>
    let ranges: [Range<Int>?]
    let names: [String]
    /// Whether raw JSON values are parsed once to prove they are well-formed before being copied.
    let validatesJSON: Bool

    private func slice(_ index: Int) throws(ScanFailure) -> UnsafeBufferPointer<UInt8> {
        guard let range = ranges[index] else { throw ScanFailure("member \"\(names[index])\" is missing") }
        return UnsafeBufferPointer(rebasing: bytes[range])
    }

    private func isNull(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        value.count == 4 && value[0] == 0x6E
    }

    /// A string member (`null` gives `nil`).
    func string(_ index: Int) throws(ScanFailure) -> String? {
        let value = try slice(index)
        if isNull(value) { return nil }
        guard value.count >= 2, value[0] == 0x22 else { throw ScanFailure("\(names[index]) is not a string") }
        let inner = UnsafeBufferPointer(rebasing: value[1..<(value.count - 1)])
        if !inner.contains(0x5C) {
            guard let text = String(validating: inner, as: UTF8.self) else {
                throw ScanFailure("\(names[index]) is not valid UTF-8")
            }
            return text
        }
        guard let text = try? JSONParser().parse(value).stringValue else {
            throw ScanFailure("\(names[index]) is not a valid JSON string")
        }
        return text
    }

    /// A string member that must not be null.
    func requiredString(_ index: Int) throws(ScanFailure) -> String {
        guard let text = try string(index) else { throw ScanFailure("\(names[index]) is null") }
        return text
    }

    /// An integer member (`null` gives `nil`).
    func integer(_ index: Int) throws(ScanFailure) -> Int64? {
        let value = try slice(index)
        if isNull(value) { return nil }
        var result: Int64 = 0
        var negative = false
        var simple = true
        for (position, byte) in value.enumerated() {
            if position == 0 && byte == 0x2D {
                negative = true
                continue
            }
            let digit = byte &- 0x30
            guard digit < 10 else {
                simple = false
                break
            }
            let (times, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else {
                simple = false
                break
            }
            result = sum
        }
        if simple && value.count > (negative ? 1 : 0) { return negative ? -result : result }
        guard let integer = (try? JSONParser().parse(value))?.int64Value else {
            throw ScanFailure("\(names[index]) is not a 64-bit integer")
        }
        return integer
    }

    /// A number member as a double (`null` gives `nil`).
    func double(_ index: Int) throws(ScanFailure) -> Double? {
        let value = try slice(index)
        if isNull(value) { return nil }
        guard let number = (try? JSONParser().parse(value))?.doubleValue, number.isFinite else {
            throw ScanFailure("\(names[index]) is not a finite number")
        }
        return number
    }

    /// A Boolean member that must not be null.
    func boolean(_ index: Int) throws(ScanFailure) -> Bool {
        let value = try slice(index)
        if value.elementsEqual("true".utf8) { return true }
        if value.elementsEqual("false".utf8) { return false }
        throw ScanFailure("\(names[index]) is not a Boolean")
    }

    /// A timestamp member (`null` gives `nil`), as microseconds since the epoch in UTC.
    func timestamp(_ index: Int) throws(ScanFailure) -> Int64? {
        guard let text = try string(index) else { return nil }
        guard let micros = RFC3339Timestamp.parse(text.utf8) else {
            throw ScanFailure("\(names[index]) is not an RFC 3339 date-time: \(text)")
        }
        return micros
    }

    /// Any JSON member, as its compact text exactly as stored (`null` gives `nil`).
    func json(_ index: Int) throws(ScanFailure) -> String? {
        let value = try slice(index)
        if isNull(value) { return nil }
        if validatesJSON {
            guard (try? JSONParser().parse(value)) != nil else {
                throw ScanFailure("\(names[index]) is not valid JSON")
            }
        }
        guard let text = String(validating: value, as: UTF8.self) else {
            throw ScanFailure("\(names[index]) is not valid UTF-8")
        }
        return text
    }

    /// An array of strings.
    func stringList(_ index: Int) throws(ScanFailure) -> [String] {
        let value = try slice(index)
        guard let elements = (try? JSONParser().parse(value))?.arrayValue else {
            throw ScanFailure("\(names[index]) is not an array")
        }
        var list: [String] = []
        list.reserveCapacity(elements.count)
        for element in elements {
            guard let text = element.stringValue else { throw ScanFailure("\(names[index]) holds a non-string") }
            list.append(text)
        }
        return list
    }

    /// Whether the member is present and JSON `null`.
    func isNull(_ index: Int) throws(ScanFailure) -> Bool {
        isNull(try slice(index))
    }

    /// The first byte of the member's value (to tell strings from other JSON).
    func firstByte(_ index: Int) throws(ScanFailure) -> UInt8 {
        try slice(index)[0]
    }
}

/// Why a line could not be scanned or a member decoded.
struct ScanFailure: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

extension JSONMemberScanner {
    /// Locates the wanted members, with a scan error as a ``ScanFailure``.
    func locate(_ line: UnsafeBufferPointer<UInt8>) throws(ScanFailure) -> [Range<Int>?] {
        do throws(JSONParseError) {
            return try scan(line)
        } catch {
            throw ScanFailure(error.message)
        }
    }
}
