import TrailJSON

/// Decides whether a document parsed into a ``JSONTape`` is valid: the verdict ``Evaluator`` reaches with
/// errors off, read from the tape's flat buffers instead of a ``JSONValue`` tree.
///
/// It collects no errors: a caller that needs them for an invalid document evaluates its tree with
/// ``Evaluator``. Each keyword below reaches the verdict `Evaluator.evaluate(_:_:_:_:)` reaches for it, which
/// the JSON-Schema-Test-Suite checks in both (`TapeEvaluatorTests`). Instances are node indices.
struct TapeEvaluator {
    let tape: TapeView
    let track: Bool
    var scope: DynamicScope
    var depth = 0
    /// The number read last and where: a number node is often checked against both a minimum and a maximum.
    var numberIndex = -1
    var lastNumber = JSONNumber(0)

    init(tape: TapeView, track: Bool, scoped: Bool) {
        self.tape = tape
        self.track = track
        scope = DynamicScope(isKept: scoped)
    }

    // MARK: Schemas

    mutating func evaluate(_ node: SchemaNode, _ instance: Int, _ annotations: inout Annotations) -> Bool {
        if let flag = node.boolean { return flag }
        depth += 1
        defer { depth -= 1 }
        if NestingLimit.reached(at: depth) != nil { return false }
        let entered = scope.enter(node)
        defer { if entered { scope.leave() } }
        let program = node.program
        guard let first = program.baseAddress else { return true }
        for index in program.indices where !evaluate((first + index).pointee, instance, &annotations) {
            return false
        }
        return true
    }

    /// A subschema against the same instance, merging its annotations when it passes.
    @inline(__always)
    mutating func inPlace(_ child: SchemaNode, _ instance: Int, _ annotations: inout Annotations) -> Bool {
        var childAnnotations = Annotations()
        let valid = evaluate(child, instance, &childAnnotations)
        if valid && track { annotations.merge(childAnnotations) }
        return valid
    }

    /// A subschema against a member or element.
    @inline(__always)
    mutating func descend(_ child: SchemaNode, _ value: Int) -> Bool {
        if let mask = child.onlyType { return matches(mask, value) }
        var childAnnotations = Annotations()
        return evaluate(child, value, &childAnnotations)
    }

    @inline(__always)
    func matches(_ mask: TypeMask, _ instance: Int) -> Bool {
        switch tape.kind(instance) {
        case .null: mask.contains(.null)
        case .true, .false: mask.contains(.boolean)
        case .string: mask.contains(.string)
        case .array: mask.contains(.array)
        case .object: mask.contains(.object)
        case .number: mask.contains(.number) || mask.contains(.integer) && tape.isInteger(instance)
        }
    }

    /// The number at `index`, read once for consecutive keywords.
    @inline(__always)
    mutating func number(_ index: Int) -> JSONNumber {
        if index != numberIndex {
            numberIndex = index
            lastNumber = tape.number(index)
        }
        return lastNumber
    }

    // MARK: Keywords

    mutating func evaluate(_ keyword: borrowing Keyword, _ instance: Int, _ annotations: inout Annotations) -> Bool {
        let kind = tape.kind(instance)
        switch keyword {
        case .type(let mask):
            return matches(mask, instance)
        case .enumeration(let values):
            return values.contains { tape.equal(instance, $0) }
        case .constant(let boxed):
            return tape.equal(instance, boxed.value)
        case .multipleOf(let boxed):
            return kind != .number || Evaluator.isMultiple(number(instance), of: boxed.value)
        case .minimum(let boxed):
            return kind != .number || !(number(instance) < boxed.value)
        case .maximum(let boxed):
            return kind != .number || !(boxed.value < number(instance))
        case .exclusiveMinimum(let boxed):
            return kind != .number || boxed.value < number(instance)
        case .exclusiveMaximum(let boxed):
            return kind != .number || number(instance) < boxed.value
        case .minLength(let limit):
            guard kind == .string, tape.count(instance) / 4 < limit else { return true }
            return codePointCount(tape.string(instance)) >= limit
        case .maxLength(let limit):
            guard kind == .string, tape.count(instance) > limit else { return true }
            return codePointCount(tape.string(instance)) <= limit
        case .maxUtf8Bytes(let limit):
            return kind != .string || tape.count(instance) <= limit
        case .pattern(let pattern):
            return kind != .string || pattern.matches(utf8: tape.string(instance))
        case .format(let boxed):
            return kind != .string || boxed.value.check(String(decoding: tape.string(instance), as: UTF8.self))
        case .minItems(let limit):
            return kind != .array || tape.count(instance) >= limit
        case .maxItems(let limit):
            return kind != .array || tape.count(instance) <= limit
        case .uniqueItems:
            return kind != .array || !hasDuplicate(instance)
        case .minProperties(let limit):
            return kind != .object || tape.count(instance) >= limit
        case .maxProperties(let limit):
            return kind != .object || tape.count(instance) <= limit
        case .required(let names):
            guard kind == .object else { return true }
            for name in names where !tape.contains(name, in: instance) { return false }
            return true
        case .dependentRequired(let pairs, _):
            guard kind == .object else { return true }
            for (property, dependencies) in pairs where tape.contains(property, in: instance) {
                for dependency in dependencies where !tape.contains(dependency, in: instance) { return false }
            }
            return true
        default:
            return evaluateApplicator(keyword, kind, instance, &annotations)
        }
    }

    /// Whether two items of the array at `index` are equal.
    func hasDuplicate(_ index: Int) -> Bool {
        guard tape.count(index) >= 2 else { return false }
        var items: [Int] = []
        items.reserveCapacity(tape.count(index))
        var child = index + 1
        while child < tape.end(index) {
            items.append(child)
            child = tape.end(child)
        }
        let tape = tape
        let fingerprints = items.map { JSONFingerprint.of(tape, $0) }
        return Evaluator.duplicate(fingerprints: fingerprints) { tape.equal(items[$0], items[$1]) } != nil
    }

    /// The keywords that apply subschemas.
    mutating func evaluateApplicator(
        _ keyword: borrowing Keyword,
        _ kind: JSONTape.Kind,
        _ instance: Int,
        _ annotations: inout Annotations
    ) -> Bool {
        switch keyword {
        case .properties(let schemas):
            guard kind == .object else { return true }
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                if let found = schemas.table.position(of: tape.string(key)) {
                    if track { annotations.properties.insert(position) }
                    if !descend(schemas.nodes[found], key + 1) { return false }
                }
                key = tape.end(key + 1)
                position += 1
            }
            return true

        case .patternProperties(let pairs):
            guard kind == .object else { return true }
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                let name = tape.string(key)
                for (pattern, child) in pairs where pattern.matches(utf8: name) {
                    if track { annotations.properties.insert(position) }
                    if !descend(child, key + 1) { return false }
                }
                key = tape.end(key + 1)
                position += 1
            }
            return true

        case .additionalProperties(let child, let scope):
            guard kind == .object else { return true }
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                if !scope.covers(tape.string(key)) {
                    if track { annotations.properties.insert(position) }
                    if child.boolean == false || !descend(child, key + 1) { return false }
                }
                key = tape.end(key + 1)
                position += 1
            }
            return true

        case .propertyNames(let child):
            guard kind == .object else { return true }
            var key = instance + 1
            let end = tape.end(instance)
            while key < end {
                // A key is a string node: the name as an instance.
                if !descend(child, key) { return false }
                key = tape.end(key + 1)
            }
            return true

        case .dependentSchemas(let pairs, _):
            guard kind == .object else { return true }
            for (property, child) in pairs where tape.contains(property, in: instance) {
                if !inPlace(child, instance, &annotations) { return false }
            }
            return true

        case .prefixItems(let children, _):
            guard kind == .array else { return true }
            var element = instance + 1
            let end = tape.end(instance)
            var index = 0
            while index < children.count && element < end {
                if track { annotations.items.insert(index) }
                if !descend(children[index], element) { return false }
                element = tape.end(element)
                index += 1
            }
            return true

        case .items(let child, let start, _):
            guard kind == .array, tape.count(instance) > start else { return true }
            if track { annotations.items.all = true }
            if child.boolean == false { return false }
            var element = instance + 1
            let end = tape.end(instance)
            var index = 0
            while element < end {
                if index >= start && !descend(child, element) { return false }
                element = tape.end(element)
                index += 1
            }
            return true

        case .contains(let child, let minimum, let maximum):
            guard kind == .array else { return true }
            var matches = 0
            var element = instance + 1
            let end = tape.end(instance)
            var index = 0
            while element < end {
                if descend(child, element) {
                    matches += 1
                    if track { annotations.items.insert(index) }
                    if !track && maximum == nil && matches >= minimum { return true }
                }
                element = tape.end(element)
                index += 1
            }
            if matches < minimum { return false }
            if let maximum, matches > maximum { return false }
            return true

        case .allOf(let children):
            for child in children where !inPlace(child, instance, &annotations) { return false }
            return true

        case .anyOf(let children):
            var valid = false
            for child in children where inPlace(child, instance, &annotations) {
                valid = true
                if !track { break }
            }
            return valid

        case .oneOf(let children):
            var matched = 0
            for child in children where inPlace(child, instance, &annotations) {
                matched += 1
                if matched > 1 { return false }
            }
            return matched == 1

        case .not(let child):
            var ignored = Annotations()
            return !inPlace(child, instance, &ignored)

        case .conditional(let condition, let then, let otherwise):
            if inPlace(condition, instance, &annotations) {
                guard let then else { return true }
                return inPlace(then, instance, &annotations)
            }
            guard let otherwise else { return true }
            return inPlace(otherwise, instance, &annotations)

        case .ref(let target):
            guard let target = target.node else { return true }
            return inPlace(target, instance, &annotations)

        case .dynamicRef(let reference):
            return inPlace(reference.target(in: scope.resources), instance, &annotations)

        case .unevaluatedItems(let child):
            guard kind == .array else { return true }
            var element = instance + 1
            let end = tape.end(instance)
            var index = 0
            while element < end {
                if !annotations.items.contains(index) && (child.boolean == false || !descend(child, element)) {
                    return false
                }
                element = tape.end(element)
                index += 1
            }
            annotations.items.all = true
            return true

        case .unevaluatedProperties(let child):
            guard kind == .object else { return true }
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                if !annotations.properties.contains(position) && (child.boolean == false || !descend(child, key + 1)) {
                    return false
                }
                key = tape.end(key + 1)
                position += 1
            }
            annotations.properties.all = true
            return true

        default:
            return true
        }
    }
}
