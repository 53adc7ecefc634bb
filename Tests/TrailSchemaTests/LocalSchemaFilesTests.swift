import Foundation
import Testing
import TrailJSON
import TrailSchema
import TrailTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Local schema files")
struct LocalSchemaFilesTests {
    /// A folder holding `schemas/` (the schema's folder) and `outside/`.
    static func folder() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for name in ["schemas", "outside"] {
            try FileManager.default.createDirectory(at: directory.appending(name), withIntermediateDirectories: true)
        }
        try Data(#"{"type": "string"}"#.utf8).write(to: directory.appending("schemas/string.json"))
        try Data(#"{"type": "string"}"#.utf8).write(to: directory.appending("outside/string.json"))
        return directory
    }

    /// Compiles `{"$ref": reference}` as if it were the file `schemas/root.json` of `directory`.
    static func compile(
        _ reference: String,
        in directory: TemporaryDirectory,
        files: LocalSchemaFiles? = nil
    ) throws -> JSONSchemaValidator {
        let files = files ?? LocalSchemaFiles(directories: [directory.appending("schemas").path])
        return try JSONSchemaValidator(
            schema: ["$ref": .string(reference)],
            uri: directory.appending("schemas/root.json").absoluteString,
            registry: SchemaRegistry.standard.adding(loader: files.loader)
        )
    }

    /// The one-line description of the error compiling `reference` throws.
    static func failure(
        _ reference: String,
        in directory: TemporaryDirectory,
        files: LocalSchemaFiles? = nil
    ) -> String {
        do {
            _ = try compile(reference, in: directory, files: files)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("a regular JSON file in the schema's folder is read")
    func regularFile() throws {
        let directory = try Self.folder()
        let validator = try Self.compile("string.json", in: directory)
        #expect(validator.isValid("text"))
        #expect(!validator.isValid(1))
    }

    @Test("a device is refused without being read, naming the reference and where it is")
    func device() throws {
        let directory = try Self.folder()
        let any = LocalSchemaFiles(directories: nil)
        let started = ContinuousClock.now
        let message = Self.failure("file:///dev/zero", in: directory, files: any)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(
            message
                == "file:///dev/zero referenced from \(directory.appending("schemas/root.json").absoluteString)#/$ref "
                + "is not a regular file (it is a character device)"
        )
    }

    @Test("a FIFO is refused and never waited on", .timeLimit(.minutes(1)))
    func fifo() throws {
        let directory = try Self.folder()
        let path = directory.appending("schemas/pipe.json").path
        #expect(mkfifo(path, 0o600) == 0)
        #expect(Self.failure("pipe.json", in: directory).hasSuffix("is not a regular file (it is a FIFO)"))
        #expect(throws: SchemaError.self) { try LocalSchemaFiles(directories: nil).bytes(atPath: path) }
    }

    @Test("a file that is not JSON is reported by line and column, never by content")
    func notJSON() throws {
        let directory = try Self.folder()
        try Data("root:x:0:0:SECRET-7f3a9:/root:/bin/bash\n".utf8).write(to: directory.appending("schemas/passwd"))
        let message = Self.failure("passwd", in: directory)
        #expect(
            message.hasSuffix(
                "passwd referenced from \(directory.appending("schemas/root.json").absoluteString)#/$ref is not JSON (line 1, column 1: unexpected character)"
            )
        )
        #expect(!message.contains("SECRET"))
        #expect(!message.contains("root:x"))
    }

    @Test("files outside the allowed folders are refused, through .. and symbolic links too")
    func confinement() throws {
        let directory = try Self.folder()
        let outside = directory.appending("outside/string.json").path
        try FileManager.default.createSymbolicLink(
            atPath: directory.appending("schemas/link.json").path,
            withDestinationPath: outside
        )
        for reference in ["../outside/string.json", "link.json", "file://" + outside, outside] {
            #expect(
                Self.failure(reference, in: directory).contains("is outside the folders schema files may be read from")
            )
        }
        let wider = LocalSchemaFiles(directories: [
            directory.appending("schemas").path, directory.appending("outside").path,
        ])
        for reference in ["../outside/string.json", "link.json", "file://" + outside] {
            #expect(try Self.compile(reference, in: directory, files: wider).isValid("text"))
        }
    }

    @Test("a file over the size limit is refused, and at most the limit plus one byte is read")
    func sizeLimit() throws {
        let directory = try Self.folder()
        let small = LocalSchemaFiles(directories: [directory.appending("schemas").path], maxBytes: 64)
        try Data(("{\"type\": \"string\", \"description\": \"" + String(repeating: "x", count: 80) + "\"}").utf8).write(
            to: directory.appending("schemas/long.json")
        )
        #expect(
            Self.failure("long.json", in: directory, files: small).hasSuffix(
                "is larger than the limit of 64 bytes for a schema file"
            )
        )
        // A sparse file one byte over the default limit: refused from its size, without reading it.
        let huge = directory.appending("schemas/huge.json")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: UInt64(LocalSchemaFiles.defaultMaxBytes + 1))
        try handle.close()
        #expect(
            Self.failure("huge.json", in: directory).hasSuffix("is larger than the limit of 16 MiB for a schema file")
        )
        // A file whose size the system does not know in advance (procfs reports 0) is still read only so far.
        if FileManager.default.fileExists(atPath: "/proc/self/maps") {
            let tiny = LocalSchemaFiles(directories: nil, maxBytes: 16)
            #expect(
                Self.failure("file:///proc/self/maps", in: directory, files: tiny).hasSuffix(
                    "is larger than the limit of 16 bytes for a schema file"
                )
            )
        }
    }

    @Test("other URIs are left to other loaders and never fetched")
    func remote() throws {
        let directory = try Self.folder()
        let message = Self.failure("https://example.com/schema.json", in: directory)
        #expect(message.hasPrefix("cannot resolve reference \"https://example.com/schema.json\""))
        #expect(
            Self.failure("file://server/share/s.json", in: directory).hasSuffix(
                "is not a local file URI (only file:///path is read)"
            )
        )
    }
}
