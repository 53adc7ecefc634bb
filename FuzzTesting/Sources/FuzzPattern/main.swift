import FuzzSupport
import TrailJSON
import TrailSchema

/// `pattern` on arbitrary patterns and strings: `PATTERN \0 STRING`. Patterns that PromptTrail matches without
/// the regular-expression engine (literals, ASCII sets with quantifiers, groups and alternation) must give the
/// engine's verdict: the same pattern behind an empty lookahead, `(?=)`, which changes no match but sends it to
/// the engine. Patterns of at most 24 bytes and strings of at most 16, so that the engine's backtracking stays
/// within the time limit.
Fuzz.main(fuzzPattern)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPattern(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (patternBytes, stringBytes) = Fuzz.split(Fuzz.bytes(start, count))
    guard patternBytes.count <= 24, stringBytes.count <= 16,
        let pattern = String(validating: patternBytes, as: UTF8.self)
    else { return 0 }
    let string = String(decoding: stringBytes, as: UTF8.self)
    let options = ValidationOptions(validateSchema: false)
    guard let direct = try? JSONSchemaValidator(schema: ["pattern": .string(pattern)], options: options),
        let engine = try? JSONSchemaValidator(schema: ["pattern": .string("(?=)" + pattern)], options: options)
    else { return 0 }
    let verdict = direct.isValid(.string(string))
    guard verdict == engine.isValid(.string(string)) else {
        Fuzz.fail("pattern \(pattern) on \"\(string)\": \(verdict), the engine says \(!verdict)")
    }
    // The same verdict again, now that it may be kept (RecentVerdicts).
    guard direct.isValid(.string(string)) == verdict else { Fuzz.fail("a kept verdict differs") }
    return 0
}
