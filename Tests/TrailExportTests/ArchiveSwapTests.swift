import Foundation
import Testing
import TrailArchive
import TrailAudit
import TrailExport
import TrailTestSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Exporter: the archive exported is the archive verified")
struct ArchiveSwapTests {
    @Test("a path replaced after opening: the export is the verified original, byte for byte")
    func swapBeforeExport() throws {
        let directory = try TemporaryDirectory(prefix: "prompttrail-export-swap")
        let archive = try ArchiveExportTests.archive(in: directory)
        let exporter = Exporter(options: ExportOptions(format: .ndjson))
        _ = try exporter.export(archive: archive, to: directory.appending("reference").path)
        let edited = directory.appending("edited.tar.zst").path
        try ArchiveExportTests.rewrite(archive, to: edited) { path, bytes in
            path.hasPrefix("data/traces/")
                ? Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"gpt", with: "\"xyz").utf8)
                : bytes
        }
        let file = try ArchiveFile(path: archive)
        #expect(rename(edited, archive) == 0)
        _ = try exporter.export(archive: file, to: directory.appending("export").path)
        let expected = try ExporterTests.tree(directory.appending("reference"))
        #expect(expected.count > 10)
        #expect(try ExporterTests.tree(directory.appending("export")) == expected)
        // The path itself now names the edited copy, which fails verification.
        #expect(throws: ExportError.self) { try exporter.export(archive: archive, to: directory.appending("x").path) }
    }
}
