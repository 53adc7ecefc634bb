import Crypto
import Foundation
import TrailArchive
import TrailJSON

/// Reads an archive through a ``SafeArchiveReader`` on a thread of its own, a few megabytes ahead of the caller,
/// and hashes every entry's data there (but for entries the caller hashes elsewhere), so that decompression, the
/// tar-header check and SHA-256 overlap the caller's work.
///
/// The caller sees what reading the ``SafeArchiveReader`` itself would show, in the same order: each entry,
/// its data, then its digest; an error where the reader threw it, after the data read before it. Memory: the
/// data waiting between the threads is bounded (4 MiB by default) plus one chunk of 256 KiB. Not `Sendable`:
/// the caller's side belongs to one thread.
final class EntryPrefetcher {
    /// SHA-256 (hex) and size of one entry's data; `sha256` is `nil` for an entry read without hashing it
    /// (`unhashed`, whose digest the caller takes elsewhere).
    struct Digest: Sendable, Equatable {
        var sha256: String?
        var size: Int64
    }

    /// What the reading thread hands over, in archive order.
    enum Event: Sendable {
        case entry(ArchiveEntry)
        case data([UInt8])
        case end(Digest)
        case failure(any Error)
        case finished
    }

    /// The events between the two threads, bounded by the memory of the data they hold.
    final class Channel: @unchecked Sendable {
        private let condition = NSCondition()
        private var events: [Event] = []
        private var head = 0
        private var bytes = 0
        private var closed = false
        private let maxBytes: Int

        init(maxBytes: Int) { self.maxBytes = maxBytes }

        /// Adds an event, waiting while the data held is over the bound; `false` once the channel is closed.
        func put(_ event: Event) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while bytes >= maxBytes && !closed { condition.wait() }
            guard !closed else { return false }
            if case .data(let chunk) = event { bytes += chunk.capacity }
            events.append(event)
            condition.broadcast()
            return true
        }

        /// The oldest event, waiting for one.
        func take() -> Event {
            condition.lock()
            defer { condition.unlock() }
            while head == events.count { condition.wait() }
            // The slot lets go of its data now, not when the array is next compacted.
            let event = events[head]
            events[head] = .finished
            head += 1
            if head == events.count {
                events.removeAll(keepingCapacity: true)
                head = 0
            } else if head * 2 >= events.count {
                events.removeFirst(head)
                head = 0
            }
            if case .data(let chunk) = event {
                bytes -= chunk.capacity
                condition.broadcast()
            }
            return event
        }

        /// The memory of all the data the channel still references, taken or not (for tests).
        var retainedBytes: Int {
            condition.lock()
            defer { condition.unlock() }
            return events.reduce(0) { total, event in
                if case .data(let chunk) = event { return total + chunk.capacity }
                return total
            }
        }

        /// Stops the writer: its next (or current) ``put(_:)`` returns `false`.
        func close() {
            condition.lock()
            closed = true
            condition.broadcast()
            condition.unlock()
        }
    }

    private static let chunkSize = 512 << 10

    /// The archive's path.
    let path: String
    private let channel: Channel
    private let done = DispatchSemaphore(value: 0)
    /// Whether the reading thread runs or has not been waited for (until ``close()``).
    private var isOpen = false
    /// Data of the current entry handed over and not yet read: `chunk[offset...]`.
    private var chunk: [UInt8] = []
    private var offset = 0
    /// Where the caller is: reading an entry's data, at its end (``digest`` known), or after the last entry.
    private var current: ArchiveEntry?
    private var ended = false
    private var finished = false
    private var failure: (any Error)?
    /// The digest of the entry whose data has been read to the end.
    private(set) var digest: Digest?

    /// Starts reading `reader` on a new thread; ``close()`` stops it and closes the reader.
    ///
    /// - Parameters:
    ///   - reader: a reader no one else uses from now on.
    ///   - maxBufferedBytes: how much data the thread may read ahead before it waits.
    ///   - unhashed: the paths of entries whose data is read without hashing it.
    init(_ reader: SafeArchiveReader, maxBufferedBytes: Int = 4 << 20, unhashed: Set<String> = []) {
        path = reader.path
        channel = Channel(maxBytes: max(1, maxBufferedBytes))
        let channel = channel
        let done = done
        let transfer = UncheckedTransfer(reader)
        let thread = Thread {
            Self.read(transfer.value, into: channel, unhashed: unhashed)
            transfer.value.close()
            done.signal()
        }
        thread.start()
        isOpen = true
    }

    deinit { close() }

    /// Stops the reading thread, waits for it and closes the archive. Idempotent.
    func close() {
        guard isOpen else { return }
        isOpen = false
        channel.close()
        done.wait()
    }

    /// The next regular file's metadata, after the rest of the current entry's data (which is dropped); `nil`
    /// after the last.
    ///
    /// - Throws: what ``SafeArchiveReader/nextEntry()`` or ``SafeArchiveReader/read(into:)`` threw.
    func nextEntry() throws -> ArchiveEntry? {
        if current != nil, !ended { try skipRest() }
        guard !finished else { return nil }
        switch try nextEvent() {
        case .entry(let entry):
            current = entry
            ended = false
            digest = nil
            return entry
        case .finished:
            finished = true
            current = nil
            return nil
        default:
            preconditionFailure("an entry or the end was due")
        }
    }

    /// Reads the next bytes of the current entry's data.
    ///
    /// - Parameter buffer: where to put them.
    /// - Returns: how many; 0 at the end of the entry, when ``digest`` is its digest.
    /// - Throws: what ``SafeArchiveReader/read(into:)`` threw at this point of the data.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard current != nil, !ended else { return 0 }
        while offset == chunk.count {
            guard let data = try nextData() else { return 0 }
            chunk = data
            offset = 0
        }
        let count = min(buffer.count, chunk.count - offset)
        chunk.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// The next piece of the current entry's data as the reading thread handed it over, without copying it.
    ///
    /// - Returns: the bytes, never empty; `nil` at the end of the entry, when ``digest`` is its digest.
    /// - Throws: what ``SafeArchiveReader/read(into:)`` threw at this point of the data.
    func nextChunk() throws -> [UInt8]? {
        guard current != nil, !ended else { return nil }
        if offset < chunk.count {
            let rest = offset == 0 ? chunk : Array(chunk[offset...])
            chunk = []
            offset = 0
            return rest
        }
        return try nextData()
    }

    /// Drops the rest of the current entry's data; ``digest`` is then its digest.
    ///
    /// - Throws: what ``SafeArchiveReader/read(into:)`` threw in the rest of the data.
    func skipRest() throws {
        guard current != nil else { return }
        chunk = []
        offset = 0
        while !ended, try nextData() != nil {}
    }

    /// The next data the reading thread handed over for the current entry, never empty; `nil` at its end, when
    /// ``digest`` is set and the entry is ended.
    private func nextData() throws -> [UInt8]? {
        while true {
            switch try nextEvent() {
            case .data(let data):
                if data.isEmpty { continue }
                return data
            case .end(let digest):
                self.digest = digest
                ended = true
                chunk = []
                offset = 0
                return nil
            default:
                preconditionFailure("data or the entry's end was due")
            }
        }
    }

    /// The rest of the current entry's data, refused when it is over `limit` bytes.
    ///
    /// - Throws: ``TrailArchive/ArchiveError/limitExceeded(path:reason:)`` over the limit, or what the reader threw.
    func readData(limit: Int) throws -> [UInt8] {
        try SafeArchiveReader.readData(limit: limit, archive: path, entry: current?.path ?? "?", read: read(into:))
    }

    /// The next event; a failure is thrown, then again on every later call.
    private func nextEvent() throws -> Event {
        if let failure { throw failure }
        let event = channel.take()
        if case .failure(let error) = event {
            failure = error
            throw error
        }
        return event
    }

    /// The reading thread: every entry, its data in chunks, its digest (but for `unhashed` entries); stops at
    /// the first error or when the channel closes.
    private static func read(_ reader: SafeArchiveReader, into channel: Channel, unhashed: Set<String>) {
        do {
            while let entry = try reader.nextEntry() {
                guard channel.put(.entry(entry)) else { return }
                let hashes = !unhashed.contains(entry.path)
                var hasher = SHA256()
                var size: Int64 = 0
                while true {
                    // Filled to the chunk's size (libarchive hands over less at a time), so that a chunk's
                    // memory is what the channel counts.
                    var failure: (any Error)?
                    // No larger than what the entry declares it has left (at least one byte, to read its end).
                    let capacity =
                        entry.size > size ? min(chunkSize, Int(entry.size - size)) : entry.size > 0 ? 1 : chunkSize
                    let data = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                        initialized = 0
                        do {
                            while initialized < buffer.count {
                                let count = try reader.read(
                                    into: UnsafeMutableRawBufferPointer(
                                        UnsafeMutableBufferPointer(rebasing: buffer[initialized...])
                                    )
                                )
                                if count == 0 { break }
                                initialized += count
                            }
                        } catch {
                            failure = error
                        }
                    }
                    // The data read before an error is handed over first, as a direct reader would see it.
                    if let failure {
                        if !data.isEmpty {
                            if hashes { data.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
                            guard channel.put(.data(data)) else { return }
                        }
                        throw failure
                    }
                    let count = data.count
                    if count == 0 { break }
                    if hashes { data.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
                    size += Int64(count)
                    guard channel.put(.data(data)) else { return }
                }
                let digest = Digest(sha256: hashes ? Hex.string(hasher.finalize()) : nil, size: size)
                guard channel.put(.end(digest)) else { return }
            }
            _ = channel.put(.finished)
        } catch {
            _ = channel.put(.failure(error))
        }
    }
}
