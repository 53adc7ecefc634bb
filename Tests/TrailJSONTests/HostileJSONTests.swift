import Testing
import TrailJSON

/// Hostile shapes for the parser, whole and under projections (see FuzzTesting/).
@Suite("Hostile JSON")
struct HostileJSONTests {
    @Test("100,000 nested arrays or objects fail at the limit of 512, whole or projected")
    func hostileNesting() throws {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = Array(
                (String(repeating: open, count: 100_000) + "0" + String(repeating: close, count: 100_000)).utf8
            )
            for projection in [JSONProjection.whole, .typeOnly, .members(["a": .typeOnly], others: .whole)] {
                let error = try #require(throws: JSONParseError.self) {
                    try JSONParser().parse(text, projection: projection)
                }
                #expect(error.code == .depthLimitExceeded)
                #expect(error.message == "arrays and objects are nested more than 512 levels deep")
            }
        }
    }
}
