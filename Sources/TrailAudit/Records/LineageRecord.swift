public import TrailJSON
public import TrailModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line of `data/lineage.jsonl`: which prompt version produced one model output, and where the
/// trace sits in the archive (schema `prompttrail/lineage`).
public struct LineageRecord: Sendable, Hashable {
    /// How a trace's `prompt_version_id` resolved against the archive's prompt versions.
    ///
    /// The values of TrailModel's `LinkStatus`, which decides them; this type keeps the archive's API free of
    /// TrailModel for clients that only read archives.
    public enum Status: String, Sendable, Hashable {
        /// It names a version the archive holds.
        case linked
        /// It names no version.
        case unlinked
        /// It names a version the archive does not hold, which PromptTrail observed (or of a project
        /// without an activation history to tell).
        case dangling
        /// It names a version no pull ever observed: neither the archive's prompt versions nor its
        /// activation history name it (format version 3 on).
        case neverObserved = "never_observed"

        /// The status a lineage resolution gives.
        ///
        /// - Parameter status: TrailModel's link status.
        public init(_ status: LinkStatus) {
            switch status {
            case .linked: self = .linked
            case .unlinked: self = .unlinked
            case .dangling: self = .dangling
            case .neverObserved: self = .neverObserved
            }
        }
    }

    /// The trace's id.
    public var traceID: String
    /// The trace's project.
    public var projectID: String
    /// The version the trace names, if any.
    public var promptVersionID: String?
    /// The linked version's number.
    public var version: Int64?
    /// The linked version's `content_sha256`.
    public var promptContentSHA256: String?
    /// SHA-256 of the RFC 8785 form of the trace's `model_output`.
    public var outputSHA256: String
    /// The bag-relative file holding the trace.
    public var file: String
    /// The trace's 1-based line in that file.
    public var line: Int
    /// linked, unlinked, dangling or never observed.
    public var status: Status

    /// Creates a lineage record.
    ///
    /// - Parameters:
    ///   - traceID: the trace id.
    ///   - projectID: the project.
    ///   - promptVersionID: the named version.
    ///   - version: the linked version number.
    ///   - promptContentSHA256: the linked version's content hash.
    ///   - outputSHA256: the output hash.
    ///   - file: the trace file.
    ///   - line: the trace line.
    ///   - status: the resolution.
    public init(
        traceID: String,
        projectID: String,
        promptVersionID: String?,
        version: Int64?,
        promptContentSHA256: String?,
        outputSHA256: String,
        file: String,
        line: Int,
        status: Status
    ) {
        self.traceID = traceID
        self.projectID = projectID
        self.promptVersionID = promptVersionID
        self.version = version
        self.promptContentSHA256 = promptContentSHA256
        self.outputSHA256 = outputSHA256
        self.file = file
        self.line = line
        self.status = status
    }

    /// The lineage record of a trace, from its resolution against the archive's prompt versions.
    ///
    /// - Parameters:
    ///   - trace: the trace's facts.
    ///   - resolution: what ``TrailModel/LineageResolver`` made of the trace's `prompt_version_id`.
    ///   - file: the bag-relative file holding the trace.
    ///   - line: the trace's 1-based line in that file.
    public init(trace: TraceFacts, resolution: LineageResolution, file: String, line: Int) {
        self.init(
            traceID: trace.traceID,
            projectID: trace.projectID,
            promptVersionID: resolution.promptVersionID,
            version: resolution.version,
            promptContentSHA256: resolution.contentSHA256,
            outputSHA256: trace.outputSHA256,
            file: file,
            line: line,
            status: Status(resolution.status)
        )
    }

    /// The record as JSON, members in the schema's order.
    public var json: JSONValue {
        let optional = { (text: String?) -> JSONValue in text.map(JSONValue.string) ?? .null }
        return .object(
            JSONObject([
                ("record_type", "lineage"),
                ("format_version", 1),
                ("trace_id", .string(traceID)),
                ("project_id", .string(projectID)),
                ("prompt_version_id", optional(promptVersionID)),
                ("version", version.map { JSONValue.number(JSONNumber($0)) } ?? .null),
                ("prompt_content_sha256", optional(promptContentSHA256)),
                ("output_sha256", .string(outputSHA256)),
                ("file", .string(file)),
                ("line", .number(JSONNumber(line))),
                ("status", .string(status.rawValue)),
            ])
        )
    }

    /// The record as one line of `lineage.jsonl`: the compact serialization of ``json``, written directly.
    public var jsonLine: [UInt8] {
        var writer = JSONObjectWriter()
        writer.add("record_type", "lineage")
        writer.add("format_version", Int64(1))
        writer.add("trace_id", traceID)
        writer.add("project_id", projectID)
        writer.add("prompt_version_id", promptVersionID)
        writer.add("version", version)
        writer.add("prompt_content_sha256", promptContentSHA256)
        writer.add("output_sha256", outputSHA256)
        writer.add("file", file)
        writer.add("line", Int64(line))
        writer.add("status", status.rawValue)
        return writer.finish()
    }

    /// Whether `line` is, byte for byte, ``jsonLine``: compared in place, without writing the line. `false` also
    /// when a string would be written with an escape sequence; the caller then compares the values it reads.
    ///
    /// - Parameter line: a line of `lineage.jsonl`, without its line break.
    /// - Returns: whether the line is the record's ``jsonLine``.
    public func isWritten(as line: UnsafeBufferPointer<UInt8>) -> Bool {
        var matcher = LineMatcher(line: line)
        return matcher.literal(#"{"record_type":"lineage","format_version":1,"trace_id":"#)
            && matcher.string(traceID)
            && matcher.literal(#","project_id":"#) && matcher.string(projectID)
            && matcher.literal(#","prompt_version_id":"#) && matcher.string(promptVersionID)
            && matcher.literal(#","version":"#) && matcher.integer(version)
            && matcher.literal(#","prompt_content_sha256":"#) && matcher.string(promptContentSHA256)
            && matcher.literal(#","output_sha256":"#) && matcher.string(outputSHA256)
            && matcher.literal(#","file":"#) && matcher.string(file)
            && matcher.literal(#","line":"#) && matcher.integer(Int64(self.line))
            && matcher.literal(#","status":"#) && matcher.string(status.rawValue)
            && matcher.literal("}") && matcher.isAtEnd
    }

    /// Reads a lineage record; `nil` when a member is missing or of the wrong type.
    ///
    /// - Parameter value: a parsed line.
    public init?(_ value: JSONValue) {
        self.init(string: { value[$0]?.stringValue }, integer: { value[$0]?.int64Value })
    }

    /// Reads a lineage record from a line parsed onto a tape, as ``init(_:)-(JSONValue)`` reads it from the
    /// line's value, without building the value.
    ///
    /// - Parameter tape: a parsed line.
    public init?(_ tape: JSONTape) {
        self.init(
            string: { name in tape.member(name).flatMap { tape.string(at: $0) } },
            integer: { name in
                tape.member(name).flatMap { tape.nodes[$0].kind == .number ? tape.number(at: $0).int64Value : nil }
            }
        )
    }

    /// Reads a lineage record through `string` and `integer`, which give the top-level member of that name
    /// when it is a string (an integral number in range), else `nil`.
    private init?(string: (String) -> String?, integer: (String) -> Int64?) {
        guard let traceID = string("trace_id"), let projectID = string("project_id"),
            let outputSHA256 = string("output_sha256"), let file = string("file"),
            let line = integer("line"), let status = string("status").flatMap(Status.init)
        else { return nil }
        self.init(
            traceID: traceID,
            projectID: projectID,
            promptVersionID: string("prompt_version_id"),
            version: integer("version"),
            promptContentSHA256: string("prompt_content_sha256"),
            outputSHA256: outputSHA256,
            file: file,
            line: Int(line),
            status: status
        )
    }
}

/// Compares a line with the pieces ``LineageRecord/jsonLine`` writes, one after another.
private struct LineMatcher {
    let line: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

    var isAtEnd: Bool { position == line.count }

    /// Whether `bytes` come next, moving past them if so.
    mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= line.count - position else { return false }
        guard bytes.count == 0 || memcmp(line.baseAddress! + position, bytes.baseAddress!, bytes.count) == 0 else {
            return false
        }
        position += bytes.count
        return true
    }

    mutating func literal(_ text: StaticString) -> Bool {
        bytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `null`, or the string in quotes, as written when none of its bytes needs an escape sequence.
    mutating func string(_ value: String?) -> Bool {
        guard let value else { return literal("null") }
        // Compared first, then checked for bytes to escape (only when equal).
        func matches(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
            quote() && bytes(utf8) && quote() && JSONEscaping.firstEscaped(in: utf8) == utf8.count
        }
        // Read in place, not copied (a copy only for a string whose bytes are not contiguous).
        return value.utf8.withContiguousStorageIfAvailable(matches)
            ?? Array(value.utf8).withUnsafeBufferPointer(matches)
    }

    /// Whether a `"` comes next, moving past it if so.
    private mutating func quote() -> Bool {
        guard position < line.count, line[position] == UInt8(ascii: "\"") else { return false }
        position += 1
        return true
    }

    /// `null`, or the integer in decimal, as `String(value)` writes it (read in place, not written).
    mutating func integer(_ value: Int64?) -> Bool {
        guard let value else { return literal("null") }
        var index = position
        let negative = index < line.count && line[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digits = index
        var magnitude: UInt64 = 0
        while index < line.count, line[index] &- UInt8(ascii: "0") < 10 {
            // More digits than the value has: not it (and no overflow).
            guard index - digits < 19 || magnitude <= (UInt64.max - 9) / 10 else { return false }
            magnitude = magnitude * 10 + UInt64(line[index] &- UInt8(ascii: "0"))
            index += 1
        }
        // One digit at least, no leading zero, no "-0": the digits `String(value)` writes, no others.
        guard index > digits, index - digits == 1 || line[digits] != UInt8(ascii: "0"), !(negative && magnitude == 0),
            negative == (value < 0), magnitude == value.magnitude
        else { return false }
        position = index
        return true
    }
}
