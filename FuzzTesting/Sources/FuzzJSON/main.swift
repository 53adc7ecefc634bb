import FuzzSupport
import TrailJSON

/// The JSON parser on arbitrary bytes: plain parsing, parsing under projections and parsing into a tape must
/// accept the same documents (the first two with the same errors), projections must keep what they name, the
/// tape must hold the parsed value and write its canonical form, and a parsed value must survive serialization
/// (compact, pretty, sorted and canonical).
Fuzz.main(fuzzJSON)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    let parser = JSONParser()
    let full = Result { try parser.parse(bytes) }
    let value = try? full.get()
    for projection in [JSONProjection.whole, .typeOnly] + Projections.derived(from: value) {
        let projected = Result { try parser.parse(bytes, projection: projection) }
        var tape = JSONTape()
        let taped = bytes.withUnsafeBufferPointer { tape.parse($0, projection: projection) }
        guard taped == (value != nil) else {
            Fuzz.fail(
                "plain parsing gave \(full), parsing into a tape under \(projection) \(taped ? "succeeded" : "failed")"
            )
        }
        if let value, taped { Projections.check(tape.value(at: 0), against: value, under: projection) }
        if let value, taped, projection.isWhole, tape.canonicalized(at: 0) != value.canonicalized() {
            Fuzz.fail("the canonical form written from the tape differs from the value's")
        }
        switch (full, projected) {
        case (.success(let whole), .success(let part)):
            Projections.check(part, against: whole, under: projection)
        case (.failure(let a), .failure(let b)) where "\(a)" == "\(b)":
            continue
        default:
            Fuzz.fail("plain parsing gave \(full), parsing under \(projection) gave \(projected)")
        }
    }
    guard let value else { return 0 }
    for (pretty, sorted) in [(false, false), (true, false), (false, true)] {
        let text = value.serialized(pretty: pretty, sortedKeys: sorted)
        guard let again = try? parser.parse(text), again == value, again.hashValue == value.hashValue else {
            Fuzz.fail("serialized (pretty \(pretty), sorted \(sorted)) value does not parse back equal")
        }
        if !pretty && !sorted && again.serialized() != text { Fuzz.fail("serializing again changed the text") }
    }
    guard (try? parser.parse(value.canonicalized())) != nil else { Fuzz.fail("the canonical form does not parse") }
    return 0
}

enum Projections {
    /// Projections over the document's own member names, nested a few levels, keeping or dropping the rest.
    static func derived(from value: JSONValue?) -> [JSONProjection] {
        guard let value else { return [.members([:], others: .typeOnly)] }
        return [shaped(value, depth: 0, keep: false), shaped(value, depth: 0, keep: true)]
    }

    private static func shaped(_ value: JSONValue, depth: Int, keep: Bool) -> JSONProjection {
        guard depth < 4, case .object(let object) = value else { return keep ? .whole : .typeOnly }
        var named: [String: JSONProjection] = [:]
        for (index, member) in object.enumerated() where index % 2 == (keep ? 1 : 0) {
            named[member.key] = shaped(member.value, depth: depth + 1, keep: !keep)
        }
        return .members(named, others: keep ? .whole : .typeOnly)
    }

    /// `part` (parsed under `projection`) must equal `whole` wherever the projection keeps values, and have
    /// its type everywhere else.
    static func check(_ part: JSONValue, against whole: JSONValue, under projection: JSONProjection) {
        if part == whole { return }
        switch (projection, part, whole) {
        case (.whole, _, _):
            Fuzz.fail("a value kept whole differs from plain parsing")
        case (.typeOnly, .string(let text), .string) where text.isEmpty:
            return
        case (.typeOnly, .array(let items), .array) where items.isEmpty:
            return
        case (.typeOnly, .object(let members), .object) where members.isEmpty:
            return
        case (.members(let named, let others), .object(let a), .object(let b)) where a.keys == b.keys:
            for (key, index) in zip(a.keys, a.indices) {
                check(a[index].value, against: b[index].value, under: named[key] ?? others)
            }
        default:
            Fuzz.fail("a projected value is neither the plain value nor an empty one of its type")
        }
    }
}
