import TrailJSON

/// A piece of JSON that is already serialized and known to be valid, spliced into bodies verbatim.
///
/// The store keeps payloads (`model_input`, `model_output`, …) and whole trace bodies as text, so a
/// list page is a concatenation of stored bytes, with no re-encoding on the read path.
package struct JSONText: Sendable, Hashable, CustomStringConvertible {
    /// The serialized JSON.
    package let text: String

    /// Wraps serialized JSON; the caller vouches that it is valid.
    ///
    /// - Parameter text: one JSON value.
    package init(unchecked text: String) {
        self.text = text
    }

    /// `null`.
    package static let null = JSONText(unchecked: "null")

    package var description: String { text }
}

/// Appends JSON pieces to a string: the emulator's writer for bodies built from stored fragments.
struct JSONWriter {
    private(set) var output = ""
    private var needsComma: [Bool] = []

    init(capacity: Int = 256) {
        output.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        separate()
        output += "{"
        needsComma.append(false)
    }

    mutating func endObject() {
        output += "}"
        needsComma.removeLast()
    }

    mutating func beginArray() {
        separate()
        output += "["
        needsComma.append(false)
    }

    mutating func endArray() {
        output += "]"
        needsComma.removeLast()
    }

    mutating func key(_ key: String) {
        separate()
        Self.appendQuoted(key, to: &output)
        output += ":"
        afterKey = true
    }

    private var afterKey = false

    mutating func string(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &output)
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    mutating func int(_ value: Int) { raw(String(value)) }

    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    mutating func raw(_ text: String) {
        separate()
        output += text
    }

    mutating func json(_ value: JSONText?) { raw(value?.text ?? "null") }

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        if let last = needsComma.last {
            if last { output += "," }
            needsComma[needsComma.count - 1] = true
        }
    }

    /// Appends `value` as a JSON string literal, escaped by TrailJSON's writer (the one JSON writer every
    /// module shares: RFC 8259 escapes, non-ASCII kept as UTF-8).
    static func appendQuoted(_ value: String, to output: inout String) {
        output += JSONValue.string(value).serializedString()
    }

    /// `value` as a JSON string literal.
    static func quoted(_ value: String) -> String {
        var output = ""
        appendQuoted(value, to: &output)
        return output
    }
}
