private import TrailCompression
private import TrailIO

#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// Entries' data compressed ahead of time into a file of zstd frames, each entry in frames of its own, for
/// ``ArchiveWriter/writeSplicedEntry(_:frames:)`` to join into a `.tar.zst` archive written with the same
/// ``SplicingZstd`` settings.
///
/// Frames are compressed on ``SplicingZstd/threads`` threads while the caller goes on, so where an entry's
/// frames lie is known once the spool is finished: ``endEntry()`` numbers the entry and
/// ``frames(of:)`` answers after ``finish()``, from the offset after each frame written. Owns its file
/// descriptor; not `Sendable`.
public final class FrameSpool {
    /// An entry of the spool, numbered in the order they were ended.
    public struct Entry: Sendable, Hashable {
        fileprivate let number: Int
    }

    /// The spool file.
    public let path: String
    private var descriptor: Int32
    private var encoder: ParallelZstdEncoder?
    private var written: Int64 = 0
    /// The file offset after each frame written.
    private var frameEnds: [Int64] = []
    /// For each entry ended, the number of frames ended before its end.
    private var entryEnds: [Int] = []
    private var finished = false

    /// Creates (or truncates) the spool file, readable by its owner only.
    ///
    /// - Throws: ``ArchiveError`` when the file cannot be created.
    public init(path: String, settings: SplicingZstd) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ArchiveError.fileSystem(operation: "create", path: path, errno: errno) }
        encoder = ParallelZstdEncoder(level: settings.level, threads: settings.threads) { [unowned self] frame in
            try append(frame)
        }
    }

    deinit {
        if descriptor >= 0 { closeDescriptor(descriptor) }
    }

    /// Compresses the next bytes of the current entry.
    ///
    /// - Throws: ``ArchiveError`` on a compression or write failure.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try encoding { try $0.write(bytes) }
    }

    /// Compresses the next bytes of the current entry into a frame of their own, without copying them.
    ///
    /// - Throws: ``ArchiveError`` on a compression or write failure.
    public func writeFrame(_ bytes: [UInt8]) throws {
        try encoding { try $0.writeFrame(bytes) }
    }

    /// Ends the current entry; the next bytes start another.
    ///
    /// - Returns: the entry, for ``frames(of:)``.
    /// - Throws: ``ArchiveError`` on a compression or write failure.
    public func endEntry() throws -> Entry {
        var framesEnded = 0
        try encoding {
            try $0.endFrame()
            framesEnded = $0.framesEnded
        }
        entryEnds.append(framesEnded)
        return Entry(number: entryEnds.count - 1)
    }

    /// Writes every frame and closes the file; the spool takes no more bytes.
    ///
    /// - Throws: ``ArchiveError`` on a compression or write failure.
    public func finish() throws {
        guard !finished else { return }
        try encoding { try $0.finish() }
        finished = true
        encoder = nil
        closeDescriptor(descriptor)
        descriptor = -1
    }

    /// Where an entry's frames are in the file (length 0 for an entry without bytes); only after
    /// ``finish()``.
    public func frames(of entry: Entry) -> SplicedFrames {
        precondition(finished, "FrameSpool.frames(of:) before finish()")
        /// The file offset where frame `index` starts.
        func offset(_ index: Int) -> Int64 { index == 0 ? 0 : frameEnds[index - 1] }
        let start = offset(entry.number == 0 ? 0 : entryEnds[entry.number - 1])
        return SplicedFrames(path: path, offset: start, length: offset(entryEnds[entry.number]) - start)
    }

    private func append(_ frame: [UInt8]) throws {
        do throws(SystemCallError) {
            try FileIO.writeAll(frame, to: descriptor, path: path)
        } catch {
            throw ArchiveError(error)
        }
        written += Int64(frame.count)
        frameEnds.append(written)
    }

    private func encoding(_ body: (ParallelZstdEncoder) throws -> Void) throws {
        guard let encoder else { throw ArchiveError.closed(operation: "write \(path)") }
        do { try body(encoder) } catch let error as ArchiveError { throw error } catch {
            throw ArchiveError.compression(path: path, message: "\(error)")
        }
    }
}

/// `close(2)`, out of reach of the names of the types above.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
