/// What an archive entry is.
public enum ArchiveEntryKind: Sendable, Equatable {
    case regular
    case directory
    case symbolicLink
    case hardLink
    /// Devices, FIFOs, sockets: never written by PromptTrail, and refused when read.
    case other
}

/// The metadata of one archive entry, independent of libarchive's types.
public struct ArchiveEntry: Sendable, Equatable {
    /// The entry's path inside the archive, with `/` separators.
    public var path: String
    /// Regular file, directory, link or other.
    public var kind: ArchiveEntryKind
    /// Size of the entry's data in bytes (0 for directories and links).
    public var size: Int64
    /// Permission bits, e.g. `0o644`.
    public var permissions: UInt16
    /// Modification time in seconds since 1970 (UTC).
    public var modificationTime: Int64
    /// Owner and group ids.
    public var userID: Int64
    public var groupID: Int64
    /// Target of a symbolic or hard link.
    public var linkTarget: String?
    /// The path's bytes as the archive states them; ``path`` is their UTF-8 reading, and the safety rules of
    /// ``ArchivePath`` apply to these bytes.
    public var pathBytes: [UInt8]

    /// Creates entry metadata; defaults suit a reproducible archive (mtime 0, uid/gid 0, mode 0644).
    ///
    /// - Parameters:
    ///   - path: the entry's path inside the archive.
    ///   - kind: regular file by default.
    ///   - size: the data size in bytes.
    ///   - permissions: permission bits.
    ///   - modificationTime: seconds since 1970.
    ///   - userID: owner id.
    ///   - groupID: group id.
    ///   - linkTarget: a link's target.
    ///   - pathBytes: the path's bytes as stored, when they are not `path`'s UTF-8.
    public init(
        path: String,
        kind: ArchiveEntryKind = .regular,
        size: Int64 = 0,
        permissions: UInt16 = 0o644,
        modificationTime: Int64 = 0,
        userID: Int64 = 0,
        groupID: Int64 = 0,
        linkTarget: String? = nil,
        pathBytes: [UInt8]? = nil
    ) {
        self.path = path
        self.kind = kind
        self.size = size
        self.permissions = permissions
        self.modificationTime = modificationTime
        self.userID = userID
        self.groupID = groupID
        self.linkTarget = linkTarget
        self.pathBytes = pathBytes ?? Array(path.utf8)
    }
}
