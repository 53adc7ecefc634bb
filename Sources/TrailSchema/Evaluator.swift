import Foundation
import TrailJSON

/// The set of evaluated array indices or object members (by position) that `unevaluated*` consult.
///
/// The first 64 positions live in a word of their own, so objects and arrays of up to 64 members allocate
/// nothing; the rest go to `more`, which is `nil` until then, so that making, merging and dropping the sets
/// of small instances touches no reference count (shared by every thread, for the empty array).
struct EvaluatedSet {
    var all = false
    var first: UInt64 = 0
    var more: [UInt64]?

    func contains(_ index: Int) -> Bool {
        if all { return true }
        if index < 64 { return first & (1 << UInt64(index)) != 0 }
        let word = (index >> 6) - 1
        guard let more else { return false }
        return word < more.count && more[word] & (1 << UInt64(index & 63)) != 0
    }

    mutating func insert(_ index: Int) {
        if index < 64 {
            first |= 1 << UInt64(index)
            return
        }
        let word = (index >> 6) - 1
        var words = more ?? []
        more = nil
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        words[word] |= 1 << UInt64(index & 63)
        more = words
    }

    mutating func formUnion(_ other: EvaluatedSet) {
        if other.all { all = true }
        if all { return }
        first |= other.first
        guard let others = other.more else { return }
        var words = more ?? []
        more = nil
        if others.count > words.count { words.append(contentsOf: repeatElement(0, count: others.count - words.count)) }
        for index in others.indices { words[index] |= others[index] }
        more = words
    }
}

/// The annotations `unevaluatedProperties` and `unevaluatedItems` depend on, for one instance location.
struct Annotations {
    var properties = EvaluatedSet()
    var items = EvaluatedSet()

    mutating func merge(_ other: Annotations) {
        properties.formUnion(other.properties)
        items.formUnion(other.items)
    }
}

/// The schema resources evaluation is inside, outermost first: `$dynamicRef`'s dynamic scope, kept only for
/// schemas that use `$dynamicRef`. ``Evaluator`` keeps ``SchemaResource``s, ``TapeEvaluator`` their indices
/// in its ``TapeProgram``.
struct DynamicScope<Resource: Equatable> {
    let isKept: Bool
    private(set) var resources: [Resource] = []

    init(isKept: Bool) {
        self.isKept = isKept
    }

    /// Enters `resource` unless it is the innermost already; returns whether it did, so that the caller
    /// leaves it.
    @inline(__always)
    mutating func enter(_ resource: Resource) -> Bool {
        guard isKept, resources.last != resource else { return false }
        resources.append(resource)
        return true
    }

    mutating func leave() {
        resources.removeLast()
    }

    /// Where a `$dynamicRef` with static target `target` leads: the dynamic anchor named `anchor` of the
    /// outermost resource in scope that declares one (`anchors` finds a resource's anchor by name), or the
    /// static target when there is none or the reference names no anchor.
    func target<Target, Name>(_ target: Target, anchor: Name?, anchors: (Resource, Name) -> Target?) -> Target {
        guard let anchor else { return target }
        for resource in resources {
            if let dynamic = anchors(resource, anchor) { return dynamic }
        }
        return target
    }
}

/// The limits on how deep evaluation goes, which both evaluators check on entering a schema.
enum NestingLimit {
    /// More than ``Evaluator/maximumDepth`` schemas: the schema probably loops.
    case schemas
    /// Less stack left than ``StackGuard`` keeps in reserve.
    case stack

    /// The limit reached on entering a schema `depth` levels deep, if any. The stack is checked every eighth
    /// level: far fewer frames than the guard's margin holds, at a fraction of the cost.
    @inline(__always)
    static func reached(at depth: Int) -> NestingLimit? {
        if depth > Evaluator.maximumDepth { return .schemas }
        if depth & 7 == 0, StackGuard.isLow() { return .stack }
        return nil
    }
}

/// Evaluates compiled schemas against one instance.
///
/// With `collect` off it stops at the first failure and builds no paths; with it on it gathers every error
/// with its locations. Annotations are tracked only when the schema uses `unevaluated*`.
struct Evaluator {
    let collect: Bool
    let track: Bool
    var errors: [SchemaViolation] = []
    var instancePath: [String] = []
    var keywordPath: [String] = []
    var scope: DynamicScope<SchemaResource>
    var depth = 0
    var applicator = ""

    static let maximumDepth = 3_000

    init(collect: Bool, track: Bool, scoped: Bool) {
        self.collect = collect
        self.track = track
        scope = DynamicScope(isKept: scoped)
    }

    // MARK: Reporting

    /// Records an error when errors are collected. The message is built only then: the fast path fails often
    /// and on purpose (in `if`, `anyOf`, `not`) and must not pay for messages nobody reads.
    mutating func fail(
        _ node: SchemaNode,
        _ keyword: String,
        _ message: @autoclosure () -> String,
        details: [SchemaViolation] = []
    ) {
        guard collect else { return }
        errors.append(
            SchemaViolation(
                instanceLocation: JSONPointer(tokens: instancePath),
                keywordLocation: JSONPointer(tokens: keywordPath + [keyword]),
                absoluteKeywordLocation: node.absoluteLocation + "/" + JSONPointer.escape(keyword),
                keyword: keyword,
                message: message(),
                details: details
            )
        )
    }

    // MARK: Schemas

    mutating func evaluate(_ node: SchemaNode, _ instance: JSONValue, _ annotations: inout Annotations) -> Bool {
        if let flag = node.boolean {
            if !flag && collect {
                errors.append(
                    SchemaViolation(
                        instanceLocation: JSONPointer(tokens: instancePath),
                        keywordLocation: JSONPointer(tokens: keywordPath),
                        absoluteKeywordLocation: node.absoluteLocation,
                        keyword: applicator.isEmpty ? "false" : applicator,
                        message: instancePath.isEmpty
                            ? "no value is allowed by this schema" : "no value is allowed here"
                    )
                )
            }
            return flag
        }
        depth += 1
        defer { depth -= 1 }
        switch NestingLimit.reached(at: depth) {
        case .schemas?:
            fail(
                node,
                "$ref",
                "evaluation nests more than \(Self.maximumDepth) schemas deep; the schema probably loops"
            )
            return false
        case .stack?:
            let depth = self.depth
            fail(
                node,
                "$ref",
                "evaluation nests \(depth) schemas deep, more than this thread's stack holds; the schema or the "
                    + "instance is nested too deep"
            )
            return false
        case nil:
            break
        }
        let entered = scope.enter(node.resource)
        defer { if entered { scope.leave() } }
        // Borrowed from the node's program: a `for`-`in` loop or the array's subscript would copy every keyword
        // (retaining its payload).
        let program = node.program
        guard let first = program.baseAddress else { return true }
        var valid = true
        for index in program.indices where !evaluate((first + index).pointee, node, instance, &annotations) {
            valid = false
            if !collect { return false }
        }
        return valid
    }

    /// Evaluates a subschema against the same instance, merging its annotations when it passes.
    ///
    /// `tokens` (the keyword path below this schema) is evaluated only when errors are collected, so the
    /// fast ``JSONSchemaValidator/isValid(_:)-(JSONValue)`` path builds no paths.
    mutating func inPlace(
        _ child: SchemaNode,
        _ instance: JSONValue,
        _ tokens: @autoclosure () -> [String],
        _ annotations: inout Annotations
    ) -> Bool {
        var pushed = 0
        if collect {
            let tokens = tokens()
            keywordPath.append(contentsOf: tokens)
            applicator = tokens[0]
            pushed = tokens.count
        }
        var childAnnotations = Annotations()
        let valid = evaluate(child, instance, &childAnnotations)
        if collect { keywordPath.removeLast(pushed) }
        if valid && track { annotations.merge(childAnnotations) }
        return valid
    }

    /// Runs `body` on an evaluator that collects no errors (this one, when it collects none), in the same scope
    /// and at the same depth: for a verdict whose errors would be dropped, or are needed only when it fails.
    /// The verdict and the annotations are those `body` gives on this evaluator.
    mutating func quietly(_ body: (inout Evaluator) -> Bool) -> Bool {
        guard collect else { return body(&self) }
        var quiet = Evaluator(collect: false, track: track, scoped: scope.isKept)
        quiet.scope = scope
        quiet.depth = depth
        return body(&quiet)
    }

    /// Evaluates a subschema against a member or element of the instance.
    ///
    /// `token` and `tokens` are evaluated only when errors are collected.
    mutating func descend(
        _ child: SchemaNode,
        _ value: JSONValue,
        _ token: @autoclosure () -> String,
        _ tokens: @autoclosure () -> [String]
    ) -> Bool {
        // A leaf schema of one `type` needs no frame, no path and no annotations on the fast path.
        if !collect, let mask = child.onlyType { return Self.matches(mask, value) }
        var pushed = 0
        if collect {
            let tokens = tokens()
            instancePath.append(token())
            keywordPath.append(contentsOf: tokens)
            applicator = tokens[0]
            pushed = tokens.count
        }
        var childAnnotations = Annotations()
        let valid = evaluate(child, value, &childAnnotations)
        if collect {
            instancePath.removeLast()
            keywordPath.removeLast(pushed)
        }
        return valid
    }

    /// Runs `body` and takes back the errors it reported.
    mutating func capturing(_ body: (inout Evaluator) -> Bool) -> (Bool, [SchemaViolation]) {
        let mark = errors.count
        let valid = body(&self)
        guard collect else { return (valid, []) }
        let captured = Array(errors[mark...])
        errors.removeSubrange(mark...)
        return (valid, captured)
    }

    /// The errors of each branch of `applicator`, none of which matched, evaluated again with errors collected
    /// (empty when errors are not collected).
    mutating func branchErrors(
        _ children: [SchemaNode],
        _ applicator: String,
        _ instance: JSONValue,
        _ annotations: inout Annotations
    ) -> [SchemaViolation] {
        guard collect else { return [] }
        var details: [SchemaViolation] = []
        for (index, child) in children.enumerated() {
            let (_, errors) = capturing { $0.inPlace(child, instance, [applicator, String(index)], &annotations) }
            details += errors
        }
        return details
    }

    // MARK: Keywords

    mutating func evaluate(
        _ keyword: borrowing Keyword,
        _ node: SchemaNode,
        _ instance: JSONValue,
        _ annotations: inout Annotations
    ) -> Bool {
        switch keyword {
        case .type(let mask):
            if Self.matches(mask, instance) { return true }
            fail(node, "type", "expected \(mask.description), found \(Self.found(instance, mask))")
            return false

        case .enumeration(let values):
            if values.contains(instance) { return true }
            fail(node, "enum", "\(describe(instance)) is not one of the allowed values: \(Self.shown(values))")
            return false

        case .constant(let boxed):
            let value = boxed.value
            if value == instance { return true }
            fail(node, "const", "expected \(describe(value)), found \(describe(instance))")
            return false

        case .multipleOf(let boxed):
            let divisor = boxed.value
            guard case .number(let number) = instance else { return true }
            if Self.isMultiple(number, of: divisor) { return true }
            fail(node, "multipleOf", "\(number) is not a multiple of \(divisor)")
            return false

        case .minimum(let boxed):
            let limit = boxed.value
            guard case .number(let number) = instance, number < limit else { return true }
            fail(node, "minimum", "\(number) is less than the minimum of \(limit)")
            return false

        case .maximum(let boxed):
            let limit = boxed.value
            guard case .number(let number) = instance, limit < number else { return true }
            fail(node, "maximum", "\(number) is greater than the maximum of \(limit)")
            return false

        case .exclusiveMinimum(let boxed):
            let limit = boxed.value
            guard case .number(let number) = instance, !(limit < number) else { return true }
            fail(node, "exclusiveMinimum", "\(number) must be greater than \(limit)")
            return false

        case .exclusiveMaximum(let boxed):
            let limit = boxed.value
            guard case .number(let number) = instance, !(number < limit) else { return true }
            fail(node, "exclusiveMaximum", "\(number) must be less than \(limit)")
            return false

        case .minLength(let limit):
            // A code point takes one to four UTF-8 bytes: the byte count often decides without counting.
            guard case .string(let string) = instance, string.utf8.count / 4 < limit else { return true }
            let length = codePointCount(string)
            if length >= limit { return true }
            fail(
                node,
                "minLength",
                "string is \(counted(length, "character")) long; at least \(grouped(limit)) required"
            )
            return false

        case .maxLength(let limit):
            guard case .string(let string) = instance, string.utf8.count > limit else { return true }
            let length = codePointCount(string)
            if length <= limit { return true }
            fail(node, "maxLength", "string is \(counted(length, "character")) long; the limit is \(grouped(limit))")
            return false

        case .maxUtf8Bytes(let limit):
            guard case .string(let string) = instance, string.utf8.count > limit else { return true }
            fail(
                node,
                "maxUtf8Bytes",
                "string is \(counted(string.utf8.count, "byte")) of UTF-8; the limit is \(grouped(limit))"
            )
            return false

        case .pattern(let pattern):
            guard case .string(let string) = instance, !pattern.matches(string) else { return true }
            fail(node, "pattern", "\(describe(instance)) does not match the pattern \(pattern.source)")
            return false

        case .format(let boxed):
            let format = boxed.value
            guard case .string(let string) = instance, !format.check(string) else { return true }
            fail(node, "format", "\(describe(instance)) is not a valid \(format.name)")
            return false

        case .minItems(let limit):
            guard case .array(let elements) = instance, elements.count < limit else { return true }
            fail(node, "minItems", "array has \(counted(elements.count, "item")); at least \(grouped(limit)) required")
            return false

        case .maxItems(let limit):
            guard case .array(let elements) = instance, elements.count > limit else { return true }
            fail(node, "maxItems", "array has \(counted(elements.count, "item")); the limit is \(grouped(limit))")
            return false

        case .uniqueItems:
            guard case .array(let elements) = instance, let (first, second) = Self.duplicate(in: elements) else {
                return true
            }
            fail(node, "uniqueItems", "items \(first) and \(second) are equal; items must be unique")
            return false

        case .minProperties(let limit):
            guard case .object(let object) = instance, object.count < limit else { return true }
            fail(
                node,
                "minProperties",
                "object has \(counted(object.count, "property", "properties")); at least \(grouped(limit)) required"
            )
            return false

        case .maxProperties(let limit):
            guard case .object(let object) = instance, object.count > limit else { return true }
            fail(
                node,
                "maxProperties",
                "object has \(counted(object.count, "property", "properties")); the limit is \(grouped(limit))"
            )
            return false

        case .required(let names):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for name in names where !object.contains(key: name) {
                valid = false
                if !collect { return false }
                fail(node, "required", "required property \"\(name)\" is missing")
            }
            return valid

        case .dependentRequired(let pairs, let name):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for (property, dependencies) in pairs where object.contains(key: property) {
                for dependency in dependencies where !object.contains(key: dependency) {
                    valid = false
                    if !collect { return false }
                    fail(node, name.rawValue, "property \"\(dependency)\" is required when \"\(property)\" is present")
                }
            }
            return valid

        default:
            return evaluateApplicator(keyword, node, instance, &annotations)
        }
    }

    /// What an instance of the wrong type is, for a message.
    static func found(_ instance: JSONValue, _ mask: TypeMask) -> String {
        if case .number(let number) = instance, mask.contains(.integer) { return "number \(number)" }
        return instance.typeName
    }

    /// The first few of a list of allowed values, for a message.
    static func shown(_ values: [JSONValue]) -> String {
        values.prefix(6).map(describe).joined(separator: ", ") + (values.count > 6 ? ", …" : "")
    }

    static func matches(_ mask: TypeMask, _ instance: JSONValue) -> Bool {
        switch instance {
        case .null: return mask.contains(.null)
        case .bool: return mask.contains(.boolean)
        case .string: return mask.contains(.string)
        case .array: return mask.contains(.array)
        case .object: return mask.contains(.object)
        case .number(let number):
            return mask.contains(.number) || mask.contains(.integer) && number.isInteger
        }
    }

    static func isMultiple(_ number: JSONNumber, of divisor: JSONNumber) -> Bool {
        if let value = number.int64Value, let step = divisor.int64Value, step != 0, number.isInt64 {
            return value % step == 0
        }
        let value = number.doubleValue
        let step = divisor.doubleValue
        let quotient = value / step
        if !quotient.isFinite { return fmod(value, step) == 0 }
        let rounded = quotient.rounded()
        return abs(quotient - rounded) <= 1e-9 * max(1, abs(quotient))
    }

    /// The first pair of equal items: for a few items, the first item that has an equal later one; for more,
    /// the first item equal to an earlier one. Items are compared in full only when their fingerprints
    /// agree.
    static func duplicate(in elements: [JSONValue]) -> (Int, Int)? {
        duplicate(fingerprints: elements.map(JSONFingerprint.of)) { elements[$0] == elements[$1] }
    }

    /// The first pair of equal items (see ``duplicate(in:)``), given their fingerprints and how to compare two.
    static func duplicate(fingerprints: [UInt64], equal: (Int, Int) -> Bool) -> (Int, Int)? {
        let count = fingerprints.count
        if count < 2 { return nil }
        if count <= 32 {
            for first in 0..<count {
                for second in (first + 1)..<count
                where fingerprints[first] == fingerprints[second] && equal(first, second) {
                    return (first, second)
                }
            }
            return nil
        }
        // An open-addressing table of item positions, probed linearly: items with the same fingerprint meet
        // on one probe sequence in the order they were inserted, so the first equal one found is the earliest.
        var capacity = 64
        while capacity < count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int](repeating: -1, count: capacity)
        for (index, fingerprint) in fingerprints.enumerated() {
            var slot = Int(truncatingIfNeeded: fingerprint) & mask
            while slots[slot] >= 0 {
                let earlier = slots[slot]
                if fingerprints[earlier] == fingerprint && equal(earlier, index) {
                    return (earlier, index)
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = index
        }
        return nil
    }
}

/// The number of Unicode code points in `string` (what `minLength` and `maxLength` count).
func codePointCount(_ string: String) -> Int {
    string.utf8.withContiguousStorageIfAvailable(codePointCount) ?? string.unicodeScalars.count
}

/// The number of Unicode code points in valid UTF-8 `bytes`: every byte that is not a continuation byte
/// (`10xxxxxx`) starts one.
func codePointCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var continuation = 0
    for byte in bytes where byte & 0xC0 == 0x80 { continuation &+= 1 }
    return bytes.count &- continuation
}
