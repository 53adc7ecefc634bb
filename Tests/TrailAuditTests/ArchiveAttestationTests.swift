import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailTestSupport

@Suite("Signed archives carry an attestation: in-toto statement, DSSE, Sigstore bundle")
struct ArchiveAttestationTests {
    static func entries(_ archive: String) throws -> [String: [UInt8]] {
        let reader = try ArchiveReader(path: archive)
        var entries: [String: [UInt8]] = [:]
        while let entry = try reader.nextEntry() { entries[entry.path] = try reader.readData() }
        return entries
    }

    @Test("Ed25519: both signatures, the bundle written beside, checked by securesystemslib and Sigstore's models")
    func ed25519() throws {
        let directory = try TemporaryDirectory()
        let key = directory.appending("audit.key").path
        #expect(try ProcessResult.run("trail-archive", ["keygen", "-o", key]).status == 0)
        let archive = directory.appending("audit.tar.zst").path
        let beside = directory.appending("check/audit.sigstore.json").path
        try FileManager.default.createDirectory(
            atPath: directory.appending("check").path,
            withIntermediateDirectories: true
        )
        let packed = try ProcessResult.run(
            "trail-archive",
            [AuditFixtures.workspace, "-o", archive, "--sign", key, "--attestation", beside]
                + AuditFixtures.schemaArguments
        )
        #expect(packed.status == 0, "\(packed.standardError)")
        let entries = try Self.entries(archive)
        let bundle = try #require(entries[BagLayout.attestation])
        #expect(entries[BagLayout.signature] != nil)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: beside))) == bundle)
        let statement = try InTotoStatement.parse(try SigstoreBundle.parse(bundle).envelope.payload)
        #expect(statement.predicateType == InTotoStatement.archivePredicateType)
        #expect(statement.subjects.map(\.name) == [BagLayout.tagManifest, BagLayout.manifest])

        let verified = try ProcessResult.run("trail-verify", [archive, "--key", key + ".pub"])
        #expect(verified.status == 0, "\(verified.standardOutput)")
        #expect(verified.standardOutput.contains("attestation valid, by the given ed25519 key"))

        // The independent judges, on the bundle the archive carries.
        try FileManager.default.copyItem(atPath: key + ".pub", toPath: directory.appending("check/audit.pub.pem").path)
        let script = PackagePaths.root.appendingPathComponent("Tests/Python/attestation_check.py").path
        let run = try AuditFixtures.run(try AuditFixtures.venvPython(), [script, directory.appending("check").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("audit: ed25519 bundle checked"), "\(run.output)")
    }

    @Test("ECDSA P-256: the attestation alone signs the archive; a wrong key and a removed bundle fail")
    func p256() throws {
        let directory = try TemporaryDirectory()
        let key = directory.appending("p256.key").path
        #expect(try ProcessResult.run("trail-archive", ["keygen", "--type", "p256", "-o", key]).status == 0)
        let archive = directory.appending("audit.tar.zst").path
        let packed = try ProcessResult.run(
            "trail-archive",
            [AuditFixtures.workspace, "-o", archive, "--sign", key] + AuditFixtures.schemaArguments
        )
        #expect(packed.status == 0, "\(packed.standardError)")
        let entries = try Self.entries(archive)
        #expect(entries[BagLayout.signature] == nil)
        #expect(entries[BagLayout.attestation] != nil)

        let verified = try ProcessResult.run("trail-verify", [archive, "--key", key + ".pub", "--require-signature"])
        #expect(verified.status == 0, "\(verified.standardOutput)")
        #expect(verified.standardOutput.contains("attestation valid, by the given ecdsa-sha2-nistp256 key"))
        let named = try ProcessResult.run("trail-verify", [archive])
        #expect(named.status == 0, "\(named.standardOutput)")
        #expect(named.standardOutput.contains("attestation valid, by the named"))

        let other = directory.appending("other.key").path
        #expect(try ProcessResult.run("trail-archive", ["keygen", "--type", "p256", "-o", other]).status == 0)
        let wrong = try ProcessResult.run("trail-verify", [archive, "--key", other + ".pub"])
        #expect(wrong.status == 1)
        #expect(wrong.standardOutput.contains("key: the bundle was signed with key"), "\(wrong.standardOutput)")

        let stripped = directory.appending("stripped.tar.zst").path
        try AuditFixtures.rewrite(archive, to: stripped) { path, bytes in path == BagLayout.attestation ? nil : bytes }
        let removed = try ProcessResult.run("trail-verify", [stripped])
        #expect(removed.status == 1)
        #expect(removed.standardOutput.contains("the attestation was removed"), "\(removed.standardOutput)")
    }

    @Test("a trace removed from data and every manifest, re-hashed without the key, fails on both signatures")
    func consistentRebag() throws {
        let directory = try TemporaryDirectory()
        let key = try ArchiveSigningKey.generate(
            privatePath: directory.appending("audit.key").path,
            publicPath: directory.appending("audit.key.pub").path
        )
        let full = try AuditFixtures.build(
            in: directory,
            name: "full.tar.zst",
            options: try AuditFixtures.options(key: key)
        )
        let workspace = directory.appending("ws").path
        try FileManager.default.copyItem(atPath: AuditFixtures.workspace, toPath: workspace)
        let day = workspace + "/traces/proj_supportdesk/2026-05-16.jsonl"
        var lines = AuditFixtures.lines(Array(try Data(contentsOf: URL(fileURLWithPath: day))))
        lines.removeLast()
        try Data(AuditFixtures.joined(lines)).write(to: URL(fileURLWithPath: day))
        // A bag made consistent without the key: manifests, counts and statement rebuilt for the shorter
        // data, the signatures copied from the original.
        let rebuilt = try AuditFixtures.build(
            in: directory,
            name: "rebuilt.tar.zst",
            options: try AuditFixtures.options(key: key),
            workspace: workspace
        )
        let original = try Self.entries(full)
        let forged = directory.appending("forged.tar.zst").path
        try AuditFixtures.rewrite(rebuilt, to: forged) { path, bytes in
            path == BagLayout.signature || path == BagLayout.attestation ? original[path] : bytes
        }
        let report = try ArchiveVerifier.verify(forged, options: VerificationOptions(key: key.publicKey))
        #expect(!report.isIntact)
        #expect(!report.findings.contains { $0.check == .checksums }, "\(report.text)")
        #expect(report.findings.contains { $0.entry == BagLayout.signature && $0.check == .signature })
        #expect(
            report.findings.contains {
                $0.entry == BagLayout.attestation && $0.message.hasPrefix("subjects: subject tagmanifest-sha256.txt")
            },
            "\(report.text)"
        )
    }
}
