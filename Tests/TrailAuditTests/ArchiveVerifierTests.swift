import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailJSON
import TrailTestSupport

@Suite("trail-verify names every change made to an archive")
struct ArchiveVerifierTests {
    typealias Signed = SignedArchive

    @Test("an untouched signed archive is intact with its key")
    func intact() throws {
        let signed = try Signed()
        let report = try ArchiveVerifier.verify(signed.archive, options: VerificationOptions(key: signed.key.publicKey))
        #expect(report.isIntact, "\(report.text)")
        #expect(report.signature.hasPrefix("valid"))
    }

    @Test("one flipped byte in a trace's output: the file's checksum and the record's line are named")
    func flippedByte() throws {
        let signed = try Signed()
        var target = ""
        var targetLine = 0
        let tampered = try signed.tampered { path, bytes in
            guard path.hasPrefix("data/traces/"), target.isEmpty else { return bytes }
            var lines = AuditFixtures.lines(bytes)
            targetLine = lines.count
            var line = Array(lines[targetLine - 1].utf8)
            let marker = Array("\"model_output\":{\"".utf8)
            guard
                let start = (0..<(line.count - marker.count)).first(where: {
                    Array(line[$0..<($0 + marker.count)]) == marker
                })
            else { return bytes }
            let index = start + marker.count
            line[index] ^= 0x01
            lines[targetLine - 1] = String(decoding: line, as: UTF8.self)
            target = path
            return AuditFixtures.joined(lines)
        }
        try #require(!target.isEmpty, "no trace carries a model_output object")
        let report = try ArchiveVerifier.verify(tampered)
        #expect(!report.isIntact)
        #expect(report.findings.contains { $0.check == .checksums && $0.entry == target }, "\(report.text)")
        #expect(
            report.findings.contains { $0.check == .records && $0.entry == target && $0.line == targetLine },
            "\(report.text)"
        )
    }

    @Test("a dropped prompt version: its file's checksum, the oxum and every lineage line that named it")
    func droppedPromptVersion() throws {
        let signed = try Signed()
        var dropped = ""
        let tampered = try signed.tampered { path, bytes in
            guard path.hasPrefix("data/prompts/"), dropped.isEmpty else { return bytes }
            var lines = AuditFixtures.lines(bytes)
            dropped = path
            lines.removeLast()  // the newest version: the one traces are most likely to name
            return AuditFixtures.joined(lines)
        }
        let report = try ArchiveVerifier.verify(tampered)
        #expect(report.findings.contains { $0.check == .checksums && $0.entry == dropped }, "\(report.text)")
        #expect(report.findings.contains { $0.check == .oxum })
        #expect(report.findings.contains { $0.check == .lineage && $0.message.contains("status is linked") })
    }

    @Test("an edited lineage.jsonl line is named by line and field")
    func editedLineage() throws {
        let signed = try Signed()
        let tampered = try signed.tampered(lines: BagLayout.lineage) { lines in
            let index = lines.firstIndex { $0.contains("\"status\":\"linked\"") }!
            lines[index] = lines[index].replacingOccurrences(
                of: #""output_sha256":"[0-9a-f]{4}"#,
                with: "\"output_sha256\":\"0000",
                options: .regularExpression
            )
        }
        let report = try ArchiveVerifier.verify(tampered)
        #expect(
            report.findings.contains { $0.check == .checksums && $0.entry == "data/lineage.jsonl" },
            "\(report.text)"
        )
        #expect(
            report.findings.contains {
                $0.check == .lineage && $0.entry == "data/lineage.jsonl" && $0.line != nil
                    && $0.message.hasPrefix("output_sha256 is 0000")
            },
            "\(report.text)"
        )
    }

    @Test("lineage lines written otherwise, stating the same values: their checksum fails, nothing else")
    func rewrittenLineage() throws {
        let signed = try Signed()
        var rewritten = 0
        let tampered = try signed.tampered(lines: BagLayout.lineage) { lines in
            for index in lines.indices where index % 3 == 0 && !lines[index].isEmpty {
                // Spaces after the colons, members in reverse order, an escaped letter: other bytes, same values.
                let value = try! JSONParser().parse(lines[index])
                guard case .object(let object) = value else { continue }
                let members = object.keys.reversed().map { key in
                    "\"\(key)\": " + String(decoding: object[key]!.serialized(), as: UTF8.self)
                }
                lines[index] =
                    "{" + members.joined(separator: ", ").replacingOccurrences(of: "linked", with: #"link\u0065d"#)
                    + "}"
                rewritten += 1
            }
        }
        #expect(rewritten > 50)
        let report = try ArchiveVerifier.verify(tampered)
        #expect(
            report.findings.contains { $0.check == .checksums && $0.entry == "data/lineage.jsonl" },
            "\(report.text)"
        )
        #expect(
            report.findings.allSatisfy { $0.check != .lineage && $0.check != .records },
            "\(report.text)"
        )
    }

    @Test("re-signed with another key: the signature fails against the trusted key")
    func wrongKey() throws {
        let signed = try Signed()
        let impostor = ArchiveSigningKey()
        var manifest: [UInt8] = []
        var attestation: [UInt8] = []
        let reader = try ArchiveReader(path: signed.archive)
        while let entry = try reader.nextEntry() {
            if entry.path == "tagmanifest-sha256.txt" { manifest = try reader.readData() }
            if entry.path == BagLayout.attestation { attestation = try reader.readData() }
        }
        // A consistent re-signing replaces both signatures: the Ed25519 one and the attestation's.
        let forged = Array((Data(try impostor.signature(for: manifest)).base64EncodedString() + "\n").utf8)
        let statement = try InTotoStatement.parse(try SigstoreBundle.parse(attestation).envelope.payload)
        let forgedAttestation = try SigstoreBundle.sign(statement: statement, with: .ed25519(impostor)).bytes
        let tampered = try signed.tampered { path, bytes in
            switch path {
            case "signature.ed25519": forged
            case BagLayout.attestation: forgedAttestation
            default: bytes
            }
        }
        let report = try ArchiveVerifier.verify(tampered, options: VerificationOptions(key: signed.key.publicKey))
        #expect(report.findings.allSatisfy { $0.check == .signature }, "\(report.text)")
        #expect(report.findings.first?.message.contains("does not verify with the given key") == true)
        let attestationFindings = report.findings.filter { $0.entry == BagLayout.attestation }.map(\.message)
        #expect(attestationFindings.contains { $0.hasPrefix("key: the bundle was signed with key") }, "\(report.text)")
        #expect(attestationFindings.contains { $0.hasPrefix("signature: the DSSE signature does not verify") })
        #expect(try ArchiveVerifier.verify(tampered, options: VerificationOptions(key: impostor.publicKey)).isIntact)
    }

    @Test("--require-signature fails an unsigned archive")
    func requireSignature() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let report = try ArchiveVerifier.verify(archive, options: VerificationOptions(requireSignature: true))
        #expect(report.findings.map(\.check) == [.signature])
    }

    @Test("OpenSSL, an independent implementation, accepts the signature and the key files")
    func openSSL() throws {
        let signed = try Signed()
        let publicPath = signed.directory.appending("key.pub").path
        try signed.key.publicKey.pemRepresentation.write(toFile: publicPath, atomically: true, encoding: .utf8)
        let bag = signed.directory.appending("bag")
        try FileManager.default.createDirectory(at: bag, withIntermediateDirectories: true)
        _ = try AuditFixtures.run("bsdtar", ["-xf", signed.archive, "-C", bag.path])
        let signature = Data(
            base64Encoded: try String(contentsOf: bag.appendingPathComponent("signature.ed25519"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        )!
        let signaturePath = signed.directory.appending("signature.bin")
        try signature.write(to: signaturePath)
        let result = try AuditFixtures.run(
            "openssl",
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", publicPath, "-rawin", "-in",
                bag.appendingPathComponent("tagmanifest-sha256.txt").path, "-sigfile", signaturePath.path,
            ]
        )
        #expect(result.status == 0, "openssl: \(result.output)")
    }

    @Test("extraction writes the verified bag and nothing else")
    func extraction() throws {
        let signed = try Signed()
        let target = signed.directory.appending("out")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let report = try ArchiveVerifier.extract(signed.archive, to: target.appendingPathComponent("audit").path)
        #expect(report.isIntact)
        #expect(try AuditFixtures.entries(target) == ["audit"])
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("audit/bagit.txt").path))

        let tampered = try signed.tampered { path, bytes in path == "report.md" ? Array("edited".utf8) : bytes }
        let failed = try ArchiveVerifier.extract(tampered, to: target.appendingPathComponent("tampered").path)
        #expect(!failed.isIntact)
        #expect(try AuditFixtures.entries(target) == ["audit"])
    }

    @Test("provenance: trace, prompt content and the parent chain")
    func provenance() throws {
        let directory = try TemporaryDirectory()
        let archive = try AuditFixtures.build(in: directory)
        let reader = try ArchiveReader(path: archive)
        var lineage: [String] = []
        while lineage.isEmpty, let entry = try reader.nextEntry() {
            if entry.path == "data/lineage.jsonl" { lineage = AuditFixtures.lines(try reader.readData()) }
        }
        let linked = try #require(
            lineage.last { $0.contains("\"status\":\"linked\"") && !$0.contains("\"version\":1,") }
        )
        let id = try #require(linked.firstMatch(of: /"trace_id":"([^"]+)"/)).1
        let provenance = try Provenance.find(traceID: String(id), in: archive)
        #expect(provenance.lineage.status == .linked)
        #expect(provenance.promptVersion?["content"] != nil)
        #expect(!provenance.ancestors.isEmpty)
        #expect(provenance.text.contains("parent chain"))
        #expect(throws: AuditError.self) { try Provenance.find(traceID: "trc_missing", in: archive) }
    }
}
