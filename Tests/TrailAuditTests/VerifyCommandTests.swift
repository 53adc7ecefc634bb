import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailTestSupport

@Suite("trail-archive and trail-verify on the command line")
struct VerifyCommandTests {
    @Test("archive, keygen, sign, verify: exit codes and outputs")
    func endToEnd() throws {
        let directory = try TemporaryDirectory()
        let key = directory.appending("audit.key").path
        let keygen = try ProcessResult.run("trail-archive", ["keygen", "-o", key])
        #expect(keygen.status == 0, "\(keygen.standardError)")
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let archive = directory.appending("audit.tar.gz").path
        let packed = try ProcessResult.run(
            "trail-archive",
            [AuditFixtures.workspace, "-o", archive, "--sign", key] + AuditFixtures.schemaArguments
        )
        #expect(packed.status == 0, "\(packed.standardError)")

        let verified = try ProcessResult.run("trail-verify", [archive, "--key", key + ".pub"])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
        #expect(verified.standardOutput.hasPrefix("\(archive): intact"))

        let json = try ProcessResult.run("trail-verify", [archive, "--format", "json"])
        #expect(json.status == 0)
        #expect(json.standardOutput.contains("\"intact\": true"))

        let junit = try ProcessResult.run("trail-verify", [archive, "--format", "junit"])
        #expect(junit.standardOutput.contains("<testsuites name=\"trail-verify\""))
        #expect(junit.standardOutput.contains("<testcase"))
    }

    @Test("usage errors exit 64 and unreadable archives 2, with one line")
    func usage() throws {
        let missing = try ProcessResult.run("trail-verify", ["/nonexistent/audit.tar.zst"])
        #expect(missing.status == 2)
        #expect(missing.standardError.split(separator: "\n").count == 1, "\(missing.standardError)")
        let unknownFormat = try ProcessResult.run("trail-verify", ["a.tar.zst", "--format", "yaml"])
        #expect(unknownFormat.status == 64)
        let unknownExtension = try ProcessResult.run("trail-archive", ["ws", "-o", "audit.rar"])
        #expect(unknownExtension.status == 64)
        #expect(unknownExtension.standardError.contains("cannot tell the format"))
        let directory = try TemporaryDirectory()
        let notWorkspace = try ProcessResult.run(
            "trail-archive",
            ["/nonexistent", "-o", directory.appending("x.tar.zst").path]
        )
        #expect(notWorkspace.status == 2)
        #expect(!notWorkspace.standardError.contains("Fatal error"))
    }

    @Test(
        "malicious archives are refused with exit 1 and --extract writes nothing anywhere",
        arguments: [
            "traversal", "symlink", "hardlink", "absolute", "bomb",
        ]
    )
    func malicious(kind: String) throws {
        let directory = try TemporaryDirectory()
        let archive = directory.appending("evil.tar").path
        let script: String
        switch kind {
        case "traversal": script = "add('../../escaped.txt', b'x')"
        case "symlink": script = "link('data/escape', '/tmp', tarfile.SYMTYPE); add('data/escape/escaped.txt', b'x')"
        case "hardlink": script = "link('data/passwd', '/etc/passwd', tarfile.LNKTYPE)"
        case "absolute": script = "add('\(directory.url.path)/escaped.txt', b'x')"
        default: script = "add('data/zeros.bin', bytes(3 << 20))"
        }
        let program = """
            import io, sys, tarfile
            t = tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT)
            def add(name, data):
                info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
            def link(name, target, kind):
                info = tarfile.TarInfo(name); info.type = kind; info.linkname = target; t.addfile(info)
            add('bagit.txt', b'BagIt-Version: 1.0\\nTag-File-Character-Encoding: UTF-8\\n')
            \(script)
            t.close()
            """
        let crafted = try AuditFixtures.run("python3", ["-c", program, archive])
        try #require(crafted.status == 0, "\(crafted.output)")
        let target = directory.appending("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let result = try ProcessResult.run(
            "trail-verify",
            [archive, "--extract", target.path, "--max-bytes", String(1 << 20)]
        )
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("[safety]"), "\(result.standardOutput)")
        #expect(try AuditFixtures.entries(target) == [])
        #expect(try AuditFixtures.entries(directory.url) == ["evil.tar", "target"])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/escaped.txt"))
    }

    @Test("--trace prints the provenance of an output")
    func trace() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let report = try ArchiveVerifier.verify(archive)
        let dangling = try #require(report.tally.danglingSample.first)
        let result = try ProcessResult.run("trail-verify", [archive, "--trace", dangling.trace])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("status: dangling"))
        #expect(result.standardOutput.contains(dangling.promptVersion))
    }
}
