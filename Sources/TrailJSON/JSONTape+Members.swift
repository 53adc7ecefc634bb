extension JSONTape {
    /// The RFC 8785 form of the value at `index`, the same bytes as ``JSONValue/canonicalized()`` gives for the
    /// value ``JSONParser`` reads, written from the tape without building the value.
    ///
    /// - Parameter index: a node.
    /// - Returns: the canonical UTF-8 bytes.
    public func canonicalized(at index: Int) -> [UInt8] {
        var writer = JSONWriter(style: .canonical, sortedKeys: true)
        // Room for a typical model output at once, instead of growing the buffer from empty (an allocation at
        // each doubling); larger values still grow it.
        writer.output.reserveCapacity(512)
        nodes.withUnsafeBufferPointer { nodes in
            withAllBytes { bytes in
                var members: [(key: Int, value: Int)] = []
                members.reserveCapacity(16)
                writer.writeCanonical(nodes, bytes, at: index, members: &members)
            }
        }
        return writer.output
    }
}

extension JSONWriter {
    /// Writes the value at `index` of a tape in the canonical style; `members` is scratch space for sorting.
    mutating func writeCanonical(
        _ nodes: UnsafeBufferPointer<JSONTape.Node>,
        _ bytes: UnsafeBufferPointer<UInt8>,
        at index: Int,
        members: inout [(key: Int, value: Int)]
    ) {
        let node = nodes[index]
        switch node.kind {
        case .null: output.append(contentsOf: "null".utf8)
        case .false: output.append(contentsOf: "false".utf8)
        case .true: output.append(contentsOf: "true".utf8)
        case .number:
            let text = Self.text(of: node, in: bytes)
            if Self.isCanonicalAsWritten(text) {
                output.append(contentsOf: text)
            } else {
                writeNumber(JSONTape.number(node, in: bytes.baseAddress!))
            }
        case .string: writeString(Self.text(of: node, in: bytes))
        case .array:
            output.append(UInt8(ascii: "["))
            var element = index + 1
            while element < Int(node.end) {
                if element > index + 1 { output.append(UInt8(ascii: ",")) }
                writeCanonical(nodes, bytes, at: element, members: &members)
                element = Int(nodes[element].end)
            }
            output.append(UInt8(ascii: "]"))
        case .object:
            let first = members.count
            var key = index + 1
            while key < Int(node.end) {
                members.append((key, key + 1))
                key = Int(nodes[key + 1].end)
            }
            // Sorted in place (sorting `members[first...]` copies the slice out and back); keys are unique.
            members.withUnsafeMutableBufferPointer { all in
                var object = UnsafeMutableBufferPointer(rebasing: all[first...])
                func precedes(_ lhs: Int, _ rhs: Int) -> Bool {
                    Self.precedesInUTF16(Self.text(of: nodes[lhs], in: bytes), Self.text(of: nodes[rhs], in: bytes))
                }
                guard object.count <= 16 else {
                    object.sort { precedes($0.key, $1.key) }
                    return
                }
                // Most objects are small: an insertion sort, without the general sort's set-up.
                for position in object.indices.dropFirst() {
                    let member = object[position]
                    var slot = position
                    while slot > 0 && precedes(member.key, object[slot - 1].key) {
                        object[slot] = object[slot - 1]
                        slot -= 1
                    }
                    object[slot] = member
                }
            }
            output.append(UInt8(ascii: "{"))
            for position in first..<members.count {
                if position > first { output.append(UInt8(ascii: ",")) }
                writeString(Self.text(of: nodes[members[position].key], in: bytes))
                output.append(UInt8(ascii: ":"))
                writeCanonical(nodes, bytes, at: members[position].value, members: &members)
            }
            members.removeSubrange(first...)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Whether a JSON number's text is already what ECMAScript's Number-to-String writes for its double, so
    /// that it can be copied: no exponent, no `-0`, no fraction ending in 0, at most 15 significant digits
    /// (any such decimal is the shortest spelling of its double) and at most five zeros after the point
    /// before the first significant digit (smaller values are written with an exponent).
    static func isCanonicalAsWritten(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if index < text.count, text[index] == UInt8(ascii: "-") { index += 1 }
        guard index < text.count else { return false }
        let integerStart = index
        var significant = 0
        while index < text.count, text[index] &- UInt8(ascii: "0") < 10 {
            if significant > 0 || text[index] != UInt8(ascii: "0") { significant += 1 }
            index += 1
        }
        guard index > integerStart, index - integerStart == 1 || text[integerStart] != UInt8(ascii: "0") else {
            return false
        }
        if index == text.count {
            // An integer: -0 is written 0.
            return significant <= 15 && !(integerStart == 1 && significant == 0)
        }
        guard text[index] == UInt8(ascii: "."), index + 1 < text.count else { return false }
        index += 1
        var leadingZeros = 0
        while index < text.count, text[index] &- UInt8(ascii: "0") < 10 {
            if significant > 0 || text[index] != UInt8(ascii: "0") {
                significant += 1
            } else {
                leadingZeros += 1
            }
            index += 1
        }
        return index == text.count && text[index - 1] != UInt8(ascii: "0") && significant <= 15 && leadingZeros <= 5
    }

    private static func text(of node: JSONTape.Node, in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>
    {
        UnsafeBufferPointer(rebasing: bytes[Int(node.offset)..<Int(node.offset) + Int(node.count)])
    }

    /// Whether valid UTF-8 `a` comes before `b` in the order of their UTF-16 code units (RFC 8785's key order).
    ///
    /// Byte order is code point order, which is UTF-16's except between a character above U+FFFF (a surrogate
    /// pair, D800–DFFF) and one in U+E000–U+FFFF: the first differing character decides which applies.
    static func precedesInUTF16(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < a.count && index < b.count && a[index] == b[index] { index += 1 }
        guard index < a.count, index < b.count else { return a.count < b.count }
        // The characters that differ start at the same offset: the bytes before them are equal.
        var start = index
        while start > 0 && a[start] & 0xC0 == 0x80 { start -= 1 }
        let (leadA, leadB) = (a[start], b[start])
        let (aboveA, aboveB) = (leadA >= 0xF0, leadB >= 0xF0)
        if aboveA == aboveB { return a[index] < b[index] }
        // One is a surrogate pair, the other a single code unit: below D800 (leads up to 0xED) it sorts first,
        // from E000 (leads 0xEE and 0xEF) after.
        return aboveA ? leadB >= 0xEE : leadA < 0xEE
    }
}
