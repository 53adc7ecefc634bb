private import TrailIO

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Darwin)
    private import Darwin
#endif

/// Which day files may hold a trace id, kept on disk so that a pull's memory does not grow with the
/// number of traces held.
///
/// An open-addressing hash table of (id hash, day) pairs in a scratch file that is unlinked as soon as it
/// is open: it lives only as long as the ``TraceStore`` that rebuilds it from the day files, so it can
/// never be stale, and a killed run leaves nothing behind (at worst a `.<name>.tmp` file, which the next
/// run deletes). The table is read and written with `pread`/`pwrite`, so its pages sit in the kernel's
/// page cache, not in the process.
///
/// The answer is a superset: ids are compared by hash, and a trace that moved to another day keeps its
/// old entry until the store reopens. ``TraceStore`` therefore confirms every candidate day by reading
/// the file. Not `Sendable`: one store owns it.
final class TraceIndex {
    /// One slot: the id's hash (never 0; 0 marks an empty slot) and the day's ordinal plus one.
    private struct Slot {
        var hash: UInt64
        var day: UInt64
    }

    private static let slotSize = 16
    private let directory: String
    private let name: String
    private var descriptor: Int32
    private var capacity: Int
    /// The (hash, day) pairs stored.
    private(set) var entries = 0
    private var dayNames: [String] = []
    private var dayOrdinals: [String: Int] = [:]
    private let seed: (UInt64, UInt64)
    /// How many slots of a growing table are built in memory at a time (1 MiB by default).
    private let regionSlots: Int
    /// Replaces the seeded hash, so tests can place entries where they choose (never returns 0).
    private let hashOverride: ((String) -> UInt64)?

    /// Creates an empty index in a scratch file in `directory`.
    ///
    /// - Parameters:
    ///   - directory: where the scratch file goes (the workspace, so it is on the data's file system).
    ///   - name: a name unique among the indexes open in `directory`.
    ///   - capacity: the initial number of slots, a power of two.
    ///   - regionSlots: how many slots of the doubled table are built in memory at a time when it grows,
    ///     a power of two.
    ///   - hash: for tests, the hash of an id (never 0) in place of the seeded one.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
    init(
        directory: String,
        name: String,
        capacity: Int = 1 << 16,
        regionSlots: Int = 1 << 16,
        hash: ((String) -> UInt64)? = nil
    ) throws {
        self.directory = directory
        self.name = name
        self.capacity = capacity
        self.regionSlots = regionSlots
        hashOverride = hash
        seed = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        descriptor = -1
        descriptor = try Self.scratchFile(directory: directory, name: name, slots: capacity)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The days that may hold `id`, in the order their entries were added.
    ///
    /// - Parameter id: a trace id.
    /// - Returns: candidate day names (`YYYY-MM-DD`).
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
    func days(of id: String) throws -> [String] {
        let hash = hash(id)
        var output: [String] = []
        var index = Int(truncatingIfNeeded: hash) & (capacity - 1)
        while true {
            let slot = try read(index)
            if slot.hash == 0 { return output }
            if slot.hash == hash { output.append(dayNames[Int(slot.day) - 1]) }
            index = (index + 1) & (capacity - 1)
        }
    }

    /// Records that `day` may hold `id`; adding a pair twice stores it once.
    ///
    /// - Parameters:
    ///   - id: a trace id.
    ///   - day: a day name.
    /// - Throws: ``WorkspaceError/io(operation:path:errno:)``.
    func insert(id: String, day: String) throws {
        let ordinal: Int
        if let known = dayOrdinals[day] {
            ordinal = known
        } else {
            dayNames.append(day)
            ordinal = dayNames.count
            dayOrdinals[day] = ordinal
        }
        if (entries + 1) * 2 > capacity { try grow() }
        try insert(Slot(hash: hash(id), day: UInt64(ordinal)))
    }

    private func insert(_ slot: Slot) throws {
        var index = Int(truncatingIfNeeded: slot.hash) & (capacity - 1)
        while true {
            let held = try read(index)
            if held.hash == 0 { break }
            if held.hash == slot.hash && held.day == slot.day { return }
            index = (index + 1) & (capacity - 1)
        }
        try write(slot, at: index)
        entries += 1
    }

    /// Doubles the table into a new scratch file, a region of the new table at a time.
    ///
    /// Each region (at most `regionSlots` slots, built in memory and written with one `pwrite`) takes the
    /// old entries whose new home falls in it. Their old home is the new one modulo the old capacity and
    /// they sit at or after it, so the region reads the old table's matching range, and on to the end of
    /// the cluster that crosses it, in chunks and in probe order (entries with the same hash keep their
    /// order). An entry that probes past the region's end is placed first in the next one, and past the
    /// table's end, from its start. A growth thus reads the old table about twice, sequentially, rather
    /// than issuing a `pread` and a `pwrite` per entry. Every slot between an entry's home and its place is
    /// filled when it is placed and stays filled, as lookups require.
    private func grow() throws {
        let old = descriptor
        let oldCapacity = capacity
        let newCapacity = oldCapacity * 2
        let fresh = try Self.scratchFile(directory: directory, name: name, slots: newCapacity)
        do {
            try rehash(from: old, capacity: oldCapacity, into: fresh, capacity: newCapacity)
        } catch {
            // The old table stays in use.
            close(fresh)
            throw error
        }
        close(old)
        descriptor = fresh
        capacity = newCapacity
    }

    /// Fills `fresh` (of `newCapacity` slots) with the entries of `old`, as ``grow()`` describes.
    private func rehash(from old: Int32, capacity oldCapacity: Int, into fresh: Int32, capacity newCapacity: Int) throws
    {
        let chunkSlots = min(oldCapacity, 4096)
        var chunk = [UInt8](repeating: 0, count: chunkSlots * Self.slotSize)
        /// Calls `body` with the slots of the old table from slot `first` on, in probe order, until it
        /// returns `false` or the whole table has been read once.
        func forEachOldSlot(from first: Int, _ body: (Slot) -> Bool) throws {
            var done = 0
            while done < oldCapacity {
                let position = (first + done) & (oldCapacity - 1)
                let length = min(chunkSlots, oldCapacity - position, oldCapacity - done)
                try chunk.withUnsafeMutableBytes { raw in
                    try Self.readFully(
                        old,
                        into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<(length * Self.slotSize)]),
                        offset: position * Self.slotSize
                    )
                }
                for offset in 0..<length where !body(Self.decode(chunk, at: offset * Self.slotSize)) { return }
                done += length
            }
        }
        /// Calls `body` with the entries of the old table from slot `first` on, in probe order: `count` slots,
        /// then on to the next empty slot, where a cluster that crosses the end of the range ends (never
        /// more than the whole table once).
        func forEachOldEntry(from first: Int, count: Int, _ body: (Slot) -> Void) throws {
            var read = 0
            try forEachOldSlot(from: first) { slot in
                defer { read += 1 }
                if slot.hash != 0 {
                    body(slot)
                    return true
                }
                return read < count
            }
        }
        let regionSlots = min(newCapacity, self.regionSlots)
        // A region that takes the whole old table reads it once, from an empty slot, so that a cluster
        // crossing the table's end is read in probe order too.
        var wholeTableStart = 0
        if regionSlots >= oldCapacity {
            var position = 0
            try forEachOldSlot(from: 0) { slot in
                if slot.hash == 0 { return false }
                position += 1
                return true
            }
            wholeTableStart = position & (oldCapacity - 1)
        }
        var region = [UInt8](repeating: 0, count: regionSlots * Self.slotSize)
        var carried: [Slot] = []
        let path = scratchPath
        for regionStart in stride(from: 0, to: newCapacity, by: regionSlots) {
            var overflow: [Slot] = []
            try region.withUnsafeMutableBytes { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                func place(_ slot: Slot, from first: Int) {
                    var position = first
                    while position < regionSlots,
                        raw.loadUnaligned(fromByteOffset: position * Self.slotSize, as: UInt64.self) != 0
                    {
                        position += 1
                    }
                    guard position < regionSlots else { return overflow.append(slot) }
                    raw.storeBytes(of: slot.hash.littleEndian, toByteOffset: position * Self.slotSize, as: UInt64.self)
                    raw.storeBytes(
                        of: slot.day.littleEndian,
                        toByteOffset: position * Self.slotSize + 8,
                        as: UInt64.self
                    )
                }
                for slot in carried { place(slot, from: 0) }
                // An entry's old home is its new home modulo the old capacity, and it sits at or after it.
                let first = regionSlots >= oldCapacity ? wholeTableStart : regionStart & (oldCapacity - 1)
                try forEachOldEntry(from: first, count: regionSlots) { slot in
                    let home = Int(truncatingIfNeeded: slot.hash) & (newCapacity - 1)
                    if home >= regionStart, home < regionStart + regionSlots { place(slot, from: home - regionStart) }
                }
                try WorkspaceError.wrapping {
                    try FileIO.writeAll(
                        UnsafeRawBufferPointer(raw),
                        to: fresh,
                        at: regionStart * Self.slotSize,
                        path: path
                    )
                }
            }
            carried = overflow
        }
        // Past the table's end, probing continues at its start.
        for slot in carried {
            var index = 0
            while try Self.read(fresh, index).hash != 0 { index += 1 }
            try Self.write(slot, to: fresh, at: index, path: scratchPath)
        }
    }

    private func hash(_ id: String) -> UInt64 {
        if let hashOverride { return hashOverride(id) }
        var hasher = Hasher()
        hasher.combine(seed.0)
        hasher.combine(seed.1)
        hasher.combine(id)
        let value = UInt64(bitPattern: Int64(hasher.finalize()))
        return value == 0 ? 1 : value
    }

    private func read(_ index: Int) throws -> Slot {
        try Self.read(descriptor, index)
    }

    private func write(_ slot: Slot, at index: Int) throws {
        try Self.write(slot, to: descriptor, at: index, path: scratchPath)
    }

    private static func read(_ descriptor: Int32, _ index: Int) throws -> Slot {
        var words: (UInt64, UInt64) = (0, 0)
        try withUnsafeMutableBytes(of: &words) { raw in
            try readFully(descriptor, into: raw, offset: index * slotSize)
        }
        return Slot(hash: UInt64(littleEndian: words.0), day: UInt64(littleEndian: words.1))
    }

    private static func write(_ slot: Slot, to descriptor: Int32, at index: Int, path: String) throws {
        var words = (slot.hash.littleEndian, slot.day.littleEndian)
        try withUnsafeBytes(of: &words) { raw in
            try WorkspaceError.wrapping {
                try FileIO.writeAll(raw, to: descriptor, at: index * slotSize, path: path)
            }
        }
    }

    private var scratchPath: String { Self.scratchPath(directory: directory, name: name) }

    private static func decode(_ bytes: [UInt8], at offset: Int) -> Slot {
        bytes.withUnsafeBytes { raw in
            Slot(
                hash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                day: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            )
        }
    }

    private static func readFully(_ descriptor: Int32, into raw: UnsafeMutableRawBufferPointer, offset: Int) throws {
        var done = 0
        while done < raw.count {
            let got = try WorkspaceError.wrapping {
                try FileIO.read(
                    descriptor,
                    into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]),
                    at: offset + done,
                    path: "the trace index"
                )
            }
            if got == 0 {
                // Past the end of the file: zeros, i.e. empty slots.
                (raw.baseAddress! + done).initializeMemory(as: UInt8.self, repeating: 0, count: raw.count - done)
                return
            }
            done += got
        }
    }

    static func scratchPath(directory: String, name: String) -> String {
        directory + "/." + name + ".index.tmp"
    }

    /// Creates a zero-filled (sparse) file of `slots` slots and unlinks it at once, so that only the open
    /// descriptor keeps it alive.
    private static func scratchFile(directory: String, name: String, slots: Int) throws -> Int32 {
        let path = scratchPath(directory: directory, name: name)
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WorkspaceError.io(operation: "create", path: path, errno: errno) }
        unlink(path)
        guard ftruncate(descriptor, off_t(slots * slotSize)) == 0 else {
            let code = errno
            close(descriptor)
            throw WorkspaceError.io(operation: "truncate", path: path, errno: code)
        }
        return descriptor
    }
}
