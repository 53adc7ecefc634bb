import Foundation
import Testing
import TrailJSON
import TrailTestSupport

@testable import TrailExport

@Suite("ExportManifest")
struct ExportManifestTests {
    private static let entries: [ExportManifest.Entry] = [
        .init(
            path: "traces/dt=2026-05-21/proj_a.parquet",
            table: "traces",
            partition: "dt=2026-05-21",
            projectID: "proj_a",
            rows: 5,
            bytes: 900,
            sha256: String(repeating: "b", count: 64)
        ),
        .init(
            path: "traces/dt=2026-05-20/proj_a.parquet",
            table: "traces",
            partition: "dt=2026-05-20",
            projectID: "proj_a",
            rows: 7,
            bytes: 1000,
            sha256: String(repeating: "a", count: 64)
        ),
        .init(
            path: "_schema/traces.json",
            table: "traces",
            partition: nil,
            projectID: nil,
            rows: nil,
            bytes: 10,
            sha256: String(repeating: "c", count: 64)
        ),
    ]

    private static func manifest() -> ExportManifest {
        ExportManifest(
            fileFormat: .parquet,
            partitioning: .day,
            entries: Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        )
    }

    @Test("written and read back: the same manifest; files sorted by path; tables count data files and rows")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let bytes = Self.manifest().serialized()
        try Data(bytes).write(to: directory.appending(ExportManifest.fileName))
        let read = try #require(try ExportManifest.read(directory: directory.url.path))
        #expect(read == Self.manifest())

        let document = try JSONValue(parsing: String(decoding: bytes, as: UTF8.self))
        #expect(
            document["files"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == [
                "_schema/traces.json", "traces/dt=2026-05-20/proj_a.parquet", "traces/dt=2026-05-21/proj_a.parquet",
            ]
        )
        let traces = document["tables"]?.arrayValue?.first { $0["name"]?.stringValue == "traces" }
        #expect(traces?["files"]?.intValue == 2)
        #expect(traces?["rows"]?.intValue == 12)
        #expect(bytes.last == 0x0A)
        // No timestamps: the same content gives the same bytes.
        #expect(Self.manifest().serialized() == bytes)
    }

    @Test("a directory without a manifest has none")
    func absent() throws {
        let directory = try TemporaryDirectory()
        #expect(try ExportManifest.read(directory: directory.url.path) == nil)
    }

    @Test(
        "a manifest that is not JSON, of another format, or with an incomplete file entry is refused, never half-read",
        arguments: [
            ("{\"format\": ", "unreadable manifest"),
            (#"{"format": "prompttrail-export", "format_version": 2}"#, "not a format-version-1 export manifest"),
            (
                #"{"format": "prompttrail-export", "format_version": 1, "file_format": "parquet", "partitioning": "day", "#
                    + #""files": [{"path": "a", "table": "traces", "bytes": 1, "sha256": "x"}, {"path": "b"}]}"#,
                "/files/1 lacks path, table, bytes or sha256"
            ),
        ]
    )
    func refused(text: String, message: String) throws {
        let directory = try TemporaryDirectory()
        try text.write(to: directory.appending(ExportManifest.fileName), atomically: false, encoding: .utf8)
        #expect {
            try ExportManifest.read(directory: directory.url.path)
        } throws: { error in
            guard case .incompatibleOutput(let path, let text) = error as? ExportError else { return false }
            return path.hasSuffix("/_manifest.json") && text.contains(message)
        }
    }
}
