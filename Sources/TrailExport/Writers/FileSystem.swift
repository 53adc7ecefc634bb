import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system operations the export needs, with errors as ``ExportError``.
enum FileSystem {
    /// The message for the current `errno`.
    static func errnoMessage() -> String {
        String(cString: strerror(errno))
    }

    /// Creates a directory and its parents.
    static func createDirectories(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ExportError.io(operation: "create directory", path: path, message: "\(error)")
        }
    }

    /// Whether a regular file exists at `path`.
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Whether a directory exists at `path`.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The size of a file, or `nil` when there is none.
    static func size(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int64(status.st_size)
    }

    /// The names in a directory, sorted by code point; empty when the directory does not exist.
    static func list(_ path: String) throws -> [String] {
        guard isDirectory(path) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted {
                $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
            }
        } catch {
            throw ExportError.io(operation: "list", path: path, message: "\(error)")
        }
    }

    /// Reads a whole (small) file.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExportError.io(operation: "read", path: path, message: "no such file or not readable")
        }
        return [UInt8](data)
    }

    /// Deletes a file, and then its directory if that became empty.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ExportError.io(operation: "delete", path: path, message: errnoMessage())
        }
        if let slash = path.lastIndex(of: "/") {
            rmdir(String(path[..<slash]))
        }
    }

    /// Writes a small file atomically: temporary file, sync, rename.
    ///
    /// - Returns: the file's SHA-256 and size.
    @discardableResult
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws -> (sha256: String, bytes: Int64) {
        let file = try OutputFile(path: path)
        try file.write(bytes)
        try file.finish()
        try file.commit()
        return (file.sha256 ?? "", file.position)
    }

    /// Writes a small file atomically unless it already holds exactly `bytes`.
    ///
    /// - Returns: the file's SHA-256 and size.
    @discardableResult
    static func writeIfChanged(_ bytes: [UInt8], to path: String) throws -> (sha256: String, bytes: Int64) {
        let file = try OutputFile(path: path)
        try file.write(bytes)
        try file.finish()
        if isFile(path), let existing = try? read(path), existing == bytes {
            file.discard()
        } else {
            try file.commit()
        }
        return (file.sha256 ?? "", file.position)
    }
}
