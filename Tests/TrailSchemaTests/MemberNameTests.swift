import Testing
import TrailJSON
import TrailSchema

@Suite("member names match by Unicode scalars")
struct MemberNameTests {
    /// U+212B ANGSTROM SIGN and "A" + U+030A COMBINING RING ABOVE: canonically equivalent (Swift's `==` says
    /// equal), three UTF-8 bytes each, and different JSON names.
    static let angstrom = "\u{212B}"
    static let decomposed = "A\u{030A}"

    @Test("properties applies only to the name with the same scalars", arguments: [1, 20])
    func properties(padding: Int) throws {
        // More than 16 names takes the hashed lookup, fewer the scan.
        var properties: [(String, JSONValue)] = [(Self.angstrom, ["type": "string"])]
        for index in 0..<padding { properties.append(("p\(index)", true)) }
        let validator = try JSONSchemaValidator(schema: ["properties": .object(JSONObject(properties))])
        #expect(validator.isValid([Self.decomposed: 1]))
        #expect(!validator.isValid([Self.angstrom: 1]))
    }

    @Test("additionalProperties treats a canonically equivalent name as another name", arguments: [1, 20])
    func additionalProperties(padding: Int) throws {
        var properties: [(String, JSONValue)] = [(Self.angstrom, true)]
        for index in 0..<padding { properties.append(("p\(index)", true)) }
        let validator = try JSONSchemaValidator(schema: [
            "properties": .object(JSONObject(properties)), "additionalProperties": false,
        ])
        #expect(!validator.isValid([Self.decomposed: 1]))
        #expect(validator.isValid([Self.angstrom: 1]))
    }
}
