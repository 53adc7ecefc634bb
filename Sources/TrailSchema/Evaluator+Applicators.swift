import TrailJSON

extension Evaluator {
    /// The keywords that apply subschemas: to members, to elements, or in place.
    mutating func evaluateApplicator(
        _ keyword: borrowing Keyword,
        _ node: SchemaNode,
        _ instance: JSONValue,
        _ annotations: inout Annotations
    ) -> Bool {
        switch keyword {
        case .properties(let schemas):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for index in object.indices {
                let key = object.keys[index]
                guard let position = schemas.position(of: key) else { continue }
                if track { annotations.properties.insert(index) }
                if !descend(schemas.nodes[position], object.values[index], key, ["properties", key]) {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid

        case .patternProperties(let pairs):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for index in object.indices {
                let key = object.keys[index]
                for (pattern, child) in pairs where pattern.matches(key) {
                    if track { annotations.properties.insert(index) }
                    if !descend(child, object.values[index], key, ["patternProperties", pattern.source]) {
                        valid = false
                        if !collect { return false }
                    }
                }
            }
            return valid

        case .additionalProperties(let child, let scope):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for index in object.indices {
                let key = object.keys[index]
                if scope.covers(key) { continue }
                if track { annotations.properties.insert(index) }
                if child.boolean == false {
                    valid = false
                    if !collect { return false }
                    fail(
                        node,
                        "additionalProperties",
                        "property \"\(key)\" is not allowed (additionalProperties is false)"
                    )
                } else if !descend(child, object.values[index], key, ["additionalProperties"]) {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid

        case .propertyNames(let child):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for key in object.keys where !descend(child, .string(key), key, ["propertyNames"]) {
                valid = false
                if !collect { return false }
            }
            return valid

        case .dependentSchemas(let pairs, let name):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for (property, child) in pairs where object.contains(key: property) {
                if !inPlace(child, instance, [name.rawValue, property], &annotations) {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid

        case .prefixItems(let children, let name):
            guard case .array(let elements) = instance else { return true }
            var valid = true
            for index in 0..<min(children.count, elements.count) {
                if track { annotations.items.insert(index) }
                if !descend(children[index], elements[index], String(index), [name.rawValue, String(index)]) {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid

        case .items(let child, let start, let name):
            guard case .array(let elements) = instance, elements.count > start else { return true }
            if track { annotations.items.all = true }
            if child.boolean == false {
                let allowed = start == 0 ? "no items are allowed" : "at most \(counted(start, "item")) allowed"
                fail(node, name.rawValue, "array has \(counted(elements.count, "item")); \(allowed)")
                return false
            }
            var valid = true
            for index in start..<elements.count where !descend(child, elements[index], String(index), [name.rawValue]) {
                valid = false
                if !collect { return false }
            }
            return valid

        case .contains(let child, let minimum, let maximum):
            guard case .array(let elements) = instance else { return true }
            var matches = 0
            for index in elements.indices {
                let (matched, _) = capturing { evaluator in
                    evaluator.descend(child, elements[index], String(index), ["contains"])
                }
                if matched {
                    matches += 1
                    if track { annotations.items.insert(index) }
                    if !track && !collect && maximum == nil && matches >= minimum { return true }
                }
            }
            if matches < minimum {
                let found = matches == 0 ? "no item matches" : "only \(counted(matches, "item")) match"
                let keyword = minimum == 1 ? "contains" : "minContains"
                fail(node, keyword, "\(found) the \"contains\" schema; at least \(grouped(minimum)) required")
                return false
            }
            if let maximum, matches > maximum {
                fail(
                    node,
                    "maxContains",
                    "\(counted(matches, "item")) match the \"contains\" schema; at most \(grouped(maximum)) allowed"
                )
                return false
            }
            return true

        case .allOf(let children):
            var valid = true
            for (index, child) in children.enumerated()
            where !inPlace(child, instance, ["allOf", String(index)], &annotations) {
                valid = false
                if !collect { return false }
            }
            return valid

        // The branches' verdicts come first, without errors: the errors of the branches that fail are built only
        // when none matches and they become the details of the failure.
        case .anyOf(let children):
            var valid = false
            for (index, child) in children.enumerated()
            where quietly({ $0.inPlace(child, instance, ["anyOf", String(index)], &annotations) }) {
                valid = true
                if !track { break }
            }
            if !valid {
                let details = branchErrors(children, "anyOf", instance, &annotations)
                fail(node, "anyOf", "does not match any of the \(children.count) alternatives", details: details)
            }
            return valid

        case .oneOf(let children):
            var matched: [Int] = []
            for (index, child) in children.enumerated()
            where quietly({ $0.inPlace(child, instance, ["oneOf", String(index)], &annotations) }) {
                matched.append(index)
                if matched.count > 1 && !collect { return false }
            }
            if matched.count == 1 { return true }
            if matched.isEmpty {
                let details = branchErrors(children, "oneOf", instance, &annotations)
                fail(node, "oneOf", "does not match any of the \(children.count) alternatives", details: details)
            } else {
                let list = matched.map(String.init).joined(separator: ", ")
                fail(node, "oneOf", "matches alternatives \(list); exactly one must match")
            }
            return false

        case .not(let child):
            var ignored = Annotations()
            let matched = quietly { $0.inPlace(child, instance, ["not"], &ignored) }
            if !matched { return true }
            fail(node, "not", "\(describe(instance)) must not match the schema in \"not\"")
            return false

        case .conditional(let condition, let then, let otherwise):
            let holds = quietly { $0.inPlace(condition, instance, ["if"], &annotations) }
            if holds {
                guard let then else { return true }
                return inPlace(then, instance, ["then"], &annotations)
            }
            guard let otherwise else { return true }
            return inPlace(otherwise, instance, ["else"], &annotations)

        case .ref(let target):
            guard let target = target.node else { return true }
            return inPlace(target, instance, ["$ref"], &annotations)

        case .dynamicRef(let reference):
            return inPlace(reference.target(in: scope), instance, ["$dynamicRef"], &annotations)

        case .unevaluatedItems(let child):
            guard case .array(let elements) = instance else { return true }
            var valid = true
            for index in elements.indices where !annotations.items.contains(index) {
                if child.boolean == false {
                    valid = false
                    if !collect { return false }
                    instancePath.append(String(index))
                    fail(node, "unevaluatedItems", "item \(index) is not allowed (unevaluatedItems is false)")
                    instancePath.removeLast()
                } else if !descend(child, elements[index], String(index), ["unevaluatedItems"]) {
                    valid = false
                    if !collect { return false }
                }
            }
            if valid { annotations.items.all = true }
            return valid

        case .unevaluatedProperties(let child):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for index in object.indices where !annotations.properties.contains(index) {
                let key = object.keys[index]
                if child.boolean == false {
                    valid = false
                    if !collect { return false }
                    fail(
                        node,
                        "unevaluatedProperties",
                        "property \"\(key)\" is not allowed (unevaluatedProperties is false)"
                    )
                } else if !descend(child, object.values[index], key, ["unevaluatedProperties"]) {
                    valid = false
                    if !collect { return false }
                }
            }
            if valid { annotations.properties.all = true }
            return valid

        default:
            return true
        }
    }
}
