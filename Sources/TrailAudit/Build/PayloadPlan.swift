import Crypto
import Foundation
import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema
import TrailWorkspace

/// One payload file to write: where its bytes come from, and the size and digest pass 1 computed.
struct PayloadPlan {
    enum Source {
        /// A workspace file copied byte for byte.
        case raw(String)
        /// A workspace file without the listed (1-based) lines and blank lines, each line LF-terminated.
        case filtered(String, rejected: Set<Int>)
        /// A file generated in the staging directory.
        case staged(String)
        /// zstd frames spooled in the staging directory as the lines were checked, joined into a `.tar.zst`
        /// archive as they are.
        case spliced(FrameSpool, FrameSpool.Entry)
    }

    var archivePath: String
    var source: Source
    var size: Int64
    var digest: String
}

extension PayloadPlan {
    /// Writes the file as one archive entry. Spliced frames are joined in as they are (they hold the bytes
    /// pass 1 hashed); other sources are read and hashed again: one that no longer gives the size and
    /// digest pass 1 computed stops the run with ``AuditError/workspaceChanged(path:)``.
    ///
    /// - Parameters:
    ///   - writer: the archive being written.
    ///   - modificationTime: the entry's modification time.
    ///   - buffer: a scratch buffer, grown when a line does not fit.
    /// - Throws: ``AuditError/workspaceChanged(path:)``, ``AuditError/fileSystem(operation:path:message:)``
    ///   or the archive writer's error.
    func write(to writer: ArchiveWriter, modificationTime: Int64, buffer: inout [UInt8]) throws {
        let plan = self
        let entry = ArchiveEntry(path: plan.archivePath, size: plan.size, modificationTime: modificationTime)
        if case .spliced(let spool, let spooled) = plan.source {
            try writer.writeSplicedEntry(entry, frames: spool.frames(of: spooled))
            return
        }
        try writer.beginEntry(entry)
        var hasher = SHA256()
        var written: Int64 = 0
        switch plan.source {
        case .raw(let path), .staged(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw AuditError.workspaceChanged(path: path) }
            defer { try? handle.close() }
            while written < plan.size {
                let want = Int(min(Int64(buffer.count), plan.size - written))
                let chunk = try handle.read(upToCount: want) ?? Data()
                guard !chunk.isEmpty else { throw AuditError.workspaceChanged(path: path) }
                hasher.update(data: chunk)
                try chunk.withUnsafeBytes { try writer.write($0) }
                written += Int64(chunk.count)
            }
        case .spliced:
            preconditionFailure("spliced frames are written above")
        case .filtered(let path, let rejected):
            let reader = try NDJSONReader(path: path, options: NDJSONReader.Options(blankLines: .skip))
            defer { reader.close() }
            var pending = 0
            func flush() throws {
                guard pending > 0 else { return }
                guard written + Int64(pending) <= plan.size else { throw AuditError.workspaceChanged(path: path) }
                try buffer.withUnsafeBytes { bytes in
                    let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<pending])
                    hasher.update(bufferPointer: chunk)
                    try writer.write(chunk)
                }
                written += Int64(pending)
                pending = 0
            }
            while true {
                let next: NDJSONLine?
                do { next = try reader.next() } catch {
                    throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
                }
                guard let line = next else { break }
                if rejected.contains(line.number) { continue }
                if pending + line.bytes.count + 1 > buffer.count {
                    try flush()
                    if line.bytes.count + 1 > buffer.count {
                        buffer = [UInt8](repeating: 0, count: line.bytes.count + 1)
                    }
                }
                buffer.withUnsafeMutableBytes { bytes in
                    line.bytes.withUnsafeBytes { source in
                        (bytes.baseAddress! + pending).copyMemory(from: source.baseAddress!, byteCount: source.count)
                    }
                    bytes[pending + line.bytes.count] = 0x0A
                }
                pending += line.bytes.count + 1
            }
            try flush()
            if written != plan.size { throw AuditError.workspaceChanged(path: path) }
        }
        guard Hex.string(hasher.finalize()) == plan.digest else {
            throw AuditError.workspaceChanged(path: plan.archivePath)
        }
    }
}
