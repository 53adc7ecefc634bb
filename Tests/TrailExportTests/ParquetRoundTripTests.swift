import Foundation
import Testing
import TrailExport
import TrailJSON
import TrailTestSupport

/// The values FuzzParquet feeds the writer, read back by pyarrow: every column type's extremes, in small row
/// groups, plain and gzip.
@Suite("Parquet values read back by pyarrow")
struct ParquetRoundTripTests {
    static let python = PackagePaths.root.appendingPathComponent(".venv/bin/python")

    /// Prints each column as JSON: doubles as their bit patterns, timestamps as microseconds.
    static let reader = """
        import json, struct, sys
        import pyarrow as pa, pyarrow.parquet as pq
        table = pq.read_table(sys.argv[1])
        def value(item):
            if isinstance(item, float):
                return struct.unpack("<q", struct.pack("<d", item))[0]
            return item
        columns = {}
        for name in table.column_names:
            column = table.column(name)
            if pa.types.is_timestamp(column.type):
                column = column.cast(pa.int64())
            columns[name] = [value(item) for item in column.to_pylist()]
        print(json.dumps(columns))
        """

    static let strings = [
        "", "a", "\u{0}", "é\u{301}", "😀", "line\r\nbreak,\"quoted\"", String(repeating: "x", count: 5000),
    ]
    static let integers: [Int64] = [0, -1, 1, .min, .max, 1 << 53 + 1]
    static let doubles: [Double] = [
        0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1,
    ]

    /// A value of `column`'s type, cycling through the extremes with `row`; null now and then where allowed.
    static func value(_ column: Column, row: Int) -> ExportValue {
        if column.isNullable && row % 5 == 4 { return .null }
        switch column.type {
        case .string, .json: return .string(strings[row % strings.count])
        case .int64: return .integer(integers[row % integers.count])
        case .int32: return .integer(Int64([0, -1, Int32.min, Int32.max][row % 4]))
        case .boolean: return .boolean(row % 2 == 0)
        case .double: return .double(doubles[row % doubles.count])
        case .timestamp: return .timestamp(integers[row % integers.count] / 2)
        case .stringList: return .stringList(Array(strings.prefix(row % 4)))
        }
    }

    /// `value` as the reader prints it.
    static func expected(_ value: ExportValue) -> JSONValue {
        switch value {
        case .null: .null
        case .string(let text): .string(text)
        case .integer(let number), .timestamp(let number): .number(JSONNumber(number))
        case .boolean(let flag): .bool(flag)
        case .double(let number): .number(JSONNumber(Int64(bitPattern: number.bitPattern)))
        case .stringList(let list): .array(list.map { .string($0) })
        }
    }

    @Test("every table's extremes survive", arguments: TableDefinition.all, PageCompression.allCases)
    func roundTrip(table: TableDefinition, compression: PageCompression) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python.path) else {
            Issue.record("\(Self.python.path) is missing: run scripts/bootstrap.sh to install pyarrow")
            return
        }
        let directory = try TemporaryDirectory(prefix: "prompttrail-parquet")
        let path = directory.appending("values.parquet").path
        let writer = try ParquetTableWriter(
            table: table,
            path: path,
            settings: WriterSettings(parquetCompression: compression, rowGroupRows: 3)
        )
        let rows = (0..<17).map { row in table.columns.map { Self.value($0, row: row) } }
        for row in rows { try writer.append(row) }
        try writer.finish()
        #expect(throws: ExportError.self) { try writer.append([]) }

        let output = directory.appending("columns.json")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = Self.python
        process.arguments = ["-c", Self.reader, path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let columns = try #require(try JSONValue(parsing: Data(contentsOf: output)).objectValue)
        for (index, column) in table.columns.enumerated() {
            #expect(columns[column.name] == .array(rows.map { Self.expected($0[index]) }), "\(column.name)")
        }
    }
}
