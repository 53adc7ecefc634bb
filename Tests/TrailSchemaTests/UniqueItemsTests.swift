import Testing
import TrailJSON

@testable import TrailSchema

@Suite("uniqueItems")
struct UniqueItemsTests {
    let validator: JSONSchemaValidator

    init() throws {
        validator = try JSONSchemaValidator(schema: ["uniqueItems": true])
    }

    /// Objects with `count` distinct members each: `{"k": i, "v": "item i"}`.
    static func distinct(_ count: Int) -> [JSONValue] {
        (0..<count).map { ["k": .number(JSONNumber($0)), "v": .string("item \($0)")] }
    }

    @Test("equal values have equal fingerprints, whatever their spelling or member order")
    func fingerprints() throws {
        let pairs: [(String, String)] = [
            (#"{"a":1,"b":[1.0,"x"]}"#, #"{"b":[1,"x"],"a":1.0}"#), ("-0.0", "0"), ("1e2", "100"),
            (#""é""#, #""\u00e9""#), ("123456789012345678901234567890", "123456789012345678901234567890"),
        ]
        for (left, right) in pairs {
            let a = try JSONValue(parsing: left)
            let b = try JSONValue(parsing: right)
            #expect(a == b)
            #expect(JSONFingerprint.of(a) == JSONFingerprint.of(b), "\(left) and \(right)")
        }
        // Unequal values almost never share one; these must not.
        #expect(JSONFingerprint.of(["a": 1]) != JSONFingerprint.of(["a": 2]))
        #expect(JSONFingerprint.of(["a", "b"]) != JSONFingerprint.of(["b", "a"]))
        #expect(JSONFingerprint.of(["ab": "c"]) != JSONFingerprint.of(["a": "bc"]))
        // A member whose key is its string value, and strings of every short length.
        #expect(JSONFingerprint.of(["a": "a"]) != JSONFingerprint.of(["b": "b"]))
        let strings = (0...24).flatMap { length in
            ["x", "y"].map { JSONValue.string(String(repeating: "a", count: length) + $0) }
        }
        #expect(Set(strings.map(JSONFingerprint.of)).count == strings.count)
    }

    @Test("objects whose keys are their values are told apart without comparing each pair")
    func keysAsValues() throws {
        let items = (0..<3_000).map { JSONValue.object(["k\($0)": .string("k\($0)")]) }
        #expect(Set(items.map(JSONFingerprint.of)).count == items.count)
        var tape = JSONTape()
        let text = JSONValue.array(items).serialized()
        #expect(text.withUnsafeBufferPointer { tape.parse($0) })
        #expect(validator.isValid(tape))
        TapeView.with(tape) { view in
            let fingerprints = view.elements(of: 0).map { JSONFingerprint.of(view, $0.node) }
            #expect(fingerprints == items.map(JSONFingerprint.of))
        }
    }

    /// Up to 32 items in all.
    @Test("a few items: the first item that has an equal later one is reported", arguments: [3, 30])
    func fewItems(count: Int) {
        var items = Self.distinct(count)
        items.append(items[2])
        items.append(items[1])
        let result = validator.validate(.array(items))
        #expect(result.errors.map(\.message) == ["items 1 and \(count + 1) are equal; items must be unique"])
        #expect(validator.isValid(.array(Self.distinct(count))))
    }

    @Test("many items: the first item equal to an earlier one is reported", arguments: [33, 5_000])
    func manyItems(count: Int) throws {
        var items = Self.distinct(count)
        // The same object with its members in the other order.
        items.append(try JSONValue(parsing: #"{"v":"item 7","k":7.0}"#))
        items.append(items[1])
        let result = validator.validate(.array(items))
        #expect(result.errors.map(\.message) == ["items 7 and \(count) are equal; items must be unique"])
        #expect(validator.isValid(.array(Self.distinct(count))))
    }
}
