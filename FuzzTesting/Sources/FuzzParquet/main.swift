import FuzzSupport
import TrailExport

private enum Scratch {
    static let file = ScratchFile("parquet")
}

/// The Parquet writer fed arbitrary values: the first bytes pick the table, the row-group size and the page
/// compression; the rest is decoded into rows, one value per column (any string, integer, double bit pattern,
/// timestamp or list, null, or now and then a value of the wrong type). A wrong value must be refused with an
/// error, never trap. Reading the files back is checked by the test suite, not here.
Fuzz.main(fuzzParquet)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquet(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = Decoder(Fuzz.bytes(start, count))
    let table = TableDefinition.all[Int(input.byte()) % TableDefinition.all.count]
    let settings = WriterSettings(
        parquetCompression: [PageCompression.none, .gzip, .zstd][Int(input.byte()) % 3],
        compressionLevel: 1,
        rowGroupRows: Int(input.byte() % 8) + 1
    )
    do {
        let writer = try ParquetTableWriter(table: table, path: Scratch.file.path, settings: settings)
        while !input.isEmpty, writer.rowCount < 256 {
            try writer.append(table.columns.map { input.value(for: $0.type) })
        }
        try writer.finish()
    } catch {
        _ = "\(error)"
    }
    return 0
}

/// Reads values off the front of the input; past its end every read is zero.
struct Decoder {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) {
        self.bytes = bytes[...]
    }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    mutating func integer() -> Int64 {
        (0..<8).reduce(Int64(0)) { value, _ in value << 8 | Int64(byte()) }
    }

    mutating func string() -> String {
        let count = Int(byte() % 64)
        let prefix = bytes.prefix(count)
        bytes = bytes.dropFirst(count)
        return String(decoding: prefix, as: UTF8.self)
    }

    /// A value for a column of `type`: mostly of the right type, sometimes null, rarely of another type.
    mutating func value(for type: ColumnType) -> ExportValue {
        let choice = byte()
        if choice == 0xFF { return .null }
        if choice == 0xFE { return .integer(integer()) }
        if choice == 0xFD { return .string(string()) }
        switch type {
        case .string, .json: return .string(string())
        case .int64, .int32: return .integer(choice & 1 == 0 ? integer() : Int64(Int8(bitPattern: byte())))
        case .boolean: return .boolean(choice & 1 == 1)
        case .double: return .double(Double(bitPattern: UInt64(bitPattern: integer())))
        case .timestamp: return .timestamp(integer())
        case .stringList: return .stringList((0..<(choice % 5)).map { _ in string() })
        }
    }
}
