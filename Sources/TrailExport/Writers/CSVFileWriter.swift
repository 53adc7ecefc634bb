private import TrailCompression
import TrailModel

/// Writes a table as RFC 4180 CSV: a header row of column names, CRLF line ends, and fields quoted when
/// they hold a comma, a quote, CR or LF (quotes doubled), optionally gzip-compressed.
///
/// A null is an empty unquoted field; an empty string is `""`. Timestamps are RFC 3339 in UTC with six
/// fractional digits, Booleans `true`/`false`, and lists a JSON array of strings. Not `Sendable`.
final class CSVFileWriter: TableFileWriter {
    private let file: OutputFile
    private let encoder: GzipEncoder?
    private var pending: [UInt8] = []
    private(set) var rowCount = 0

    init(table: TableDefinition, path: String, settings: WriterSettings) throws {
        file = try OutputFile(path: path)
        do {
            encoder = settings.gzipCSV ? try GzipEncoder(level: settings.gzipLevel) : nil
        } catch {
            throw ExportError.io(operation: "start gzip for", path: path, message: "\(error)")
        }
        for (index, column) in table.columns.enumerated() {
            if index > 0 { pending.append(0x2C) }
            appendField(Array(column.name.utf8), quoteEmpty: true)
        }
        pending.append(contentsOf: [0x0D, 0x0A])
    }

    private func appendField(_ bytes: [UInt8], quoteEmpty: Bool) {
        let needsQuotes =
            (bytes.isEmpty && quoteEmpty)
            || bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else {
            pending.append(contentsOf: bytes)
            return
        }
        pending.append(0x22)
        for byte in bytes {
            if byte == 0x22 { pending.append(0x22) }
            pending.append(byte)
        }
        pending.append(0x22)
    }

    func append(_ row: [ExportValue]) throws {
        for (index, value) in row.enumerated() {
            if index > 0 { pending.append(0x2C) }
            switch value {
            case .null: break
            case .string(let text): appendField(Array(text.utf8), quoteEmpty: true)
            case .integer(let integer): pending.append(contentsOf: Array(String(integer).utf8))
            case .boolean(let boolean): pending.append(contentsOf: Array((boolean ? "true" : "false").utf8))
            case .double(let double): pending.append(contentsOf: Array(TextEncoding.double(double).utf8))
            case .timestamp(let micros): pending.append(contentsOf: Array(RFC3339Timestamp.format(micros).utf8))
            case .stringList(let list): appendField(TextEncoding.jsonArray(list), quoteEmpty: true)
            }
        }
        pending.append(contentsOf: [0x0D, 0x0A])
        rowCount += 1
        if pending.count >= 1 << 20 { try drain() }
    }

    private func drain() throws {
        do {
            try file.write(try encoder.map { try $0.update(pending) } ?? pending)
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError.io(operation: "compress", path: file.path, message: "\(error)")
        }
        pending.removeAll(keepingCapacity: true)
    }

    func finish() throws -> OutputFile {
        try drain()
        if let encoder {
            do {
                try file.write(try encoder.finish())
            } catch let error as ExportError {
                throw error
            } catch {
                throw ExportError.io(operation: "compress", path: file.path, message: "\(error)")
            }
        }
        try file.finish()
        return file
    }
}
