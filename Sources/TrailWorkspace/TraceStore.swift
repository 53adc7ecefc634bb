internal import TrailJSON
public import TrailModel

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Darwin)
    private import Darwin
#endif

/// The trace day files of one project: `traces/<project_id>/<YYYY-MM-DD>.jsonl`.
///
/// ``apply(_:)`` merges a batch into the day files it touches, each rewritten atomically, sorted by
/// `created_at` then `trace_id`, deduplicated by id. Memory is bounded by the batch, not by what is held:
/// a day file is merged by streaming it into its replacement (the held lines a batch only inserts among copied
/// in bulk, see ``mergeByCopying(day:writes:)``), and the id → day index lives
/// in a scratch file (``TraceIndex``) rebuilt from the day files when the store opens, so a run killed at
/// any moment restarts from what is really stored.
public final class TraceStore {
    /// The project.
    public let project: String
    let directory: String
    private let index: TraceIndex
    /// How many traces the project holds.
    public private(set) var count = 0
    /// The greatest (change time, id) held, as stored text: the traces high-water mark.
    public private(set) var highWaterMark: (time: Timestamp, text: String, id: String)?

    /// Opens the store and indexes the day files, reading them line by line.
    ///
    /// - Parameters:
    ///   - workspace: the workspace root.
    ///   - project: the project id.
    /// - Throws: ``WorkspaceError`` when a day file cannot be read or holds a line that is not a trace.
    public init(workspace: String, project: String) throws {
        self.project = project
        directory = workspace + "/traces/" + project
        try AtomicFile.makeDirectory(workspace)
        index = try TraceIndex(directory: workspace, name: "traces-" + project)
        for name in AtomicFile.list(directory) where name.hasSuffix(".jsonl") && !name.hasPrefix(".") {
            let day = String(name.dropLast(6))
            try forEachLine(day: day) { keys, _ in
                try index.insert(id: keys.id, day: day)
                count += 1
                note(keys)
            }
        }
    }

    /// Whether a trace id is held: the day files the index names are read to confirm it.
    ///
    /// - Parameter id: a trace id.
    /// - Returns: `true` when stored; `false` also when those day files cannot be read.
    public func contains(_ id: String) -> Bool {
        guard let days = try? index.days(of: id) else { return false }
        for day in Set(days) {
            var found = false
            try? forEachLine(day: day) { keys, _ in
                if keys.id == id { found = true }
            }
            if found { return true }
        }
        return false
    }

    /// The members of a stored line that place it and date it.
    struct Keys {
        var id: String
        var created: Timestamp
        var updated: Timestamp?
        var updatedText: String?
        var createdText: String
    }

    /// A record of the batch and the days the index says may hold it.
    struct Incoming {
        var trace: StoredTrace
        var candidates: [String]
    }

    /// Stores a batch: new traces are inserted, changed ones replace the held line (a trace whose
    /// `created_at` moved changes file), identical ones and ones older than the held copy (by
    /// `updated_at`) are left alone.
    ///
    /// - Parameter records: the batch; for repeated ids the last one counts.
    /// - Returns: what happened.
    /// - Throws: ``WorkspaceError``.
    @discardableResult
    public func apply(_ records: [TraceRecord]) throws -> WriteCounts {
        try apply(records.map(StoredTrace.init))
    }

    /// Stores a batch of serialized records, as ``apply(_:)-([TraceRecord])`` does.
    ///
    /// - Parameter traces: the batch; for repeated ids the last one counts.
    /// - Returns: what happened.
    /// - Throws: ``WorkspaceError``.
    @discardableResult
    public func apply(_ traces: [StoredTrace]) throws -> WriteCounts {
        // Positions of the records that count: the last one per id, unless an earlier one is newer.
        var latest: [String: Int] = [:]
        for (position, trace) in traces.enumerated() {
            if let kept = latest[trace.id], let keptUpdated = traces[kept].updatedAt, let updated = trace.updatedAt,
                keptUpdated > updated
            {
                continue
            }
            latest[trace.id] = position
        }
        var byDay: [String: [Incoming]] = [:]
        for position in latest.values.sorted() {
            let trace = traces[position]
            byDay[trace.day, default: []].append(Incoming(trace: trace, candidates: try index.days(of: trace.id)))
        }
        var counts = WriteCounts()
        // Ids to delete from other day files, and whether the record was also held in its own day.
        var removals: [String: Set<String>] = [:]
        var heldInOwnDay: [String: Bool] = [:]
        // Write the new files first: a crash between the two steps leaves a duplicate that the next
        // pull removes (the record is fetched again), never a missing record.
        for day in byDay.keys.sorted() {
            var incoming = byDay.removeValue(forKey: day)!
            incoming.sort { Self.precedes($0.trace.createdAt, $0.trace.id, $1.trace.createdAt, $1.trace.id) }
            // The held copies in this day's file, for the records the index places there.
            var held: [String: Keys] = [:]
            var heldBytesEqual = Set<String>()
            let lookup = Dictionary(
                incoming.enumerated().compactMap {
                    $0.element.candidates.contains(day) ? ($0.element.trace.id, $0.offset) : nil
                },
                uniquingKeysWith: { first, _ in first }
            )
            if !lookup.isEmpty {
                try forEachLine(day: day) { keys, line in
                    guard let position = lookup[keys.id] else { return }
                    held[keys.id] = keys
                    if incoming[position].trace.line == line { heldBytesEqual.insert(keys.id) }
                }
            }
            var writes: [Incoming] = []
            var replaced = Set<String>()
            for record in incoming {
                let id = record.trace.id
                let heldKeys = held[id]
                if let heldKeys {
                    if heldBytesEqual.contains(id)
                        || (heldKeys.updated != nil && record.trace.updatedAt != nil
                            && heldKeys.updated! > record.trace.updatedAt!)
                    {
                        counts.unchanged += 1
                    } else {
                        counts.updated += 1
                        replaced.insert(id)
                        writes.append(record)
                    }
                } else {
                    writes.append(record)
                }
                let elsewhere = record.candidates.filter { $0 != day }
                if !elsewhere.isEmpty {
                    for other in elsewhere { removals[other, default: []].insert(id) }
                    heldInOwnDay[id] = heldKeys != nil
                } else if heldKeys == nil {
                    counts.new += 1
                    count += 1
                }
            }
            guard !writes.isEmpty else { continue }
            try merge(day: day, writes: writes, replacing: replaced)
            for record in writes {
                try index.insert(id: record.trace.id, day: day)
                note(
                    Keys(
                        id: record.trace.id,
                        created: record.trace.createdAt,
                        updated: record.trace.updatedAt,
                        updatedText: record.trace.updatedText,
                        createdText: record.trace.createdText
                    )
                )
            }
        }
        // Then delete the lines the batch moved to another day (and duplicates a killed run left).
        var removedFrom: [String: Int] = [:]
        for day in removals.keys.sorted() {
            for id in try remove(ids: removals[day]!, from: day) { removedFrom[id, default: 0] += 1 }
        }
        for (id, heldHere) in heldInOwnDay {
            let removed = removedFrom[id] ?? 0
            if heldHere {
                count -= removed
            } else if removed == 0 {
                // The index named another day, but that day did not hold it (a hash collision or a
                // line moved earlier in this run).
                counts.new += 1
                count += 1
            } else {
                counts.updated += 1
                count -= removed - 1
            }
        }
        return counts
    }

    /// File order: `created_at` as an instant, then `trace_id` in code point order.
    static func precedes(_ lhsCreated: Timestamp, _ lhsID: String, _ rhsCreated: Timestamp, _ rhsID: String) -> Bool {
        if lhsCreated != rhsCreated { return lhsCreated < rhsCreated }
        return lhsID.unicodeScalars.lexicographicallyPrecedes(rhsID.unicodeScalars)
    }

    func note(_ keys: Keys) {
        let time = keys.updated ?? keys.created
        let text = keys.updatedText ?? keys.createdText
        if let mark = highWaterMark {
            if time < mark.time { return }
            if time == mark.time, !mark.id.unicodeScalars.lexicographicallyPrecedes(keys.id.unicodeScalars) { return }
        }
        highWaterMark = (time, text, keys.id)
    }

    func path(_ day: String) -> String { directory + "/" + day + ".jsonl" }

    /// Whether a merge that only inserts copies the held lines around the inserted ones in bulk
    /// (``mergeByCopying(day:writes:)``); tests turn it off to compare with the line-by-line merge.
    var mergesByCopying = true

    /// Rewrites a day file with `writes` merged in, in file order, and the lines of `replacing` left out.
    func merge(day: String, writes: [Incoming], replacing: Set<String>) throws {
        try AtomicFile.makeDirectory(directory)
        if mergesByCopying, replacing.isEmpty, try mergeByCopying(day: day, writes: writes) { return }
        try mergeLineByLine(day: day, writes: writes, replacing: replacing)
    }

    /// A line the bulk merge leaves to the line-by-line one (which skips blank lines and reports others).
    private struct UnreadableLine: Error {}

    /// Merges `writes` (sorted, none of them held in this day) into the day file when it exists and ends with
    /// a line break: a binary search finds where the first one goes, the bytes before it are copied in bulk,
    /// the lines from there are read one by one only until every write is placed, and the rest is copied in
    /// bulk. Returns `false`, having written nothing, when it cannot (the file is missing, does not end with a
    /// line break, or a line it reads is blank or not a trace).
    func mergeByCopying(day: String, writes: [Incoming]) throws -> Bool {
        guard let first = writes.first, let file = try DayFile(path: path(day)), file.endsWithLineBreak else {
            return false
        }
        let path = path(day)
        func keys(_ line: ArraySlice<UInt8>) throws -> Keys {
            guard !line.isEmpty, let keys = try? self.keys(of: line, path: path) else { throw UnreadableLine() }
            return keys
        }
        do {
            let start = try file.firstLine { line in
                let held = try keys(line)
                return Self.precedes(first.trace.createdAt, first.trace.id, held.created, held.id)
            }
            try AtomicFile.write(to: path) { output in
                try output.copy(from: file.descriptor, range: 0..<start, path: path)
                var next = 0
                var copied = start
                try file.forEachLine(from: start) { line, end in
                    let held = try keys(line)
                    while next < writes.count,
                        Self.precedes(writes[next].trace.createdAt, writes[next].trace.id, held.created, held.id)
                    {
                        try output.writeLine(writes[next].trace.line)
                        next += 1
                    }
                    guard next < writes.count else { return false }
                    try output.writeLine(line)
                    copied = end
                    return true
                }
                try output.copy(from: file.descriptor, range: copied..<file.size, path: path)
                while next < writes.count {
                    try output.writeLine(writes[next].trace.line)
                    next += 1
                }
            }
        } catch is UnreadableLine {
            return false
        }
        return true
    }

    /// Rewrites a day file with `writes` merged in, in file order, and the lines of `replacing` left out;
    /// the held file is read line by line.
    func mergeLineByLine(day: String, writes: [Incoming], replacing: Set<String>) throws {
        var next = 0
        try AtomicFile.write(to: path(day)) { output in
            try forEachLine(day: day) { keys, line in
                if replacing.contains(keys.id) { return }
                while next < writes.count,
                    Self.precedes(writes[next].trace.createdAt, writes[next].trace.id, keys.created, keys.id)
                {
                    try output.writeLine(writes[next].trace.line)
                    next += 1
                }
                try output.writeLine(line)
            }
            while next < writes.count {
                try output.writeLine(writes[next].trace.line)
                next += 1
            }
        }
    }

    /// Rewrites a day file without the lines of `ids` (deleting it when none is left).
    ///
    /// - Returns: the ids that were found and removed; the file is left alone when there are none.
    func remove(ids: Set<String>, from day: String) throws -> Set<String> {
        var found = Set<String>()
        try forEachLine(day: day) { keys, _ in
            if ids.contains(keys.id) { found.insert(keys.id) }
        }
        guard !found.isEmpty else { return found }
        var kept = 0
        try AtomicFile.write(to: path(day)) { output in
            try forEachLine(day: day) { keys, line in
                if found.contains(keys.id) { return }
                try output.writeLine(line)
                kept += 1
            }
        }
        if kept == 0 {
            try AtomicFile.remove(path(day))
            AtomicFile.removeDirectoryIfEmpty(directory)
        }
        return found
    }

    /// Reads a day file line by line (a missing file has no lines).
    func forEachLine(day: String, _ body: (Keys, [UInt8]) throws -> Void) throws {
        let path = path(day)
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return }
            throw WorkspaceError.io(operation: "stat", path: path, errno: errno)
        }
        let reader: NDJSONReader
        do {
            reader = try NDJSONReader(path: path)
        } catch {
            throw WorkspaceError.io(operation: "open", path: path, errno: errno)
        }
        defer { reader.close() }
        while true {
            let line: NDJSONLine?
            do {
                line = try reader.next()
            } catch {
                throw WorkspaceError.corrupt(path: path, message: "\(error)")
            }
            guard let line else { return }
            try body(try keys(of: line.bytes[...], path: path), line.bytes)
        }
    }

    func keys(of line: ArraySlice<UInt8>, path: String) throws -> Keys {
        var id = LineKeys.string("trace_id", in: line) ?? nil
        var created = LineKeys.string("created_at", in: line) ?? nil
        var updated = LineKeys.string("updated_at", in: line)
        if id == nil || created == nil || updated == nil {
            guard let json = LineKeys.parse(line), let record = TraceRecord(stored: json) else {
                throw WorkspaceError.corrupt(path: path, message: "a line is not a trace record")
            }
            id = record.id
            created = json["created_at"]?.stringValue
            updated = .some(json["updated_at"]?.stringValue)
        }
        guard let id, let createdText = created, let createdAt = Timestamp(createdText) else {
            throw WorkspaceError.corrupt(path: path, message: "a line has no trace_id or created_at")
        }
        let updatedText = updated ?? nil
        return Keys(
            id: id,
            created: createdAt,
            updated: updatedText.flatMap(Timestamp.init),
            updatedText: updatedText,
            createdText: createdText
        )
    }
}
