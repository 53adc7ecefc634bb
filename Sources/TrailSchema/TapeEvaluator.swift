import TrailJSON

/// Decides whether a document parsed into a ``JSONTape`` is valid: the verdict ``Evaluator`` reaches with
/// errors off, read from the tape's flat buffers instead of a ``JSONValue`` tree.
///
/// It collects no errors: a caller that needs them for an invalid document evaluates its tree with
/// ``Evaluator``. Each keyword below reaches the verdict `Evaluator.evaluate(_:_:_:_:)` reaches for it, which
/// the JSON-Schema-Test-Suite checks in both (`TapeEvaluatorTests`). Instances are node indices.
struct TapeEvaluator {
    let tape: TapeView
    let program: TapeProgram.CodeReference
    let track: Bool
    var scope: DynamicScope<Int32>
    var depth = 0
    /// The number read last and where: a number node is often checked against both a minimum and a maximum.
    var numberIndex = -1
    var lastNumber = JSONNumber(0)

    /// An evaluator of `program`'s schemas; the caller keeps `program` alive while it evaluates.
    init(tape: TapeView, program: TapeProgram, track: Bool, scoped: Bool) {
        self.tape = tape
        self.program = program.reference
        self.track = track
        scope = DynamicScope(isKept: scoped)
    }

    // MARK: Schemas

    /// Whether the instance at node `instance` is valid against schema `index` of the program.
    mutating func evaluate(_ index: Int32, _ instance: Int, _ annotations: inout Annotations) -> Bool {
        let schema = program.schemas[index]
        if schema.boolean >= 0 { return schema.boolean == 1 }
        depth += 1
        defer { depth -= 1 }
        if NestingLimit.reached(at: depth) != nil { return false }
        let entered = scope.enter(schema.resource)
        defer { if entered { scope.leave() } }
        let first = Int(schema.first)
        for position in first..<first + Int(schema.count)
        where !evaluate(program.instructions[Int32(position)], instance, &annotations) {
            return false
        }
        return true
    }

    /// A subschema against the same instance, merging its annotations when it passes.
    ///
    /// Without `unevaluated*` keywords, annotations are never read or written, so the caller's are passed
    /// through instead of making (and destroying) a set for every subschema.
    @inline(__always)
    mutating func inPlace(_ child: Int32, _ instance: Int, _ annotations: inout Annotations) -> Bool {
        guard track else { return evaluate(child, instance, &annotations) }
        var childAnnotations = Annotations()
        let valid = evaluate(child, instance, &childAnnotations)
        if valid && track { annotations.merge(childAnnotations) }
        return valid
    }

    /// A subschema against a member or element.
    @inline(__always)
    mutating func descend(_ child: Int32, _ value: Int, _ annotations: inout Annotations) -> Bool {
        let schema = program.schemas[child]
        if let mask = schema.onlyType { return matches(mask, value) }
        if schema.range >= 0 {
            let range = program.ranges[schema.range]
            // Bounds hold for anything but a number; a number no `Double` holds goes keyword by keyword.
            if tape.kind(value) != .number { return matches(range.types, value) }
            if let number = tape.exactDouble(value) { return matches(range.types, value) && range.contains(number) }
        }
        guard track else { return evaluate(child, value, &annotations) }
        var childAnnotations = Annotations()
        return evaluate(child, value, &childAnnotations)
    }

    /// Whether schema `index` is the `false` schema.
    @inline(__always)
    func isFalse(_ index: Int32) -> Bool {
        program.schemas[index].boolean == 0
    }

    /// Index `offset` of a list in the program's indices.
    @inline(__always)
    func index(_ first: Int32, _ offset: Int) -> Int32 {
        program.indices[first + Int32(offset)]
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

    /// The number node `instance` and the program's number `bound` as `Double`s, when both are exactly their
    /// values: compared as doubles, they compare as the numbers do.
    @inline(__always)
    func exact(_ instance: Int, _ bound: Int32) -> (Double, Double)? {
        let limit = program.bounds[bound]
        guard !limit.isNaN, let value = tape.exactDouble(instance) else { return nil }
        return (value, limit)
    }

    /// The value node of the member that discriminator `discriminator` names (see `TapeProgram.Builder`), in
    /// the object at `instance`; -1 without a discriminator, an object or the member.
    @inline(__always)
    func discriminant(_ discriminator: Int, _ instance: Int) -> Int {
        guard discriminator >= 0, tape.kind(instance) == .object,
            let key = tape.member(program.name(program.indices[Int32(discriminator)]), of: instance)
        else { return -1 }
        return key + 1
    }

    /// Whether branch `offset` is false because it fixes the discriminating member to a string the value
    /// `value` (from ``discriminant(_:_:)``) is not.
    @inline(__always)
    func excludes(_ discriminator: Int, _ offset: Int, _ value: Int) -> Bool {
        guard value >= 0 else { return false }
        let fixed = program.indices[Int32(discriminator + 1 + offset)]
        guard fixed >= 0 else { return false }
        return tape.kind(value) != .string || !TapeView.equal(tape.string(value), program.name(fixed))
    }

    /// Whether `properties` with name set `set` goes through the few names of the set, finding each among the
    /// members of the object at `instance`, rather than through the members, looking each up in the set: for a
    /// handful of names on a larger object (an `if` that tests one or two members of a record), comparing names
    /// costs less than looking every member up. Not when annotations are tracked, which are kept in member order.
    @inline(__always)
    func looksUpNames(_ set: Int32, _ instance: Int) -> Bool {
        let count = Int(program.nameSets[set].count)
        return !track && count <= 2 && tape.count(instance) > 2 * count
    }

    /// `properties` (name set `set`, subschemas from `first`) by its names (see ``looksUpNames(_:_:)``): each name
    /// found among the members is checked against its subschema, and a missing one fails when `requiredFlags`
    /// (-1 for none) flags it. Kept out of line, so that the member-by-member loops it stands in for are compiled
    /// as they were.
    @inline(never)
    mutating func checkByName(
        _ set: Int32,
        _ first: Int32,
        _ requiredFlags: Int32,
        _ instance: Int,
        _ annotations: inout Annotations
    ) -> Bool {
        for offset in 0..<Int(program.nameSets[set].count) {
            if let key = tape.member(program.name(inSet: set, at: offset), of: instance) {
                if !descend(index(first, offset), key + 1, &annotations) { return false }
            } else if requiredFlags >= 0 && index(requiredFlags, offset) != 0 {
                return false
            }
        }
        return true
    }

    /// Whether the object at `instance` has a member with the program's name `name`.
    @inline(__always)
    func has(_ name: Int32, _ instance: Int) -> Bool {
        tape.member(program.name(name), of: instance) != nil
    }

    // MARK: Keywords

    mutating func evaluate(
        _ instruction: TapeProgram.Instruction,
        _ instance: Int,
        _ annotations: inout Annotations
    )
        -> Bool
    {
        let kind = tape.kind(instance)
        let a = instruction.a
        switch instruction.opcode {
        case .type:
            return matches(instruction.mask, instance)
        case .enumeration:
            if kind == .string { return program.position(of: tape.string(instance), in: Int32(instruction.b)) != nil }
            return program.valueLists[a].contains { tape.equal(instance, $0) }
        case .multipleOf:
            return kind != .number || Evaluator.isMultiple(number(instance), of: program.numbers[a])
        case .minimum:
            guard kind == .number else { return true }
            if let (value, bound) = exact(instance, a) { return !(value < bound) }
            return !(number(instance) < program.numbers[a])
        case .maximum:
            guard kind == .number else { return true }
            if let (value, bound) = exact(instance, a) { return !(bound < value) }
            return !(program.numbers[a] < number(instance))
        case .exclusiveMinimum:
            guard kind == .number else { return true }
            if let (value, bound) = exact(instance, a) { return bound < value }
            return program.numbers[a] < number(instance)
        case .exclusiveMaximum:
            guard kind == .number else { return true }
            if let (value, bound) = exact(instance, a) { return value < bound }
            return number(instance) < program.numbers[a]
        case .minLength:
            let limit = instruction.b
            guard kind == .string, tape.count(instance) / 4 < limit else { return true }
            return codePointCount(tape.string(instance)) >= limit
        case .maxLength:
            let limit = instruction.b
            guard kind == .string, tape.count(instance) > limit else { return true }
            return codePointCount(tape.string(instance)) <= limit
        case .maxUtf8Bytes:
            return kind != .string || tape.count(instance) <= instruction.b
        case .pattern:
            return kind != .string || program.matches(a, tape.string(instance))
        case .format:
            return kind != .string || program.formats[a].check(utf8: tape.string(instance))
        case .minItems:
            return kind != .array || tape.count(instance) >= instruction.b
        case .maxItems:
            return kind != .array || tape.count(instance) <= instruction.b
        case .uniqueItems:
            return kind != .array || !hasDuplicate(instance)
        case .minProperties:
            return kind != .object || tape.count(instance) >= instruction.b
        case .maxProperties:
            return kind != .object || tape.count(instance) <= instruction.b
        case .required:
            guard kind == .object else { return true }
            for offset in 0..<instruction.b where !has(index(a, offset), instance) { return false }
            return true
        case .dependentRequired:
            guard kind == .object else { return true }
            var offset = 0
            for _ in 0..<instruction.b {
                let count = Int(index(a, offset + 1))
                if has(index(a, offset), instance) {
                    for dependency in 0..<count where !has(index(a, offset + 2 + dependency), instance) {
                        return false
                    }
                }
                offset += 2 + count
            }
            return true
        default:
            return evaluateApplicator(instruction, kind, instance, &annotations)
        }
    }

    /// Whether two items of the array at `index` are equal.
    func hasDuplicate(_ index: Int) -> Bool {
        guard tape.count(index) >= 2 else { return false }
        let tape = tape
        let count = tape.count(index)
        let items = [Int](unsafeUninitializedCapacity: count) { items, initialized in
            var child = index + 1
            for position in 0..<count {
                items.initializeElement(at: position, to: child)
                child = tape.end(child)
            }
            initialized = count
        }
        let fingerprints = [UInt64](unsafeUninitializedCapacity: count) { fingerprints, initialized in
            for position in 0..<count {
                fingerprints.initializeElement(at: position, to: JSONFingerprint.of(tape, items[position]))
            }
            initialized = count
        }
        return Evaluator.duplicate(fingerprints: fingerprints) { tape.equal(items[$0], items[$1]) } != nil
    }

    /// The keywords that apply subschemas.
    mutating func evaluateApplicator(
        _ instruction: TapeProgram.Instruction,
        _ kind: JSONTape.Kind,
        _ instance: Int,
        _ annotations: inout Annotations
    ) -> Bool {
        let a = instruction.a
        switch instruction.opcode {
        case .properties:
            guard kind == .object else { return true }
            if instruction.c >= 0 { return checkObject(instruction, instance, &annotations) }
            let first = Int32(instruction.b)
            if looksUpNames(a, instance) { return checkByName(a, first, -1, instance, &annotations) }
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                if let found = program.position(of: tape.string(key), in: a) {
                    if track { annotations.properties.insert(position) }
                    if !descend(index(first, found), key + 1, &annotations) { return false }
                }
                key = tape.end(key + 1)
                position += 1
            }
            return true

        case .patternProperties:
            guard kind == .object else { return true }
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                let name = tape.string(key)
                for pair in 0..<instruction.b where program.matches(index(a, 2 * pair), name) {
                    if track { annotations.properties.insert(position) }
                    if !descend(index(a, 2 * pair + 1), key + 1, &annotations) { return false }
                }
                key = tape.end(key + 1)
                position += 1
            }
            return true

        case .additionalProperties:
            guard kind == .object else { return true }
            let scope = Int32(instruction.b)
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                if !program.covers(scope, tape.string(key)) {
                    if track { annotations.properties.insert(position) }
                    if isFalse(a) || !descend(a, key + 1, &annotations) { return false }
                }
                key = tape.end(key + 1)
                position += 1
            }
            return true

        case .propertyNames:
            guard kind == .object else { return true }
            var key = instance + 1
            let end = tape.end(instance)
            while key < end {
                // A key is a string node: the name as an instance.
                if !descend(a, key, &annotations) { return false }
                key = tape.end(key + 1)
            }
            return true

        case .dependentSchemas:
            guard kind == .object else { return true }
            for pair in 0..<instruction.b where has(index(a, 2 * pair), instance) {
                if !inPlace(index(a, 2 * pair + 1), instance, &annotations) { return false }
            }
            return true

        case .prefixItems:
            guard kind == .array else { return true }
            var element = instance + 1
            let end = tape.end(instance)
            var position = 0
            while position < instruction.b && element < end {
                if track { annotations.items.insert(position) }
                if !descend(index(a, position), element, &annotations) { return false }
                element = tape.end(element)
                position += 1
            }
            return true

        case .items:
            let start = instruction.b
            guard kind == .array, tape.count(instance) > start else { return true }
            if track { annotations.items.all = true }
            if isFalse(a) { return false }
            var element = instance + 1
            let end = tape.end(instance)
            var position = 0
            while element < end {
                if position >= start && !descend(a, element, &annotations) { return false }
                element = tape.end(element)
                position += 1
            }
            return true

        case .contains:
            guard kind == .array else { return true }
            let minimum = instruction.b
            let maximum = instruction.c
            var matches = 0
            var element = instance + 1
            let end = tape.end(instance)
            var position = 0
            while element < end {
                if descend(a, element, &annotations) {
                    matches += 1
                    if track { annotations.items.insert(position) }
                    if !track && maximum == .max && matches >= minimum { return true }
                }
                element = tape.end(element)
                position += 1
            }
            return matches >= minimum && matches <= maximum

        case .allOf:
            for offset in 0..<instruction.b where !inPlace(index(a, offset), instance, &annotations) { return false }
            return true

        case .anyOf:
            let fixed = discriminant(instruction.c, instance)
            var valid = false
            for offset in 0..<instruction.b
            where !excludes(instruction.c, offset, fixed) && inPlace(index(a, offset), instance, &annotations) {
                valid = true
                if !track { break }
            }
            return valid

        case .oneOf:
            let fixed = discriminant(instruction.c, instance)
            var matched = 0
            for offset in 0..<instruction.b
            where !excludes(instruction.c, offset, fixed) && inPlace(index(a, offset), instance, &annotations) {
                matched += 1
                if matched > 1 { return false }
            }
            return matched == 1

        case .not:
            var ignored = Annotations()
            return !inPlace(a, instance, &ignored)

        case .conditional:
            if inPlace(a, instance, &annotations) {
                guard instruction.b >= 0 else { return true }
                return inPlace(Int32(instruction.b), instance, &annotations)
            }
            guard instruction.c >= 0 else { return true }
            return inPlace(Int32(instruction.c), instance, &annotations)

        case .ref:
            guard a >= 0 else { return true }
            return inPlace(a, instance, &annotations)

        case .dynamicRef:
            return inPlace(dynamicTarget(a, anchor: instruction.b), instance, &annotations)

        case .unevaluatedItems:
            guard kind == .array else { return true }
            var element = instance + 1
            let end = tape.end(instance)
            var position = 0
            while element < end {
                if !annotations.items.contains(position) && (isFalse(a) || !descend(a, element, &annotations)) {
                    return false
                }
                element = tape.end(element)
                position += 1
            }
            annotations.items.all = true
            return true

        case .unevaluatedProperties:
            guard kind == .object else { return true }
            var key = instance + 1
            var position = 0
            let end = tape.end(instance)
            while key < end {
                if !annotations.properties.contains(position) && (isFalse(a) || !descend(a, key + 1, &annotations)) {
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

    /// A fused `properties` instruction (``TapeProgram/ObjectCheck``) on an object: in one pass over its
    /// members, each named one against its subschema and each other one against `additionalProperties`,
    /// counting the required names found (a tape's object never repeats a key).
    mutating func checkObject(
        _ instruction: TapeProgram.Instruction,
        _ instance: Int,
        _ annotations: inout Annotations
    ) -> Bool {
        let check = program.objectChecks[Int32(instruction.c)]
        let first = Int32(instruction.b)
        if check.additional < 0 && looksUpNames(instruction.a, instance) {
            return checkByName(instruction.a, first, check.requiredFlags, instance, &annotations)
        }
        var required = 0
        var key = instance + 1
        var position = 0
        let end = tape.end(instance)
        while key < end {
            if let found = program.position(of: tape.string(key), in: instruction.a) {
                if track { annotations.properties.insert(position) }
                if check.requiredFlags >= 0 && index(check.requiredFlags, found) != 0 { required += 1 }
                if !descend(index(first, found), key + 1, &annotations) { return false }
            } else if check.additional >= 0 {
                if track { annotations.properties.insert(position) }
                if isFalse(check.additional) || !descend(check.additional, key + 1, &annotations) { return false }
            }
            key = tape.end(key + 1)
            position += 1
        }
        return required == check.requiredCount
    }

    /// A `$dynamicRef`'s target in the current dynamic scope (see ``DynamicScope/target(_:anchor:anchors:)``);
    /// `anchor` is an index into the program's anchor names, -1 for none.
    func dynamicTarget(_ target: Int32, anchor: Int) -> Int32 {
        let name = anchor >= 0 ? program.anchorNames[Int32(anchor)] : nil
        return scope.target(target, anchor: name) { program.anchors[$0][$1] }
    }
}
