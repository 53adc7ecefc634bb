/// Finds the line on which the value at a JSON Pointer starts, in the text of a document.
///
/// Validation works on parsed values, which keep no positions; a report about a pretty-printed document
/// should still say `file:12:` rather than `file:1:`. The locator scans the text once for every pointer
/// asked for, descending only into the containers on the way to one of them and skipping the rest, so it
/// costs one pass over the bytes and no values are built. It expects text that already parsed: on text that
/// does not, it returns what it found so far.
public struct JSONLineLocator: Sendable {
    private let bytes: [UInt8]

    /// Creates a locator over a document's text.
    ///
    /// - Parameter bytes: the UTF-8 text of one JSON document.
    public init(_ bytes: some Collection<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// The 1-based line on which each pointer's value starts.
    ///
    /// - Parameter pointers: locations in the document, e.g. validation errors' `instanceLocation`.
    /// - Returns: a line for every pointer that names a value in the document; a pointer that names none
    ///   (a member that is missing) is left out, and its nearest existing ancestor is the place to report.
    public func lines(of pointers: some Sequence<JSONPointer>) -> [JSONPointer: Int] {
        var scan = Scan(bytes: bytes, wanted: Set(pointers.map(\.tokens)))
        guard !scan.wanted.isEmpty else { return [:] }
        scan.skipWhitespace()
        scan.value(path: [])
        var found: [JSONPointer: Int] = [:]
        for (tokens, line) in scan.found { found[JSONPointer(tokens: tokens)] = line }
        return found
    }

    /// The line of a pointer's value, or of its nearest ancestor that exists in the document.
    ///
    /// - Parameters:
    ///   - pointer: a location in the document.
    ///   - lines: what ``lines(of:)`` returned for a set of pointers including every ancestor of `pointer`.
    /// - Returns: the line, or 1 when nothing on the way is known.
    public static func line(of pointer: JSONPointer, in lines: [JSONPointer: Int]) -> Int {
        var pointer = pointer
        while lines[pointer] == nil, !pointer.isRoot { pointer = pointer.parent }
        return lines[pointer] ?? 1
    }

    /// The line of each pointer's value or, for a pointer that names no value (a missing member), of its
    /// nearest ancestor that exists: where a report about that location belongs.
    ///
    /// - Parameter pointers: locations in the document, e.g. validation errors' `instanceLocation`.
    /// - Returns: one line for each pointer, in order.
    public func nearestLines(of pointers: [JSONPointer]) -> [Int] {
        var wanted: Set<JSONPointer> = []
        for pointer in pointers {
            var ancestor = pointer
            while wanted.insert(ancestor).inserted, !ancestor.isRoot { ancestor = ancestor.parent }
        }
        let lines = lines(of: wanted)
        return pointers.map { Self.line(of: $0, in: lines) }
    }

    private struct Scan {
        let bytes: [UInt8]
        let wanted: Set<[String]>
        /// Every prefix of a wanted pointer: the containers worth descending into.
        let prefixes: Set<[String]>
        var found: [[String]: Int] = [:]
        var index = 0
        var line = 1

        init(bytes: [UInt8], wanted: Set<[String]>) {
            self.bytes = bytes
            self.wanted = wanted
            var prefixes: Set<[String]> = []
            for tokens in wanted {
                for count in 0..<tokens.count { prefixes.insert(Array(tokens[0..<count])) }
            }
            self.prefixes = prefixes
        }

        var atEnd: Bool { index >= bytes.count || found.count == wanted.count }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x0A:
                    line += 1
                    index += 1
                case 0x20, 0x09, 0x0D:
                    index += 1
                default:
                    return
                }
            }
        }

        /// Reads the value at `index`, whose location is `path`.
        mutating func value(path: [String]) {
            guard index < bytes.count else { return }
            if wanted.contains(path) { found[path] = line }
            let descend = prefixes.contains(path)
            switch bytes[index] {
            case UInt8(ascii: "{"):
                descend ? object(path: path) : skipContainer()
            case UInt8(ascii: "["):
                descend ? array(path: path) : skipContainer()
            case UInt8(ascii: "\""):
                skipString()
            default:
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0D, 0x0A: return
                    default: index += 1
                    }
                }
            }
        }

        mutating func object(path: [String]) {
            guard open(closing: UInt8(ascii: "}")) else { return }
            repeat {
                guard bytes[index] == UInt8(ascii: "\"") else { return }
                let start = index
                skipString()
                let key = Self.decodeKey(bytes[start..<index])
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return }
                index += 1
                skipWhitespace()
                value(path: path + [key])
            } while next()
        }

        mutating func array(path: [String]) {
            guard open(closing: UInt8(ascii: "]")) else { return }
            var position = 0
            repeat {
                value(path: path + [String(position)])
                position += 1
            } while next()
        }

        /// Moves past a container's opening bracket; `false` when it is empty (then also past its closing one).
        mutating func open(closing: UInt8) -> Bool {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == closing {
                index += 1
                return false
            }
            return !atEnd
        }

        /// Moves past the separator after a member or element: `true` when another one follows, `false` after
        /// the closing bracket, at the end of the text, or once every pointer is found.
        mutating func next() -> Bool {
            skipWhitespace()
            guard index < bytes.count else { return false }
            index += 1  // `,`, or the closing bracket
            guard bytes[index - 1] == UInt8(ascii: ",") else { return false }
            skipWhitespace()
            return !atEnd
        }

        /// Moves past a string, from its opening quote to just after its closing one.
        mutating func skipString() {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return
                default: index += 1
                }
            }
        }

        /// Moves past an object or array without looking inside, counting its lines.
        mutating func skipContainer() {
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    index += 1
                    if depth == 0 { return }
                case UInt8(ascii: "\""):
                    skipString()
                case 0x0A:
                    line += 1
                    index += 1
                default:
                    index += 1
                }
            }
        }

        /// A member name as the unescaped token a pointer holds.
        static func decodeKey(_ quoted: ArraySlice<UInt8>) -> String {
            guard quoted.contains(UInt8(ascii: "\\")) else {
                return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
            }
            if case .string(let key) = try? JSONValue(parsing: quoted) { return key }
            return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
        }
    }
}
