/// The decompressed bytes handed to libarchive's tar reader, kept until ``TarHeaderCheck`` has read them, so
/// that a compressed archive is decompressed once for both.
///
/// The check reads each entry's headers when libarchive reports the entry, and by then libarchive has been
/// handed those headers. An entry's data is not kept: the check asks to skip it, and the bytes are dropped
/// as they arrive. What the tee holds is therefore bounded by libarchive's read-ahead and one entry's
/// extension headers, whatever the size of the archive. Not `Sendable`: it belongs to one reader.
final class ByteTee {
    private var storage: [UInt8] = []
    private var start = 0
    private var pendingSkip: Int64 = 0
    /// Whether the stream has ended (no byte will be appended any more).
    private(set) var ended = false
    /// Whether appended bytes are kept; a reader that is not reading a tar archive stops keeping them.
    private(set) var isRecording = true
    /// The most bytes held at once so far.
    private(set) var peakHeld = 0

    /// Bytes held and not yet taken.
    var available: Int { storage.count - start }

    /// Keeps `bytes`, less any part of a skip not yet made.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard isRecording, !bytes.isEmpty else { return }
        let dropped = Int(min(Int64(bytes.count), pendingSkip))
        pendingSkip -= Int64(dropped)
        guard dropped < bytes.count else { return }
        if start == storage.count {
            storage.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 1 << 16, start >= storage.count / 2 {
            storage.removeSubrange(0..<start)
            start = 0
        }
        storage.append(contentsOf: bytes[dropped...])
        peakHeld = max(peakHeld, available)
    }

    /// Marks the end of the stream.
    func end() {
        ended = true
    }

    /// Stops keeping bytes and lets go of those held.
    func stopRecording() {
        isRecording = false
        storage = []
        start = 0
    }

    /// The next `count` bytes, or `nil` when fewer are held.
    func take(_ count: Int) -> [UInt8]? {
        guard available >= count else { return nil }
        defer { start += count }
        return Array(storage[start..<(start + count)])
    }

    /// Skips `count` bytes: those held now, and the rest as they arrive.
    func skip(_ count: Int64) {
        let now = Int(min(Int64(available), count))
        start += now
        pendingSkip += count - Int64(now)
    }
}
