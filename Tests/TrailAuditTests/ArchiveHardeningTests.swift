import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What the signature does not cover is refused; the file verified is the file used; nothing an archive
/// holds can take memory or forge output. Every archive here is crafted in the test.
@Suite("Hardened verification: coverage, one descriptor, bounded tag files, escaped output")
struct ArchiveHardeningTests {
    typealias Signed = SignedArchive

    // MARK: 1. Check-then-use

    @Test("the file swapped in after verification is not what gets extracted")
    func swapBeforeExtraction() throws {
        let signed = try Signed()
        let unsigned = try signed.edited { path, bytes in
            path.hasPrefix("data/traces/")
                ? Array(
                    String(decoding: bytes, as: UTF8.self)
                        .replacingOccurrences(of: "\"model\"", with: "\"modle\"").utf8
                ) : bytes
        }
        let file = try ArchiveVerifier.open(signed.archive)
        let verified = try ArchiveVerifier.verify(file: file, options: VerificationOptions(key: signed.key.publicKey))
        #expect(verified.report.isIntact, "\(verified.report.text)")
        // The path now names the edited, unsigned copy.
        #expect(rename(unsigned, signed.archive) == 0)
        let destination = signed.directory.appending("restored").path
        try ArchiveVerifier.extract(verified, to: destination, limits: .default)
        // What was extracted is what was verified: the original bytes, byte for byte.
        let original = try ArchiveReader(file: file)
        var compared = 0
        while let entry = try original.nextEntry() {
            let bytes = try original.readData()
            let written = try Data(contentsOf: URL(fileURLWithPath: destination + "/" + entry.path))
            #expect(Array(written) == bytes, "\(entry.path)")
            compared += 1
        }
        #expect(compared > 5)
    }

    @Test("an archive edited in place after verification is not extracted, and nothing is written")
    func editInPlace() throws {
        let signed = try Signed()
        let edited = try signed.edited { path, bytes in
            path.hasPrefix("data/traces/") ? bytes.map { $0 == UInt8(ascii: "a") ? UInt8(ascii: "b") : $0 } : bytes
        }
        let file = try ArchiveVerifier.open(signed.archive)
        let verified = try ArchiveVerifier.verify(file: file, options: VerificationOptions(key: signed.key.publicKey))
        #expect(verified.report.isIntact)
        // Overwrite the same inode with the edited bytes.
        let replacement = try Data(contentsOf: URL(fileURLWithPath: edited))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: signed.archive))
        try handle.write(contentsOf: replacement)
        try handle.truncate(atOffset: UInt64(replacement.count))
        try handle.close()
        let destination = signed.directory.appending("restored").path
        #expect(throws: AuditError.self) { try ArchiveVerifier.extract(verified, to: destination, limits: .default) }
        #expect(!FileManager.default.fileExists(atPath: destination))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: signed.directory.url.path)
                .allSatisfy { !$0.contains("partial") && $0 != "restored" }
        )
    }

    // MARK: 3. Coverage

    @Test(
        "an entry no manifest lists makes a signed archive tampered, and --extract writes nothing",
        arguments: [
            ("NOTICE.txt", "bag-info.txt"), ("schemas/prompttrail/zz-extra.json", nil),
            ("data/extra.jsonl", "manifest-sha256.txt"),
        ] as [(String, String?)]
    )
    func unlisted(name: String, after: String?) throws {
        let signed = try Signed()
        let extra = name.hasSuffix(".json") ? Array("{\"$id\": \"https://example.com/x\"}".utf8) : Array("hi\n".utf8)
        let edited = try signed.edited(inserting: [(name, extra)], after: after)
        let result = try ProcessResult.run("trail-verify", [edited, "--key", signed.publicKeyPath])
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("FAILED"))
        #expect(result.standardOutput.contains(name), "\(result.standardOutput)")
        let target = signed.directory.appending("out")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let extract = try ProcessResult.run(
            "trail-verify",
            [edited, "--key", signed.publicKeyPath, "--extract", target.path]
        )
        #expect(extract.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == [])
    }

    // MARK: 2. Names as bytes

    @Test("a name cut at a NUL by libarchive is refused by the verifier, which extracts nothing")
    func nulInName() throws {
        let directory = try TemporaryDirectory()
        let archive = directory.appending("nul.tar").path
        let program = """
            import io, sys, tarfile
            t = tarfile.open(sys.argv[1], 'w', format=tarfile.USTAR_FORMAT)
            for name, data in [('bagit.txt', b'BagIt-Version: 1.0\\n'), ('data/x\\x00../../evil', b'x')]:
                info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
            t.close()
            """
        let crafted = try AuditFixtures.run("python3", ["-c", program, archive])
        try #require(crafted.status == 0, "\(crafted.output)")
        let report = try ArchiveVerifier.verify(archive)
        #expect(!report.isIntact)
        #expect(
            report.findings.contains { $0.check == .safety && $0.message.contains("after a NUL") },
            "\(report.text)"
        )
        let target = directory.appending("out").path
        #expect(try !ArchiveVerifier.extract(archive, to: target).isIntact)
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    // MARK: 4. Bounded tag files

    @Test("four 200 MB top-level files: verify stays under 200 MiB and names them", .timeLimit(.minutes(5)))
    func hugeTagFiles() throws {
        let signed = try Signed()
        let directory = signed.directory
        let bomb = directory.appending("bomb.tar.zst").path
        let reader = try ArchiveReader(path: signed.archive)
        let zeros = [UInt8](repeating: 0x20, count: 1 << 20)
        try ArchiveWriter.write(to: bomb, format: .tar, compression: .zstd) { writer in
            while let entry = try reader.nextEntry() {
                try writer.writeFile(entry, contents: try reader.readData())
                guard entry.path == BagLayout.info else { continue }
                for index in 0..<4 {
                    try writer.beginEntry(ArchiveEntry(path: "notes-\(index).txt", size: 200 << 20))
                    for _ in 0..<200 { try zeros.withUnsafeBytes { try writer.write($0) } }
                }
            }
        }
        #expect(try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int ?? .max < 2 << 20)
        let measured = try Self.runMeasured("trail-verify", [bomb, "--key", signed.publicKeyPath])
        #expect(measured.status == 1, "\(measured.output)")
        #expect(measured.output.contains("notes-0.txt"))
        #expect(measured.maxResidentKiB < 200 << 10, "peak RSS \(measured.maxResidentKiB) KiB")
    }

    @Test("a tag file over its cap is refused by name")
    func oversizedBagInfo() throws {
        let signed = try Signed()
        let edited = try signed.edited { path, bytes in
            path == BagLayout.info ? bytes + Array(String(repeating: "X-Pad: 0123456789\n", count: 70_000).utf8) : bytes
        }
        let report = try ArchiveVerifier.verify(edited)
        #expect(!report.isIntact)
        #expect(report.findings.contains { $0.check == .safety && $0.message.contains("bag-info.txt is larger") })
    }

    // MARK: 5. Stripped signature

    @Test("a signature removed from an archive that names its key is tampered, with or without --key")
    func strippedSignature() throws {
        let signed = try Signed()
        let stripped = try signed.edited { path, bytes in path == BagLayout.signature ? nil : bytes }
        let report = try ArchiveVerifier.verify(stripped)
        #expect(!report.isIntact)
        #expect(report.findings.contains { $0.check == .signature && $0.message.contains("removed") })
        let result = try ProcessResult.run("trail-verify", [stripped])
        #expect(result.status == 1)
        // An archive that was never signed still verifies without --key.
        let unsigned = try AuditFixtures.build(in: signed.directory, name: "unsigned.tar.zst")
        #expect(try ArchiveVerifier.verify(unsigned).isIntact)
    }

    // MARK: 6. Output injection

    @Test("names holding newlines and escape sequences cannot forge a line of output")
    func outputInjection() throws {
        let signed = try Signed()
        let forged = "\n\u{1b}[32mFORGED.tar.zst: intact\u{1b}[0m"
        // Allowed by the path rules but listed nowhere (a bidi override), and refused by them (a newline).
        let listedNowhere = try signed.edited("bidi.tar.zst", inserting: [("data/\u{202E}txt.exe", [1])])
        let refused = try signed.edited("forged.tar.zst", inserting: [("data/x" + forged, [1])])
        for archive in [listedNowhere, refused] {
            let result = try ProcessResult.run("trail-verify", [archive, "--key", signed.publicKeyPath])
            #expect(result.status == 1)
            let all = result.standardOutput + result.standardError
            #expect(!all.contains("\u{1b}"), "\(all)")
            #expect(!all.contains("\u{202E}"), "\(all)")
            #expect(!all.contains("\nFORGED"))
            #expect(!all.split(separator: "\n").contains { $0.hasPrefix("FORGED") })
        }
        let result = try ProcessResult.run("trail-verify", [refused])
        #expect(result.standardOutput.contains("\\n\\x1b[32mFORGED"), "\(result.standardOutput)")
    }

    // MARK: 8. Long lines name their place

    @Test("a line longer than the limit is a finding naming the entry and the line", .timeLimit(.minutes(3)))
    func longLine() throws {
        let signed = try Signed()
        var target = ""
        let edited = try signed.edited { path, bytes in
            guard path.hasPrefix("data/traces/"), target.isEmpty else { return bytes }
            target = path
            return bytes + [UInt8](repeating: UInt8(ascii: "x"), count: 65 << 20) + [0x0A] + Array("{}\n".utf8)
        }
        let report = try ArchiveVerifier.verify(edited)
        #expect(!report.isIntact)
        let finding = report.findings.first { $0.message.contains("longer than") }
        #expect(finding?.entry == target, "\(report.text)")
        #expect(finding?.line != nil)
        // The entry was still hashed to its end: its checksum is reported, not an unreadable archive.
        #expect(report.findings.contains { $0.check == .checksums && $0.entry == target })
    }

    // MARK: Helpers

    /// Runs a built tool under Python's `resource` module, which reports the child's peak resident set.
    static func runMeasured(
        _ tool: String,
        _ arguments: [String]
    ) throws -> (status: Int32, output: String, maxResidentKiB: Int) {
        let program = """
            import resource, subprocess, sys
            result = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + "\\n")
            sys.stdout.write(result.stdout.decode("utf-8", "replace"))
            sys.exit(result.returncode)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", "-c", program, PackagePaths.products.appendingPathComponent(tool).path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let first = text.prefix { $0 != "\n" }
        return (process.terminationStatus, String(text.dropFirst(first.count + 1)), Int(first) ?? .max)
    }
}
