internal import TrailJSON
public import TrailModel

/// The trace day files of one project: `traces/<project_id>/<YYYY-MM-DD>.jsonl`.
///
/// ``apply(_:)`` merges a batch into the day files it touches, each rewritten atomically, sorted by
/// `created_at` then `trace_id`, deduplicated by id. An index of id → day is rebuilt from disk when the
/// store opens, so a run killed at any moment restarts from what is really stored. Only the day files a
/// batch touches are held in memory, one at a time.
public final class TraceStore {
    /// The project.
    public let project: String
    let directory: String
    private var dayOf: [String: String] = [:]
    /// The greatest (change time, id) held, as stored text: the traces high-water mark.
    public private(set) var highWaterMark: (time: Timestamp, text: String, id: String)?

    /// Opens the store and indexes the day files.
    ///
    /// - Parameters:
    ///   - workspace: the workspace root.
    ///   - project: the project id.
    /// - Throws: ``WorkspaceError`` when a day file cannot be read or holds a line that is not a trace.
    public init(workspace: String, project: String) throws {
        self.project = project
        directory = workspace + "/traces/" + project
        for name in AtomicFile.list(directory) where name.hasSuffix(".jsonl") {
            let day = String(name.dropLast(6))
            for entry in try load(day: day).values {
                dayOf[entry.id] = day
                note(entry)
            }
        }
    }

    /// How many traces the project holds.
    public var count: Int { dayOf.count }

    /// Whether a trace id is held.
    ///
    /// - Parameter id: a trace id.
    /// - Returns: `true` when stored.
    public func contains(_ id: String) -> Bool { dayOf[id] != nil }

    struct Entry {
        var id: String
        var created: Timestamp
        var updated: Timestamp?
        var updatedText: String?
        var createdText: String
        var bytes: [UInt8]
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
        var latest: [String: TraceRecord] = [:]
        for record in records {
            if let held = latest[record.id], let heldUpdated = held.updatedAt, let updated = record.updatedAt,
                heldUpdated > updated
            {
                continue
            }
            latest[record.id] = record
        }
        var byDay: [String: [TraceRecord]] = [:]
        var removals: [String: Set<String>] = [:]
        for record in latest.values {
            byDay[record.day, default: []].append(record)
            if let old = dayOf[record.id], old != record.day { removals[old, default: []].insert(record.id) }
        }
        var counts = WriteCounts()
        var moved = Set<String>()
        // Write the new files first: a crash between the two steps leaves a duplicate that the next
        // open resolves (the record is fetched again), never a missing record.
        for day in byDay.keys.sorted() {
            var entries = try load(day: day)
            var changed = false
            for record in byDay[day]! {
                let bytes = record.json.serialized()
                let entry = Entry(
                    id: record.id,
                    created: record.createdAt,
                    updated: record.updatedAt,
                    updatedText: record.json["updated_at"]?.stringValue,
                    createdText: record.json["created_at"]?.stringValue ?? record.createdAt.description,
                    bytes: bytes
                )
                if let held = entries[record.id] {
                    if held.bytes == bytes
                        || (held.updated != nil && record.updatedAt != nil && held.updated! > record.updatedAt!)
                    {
                        counts.unchanged += 1
                        continue
                    }
                    counts.updated += 1
                } else if removals.values.contains(where: { $0.contains(record.id) }) {
                    counts.updated += 1
                    moved.insert(record.id)
                } else {
                    counts.new += 1
                }
                entries[record.id] = entry
                dayOf[record.id] = day
                note(entry)
                changed = true
            }
            if changed { try write(day: day, entries: entries) }
        }
        for (day, ids) in removals {
            var entries = try load(day: day)
            for id in ids where moved.contains(id) { entries[id] = nil }
            try write(day: day, entries: entries)
        }
        return counts
    }

    func note(_ entry: Entry) {
        let time = entry.updated ?? entry.created
        let text = entry.updatedText ?? entry.createdText
        if let mark = highWaterMark {
            if time < mark.time { return }
            if time == mark.time, !mark.id.unicodeScalars.lexicographicallyPrecedes(entry.id.unicodeScalars) { return }
        }
        highWaterMark = (time, text, entry.id)
    }

    func path(_ day: String) -> String { directory + "/" + day + ".jsonl" }

    func load(day: String) throws -> [String: Entry] {
        guard let bytes = try AtomicFile.read(path(day)) else { return [:] }
        var entries: [String: Entry] = [:]
        for line in LineKeys.lines(bytes) {
            var id = LineKeys.string("trace_id", in: line) ?? nil
            var created = LineKeys.string("created_at", in: line) ?? nil
            var updated = LineKeys.string("updated_at", in: line)
            if id == nil || created == nil || updated == nil {
                guard let json = LineKeys.parse(line), let record = TraceRecord(stored: json) else {
                    throw WorkspaceError.corrupt(path: path(day), message: "a line is not a trace record")
                }
                id = record.id
                created = json["created_at"]?.stringValue
                updated = .some(json["updated_at"]?.stringValue)
            }
            guard let id, let createdText = created, let createdAt = Timestamp(createdText) else {
                throw WorkspaceError.corrupt(path: path(day), message: "a line has no trace_id or created_at")
            }
            let updatedText = updated ?? nil
            entries[id] = Entry(
                id: id,
                created: createdAt,
                updated: updatedText.flatMap(Timestamp.init),
                updatedText: updatedText,
                createdText: createdText,
                bytes: Array(line)
            )
        }
        return entries
    }

    func write(day: String, entries: [String: Entry]) throws {
        if entries.isEmpty {
            try AtomicFile.remove(path(day))
            AtomicFile.removeDirectoryIfEmpty(directory)
            return
        }
        let sorted = entries.values.sorted { lhs, rhs in
            if lhs.created != rhs.created { return lhs.created < rhs.created }
            return lhs.id.unicodeScalars.lexicographicallyPrecedes(rhs.id.unicodeScalars)
        }
        var output: [UInt8] = []
        output.reserveCapacity(sorted.reduce(0) { $0 + $1.bytes.count + 1 })
        for entry in sorted {
            output += entry.bytes
            output.append(0x0A)
        }
        try AtomicFile.makeDirectory(directory)
        try AtomicFile.write(output, to: path(day))
    }
}
