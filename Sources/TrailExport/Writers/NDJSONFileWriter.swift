private import TrailCompression
import TrailModel

/// Writes a table as gzip-compressed JSON Lines: one object per row, members in column order.
///
/// Strings (including JSON-text columns) are JSON strings, integers are numbers with all their digits,
/// timestamps are RFC 3339 strings in UTC with six fractional digits, lists are arrays, and nulls are
/// `null` (the form BigQuery, Snowflake and DuckDB load without options). Not `Sendable`.
final class NDJSONFileWriter: TableFileWriter {
    private let table: TableDefinition
    private let file: OutputFile
    private let encoder: GzipEncoder
    private let keys: [[UInt8]]
    private var line: [UInt8] = []
    private var pending: [UInt8] = []
    private(set) var rowCount = 0

    init(table: TableDefinition, path: String, settings: WriterSettings) throws {
        self.table = table
        file = try OutputFile(path: path)
        do {
            encoder = try GzipEncoder(level: settings.gzipLevel)
        } catch {
            throw ExportError.io(operation: "start gzip for", path: path, message: "\(error)")
        }
        keys = table.columns.map { column in
            var key: [UInt8] = []
            TextEncoding.appendJSONString(column.name, to: &key)
            key.append(0x3A)
            return key
        }
    }

    func append(_ row: [ExportValue]) throws {
        line.removeAll(keepingCapacity: true)
        line.append(0x7B)
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(0x2C) }
            line.append(contentsOf: keys[index])
            switch value {
            case .null: line.append(contentsOf: Array("null".utf8))
            case .string(let text): TextEncoding.appendJSONString(text, to: &line)
            case .integer(let integer): line.append(contentsOf: Array(String(integer).utf8))
            case .boolean(let boolean): line.append(contentsOf: Array((boolean ? "true" : "false").utf8))
            case .double(let double):
                guard double.isFinite else {
                    throw ExportError.invalidValue(
                        table: table.name,
                        column: table.columns[index].name,
                        message: "\(double) has no JSON form"
                    )
                }
                line.append(contentsOf: Array(TextEncoding.double(double).utf8))
            case .timestamp(let micros): TextEncoding.appendJSONString(RFC3339Timestamp.format(micros), to: &line)
            case .stringList(let list): line.append(contentsOf: TextEncoding.jsonArray(list))
            }
        }
        line.append(contentsOf: [0x7D, 0x0A])
        rowCount += 1
        pending.append(contentsOf: line)
        if pending.count >= 1 << 20 { try drain() }
    }

    private func drain() throws {
        do {
            try file.write(try encoder.update(pending))
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError.io(operation: "compress", path: file.path, message: "\(error)")
        }
        pending.removeAll(keepingCapacity: true)
    }

    func finish() throws -> OutputFile {
        try drain()
        do {
            try file.write(try encoder.finish())
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError.io(operation: "compress", path: file.path, message: "\(error)")
        }
        try file.finish()
        return file
    }
}
