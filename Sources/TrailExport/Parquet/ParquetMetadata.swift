/// The parts of Parquet's `parquet.thrift` that PromptTrail writes, with their compact-protocol encoders.
enum Parquet {
    /// Physical types (`Type`).
    enum PhysicalType: Int32 {
        case boolean = 0
        case int32 = 1
        case int64 = 2
        case double = 5
        case byteArray = 6
    }

    /// `FieldRepetitionType`.
    enum Repetition: Int32 {
        case required = 0
        case optional = 1
        case repeated = 2
    }

    /// `ConvertedType` (the legacy annotations, written beside the logical types for older readers).
    enum ConvertedType: Int32 {
        case utf8 = 0
        case list = 3
        case timestampMicros = 10
    }

    /// `Encoding`.
    enum Encoding: Int32 {
        case plain = 0
        case rle = 3
        case rleDictionary = 8
    }

    /// `CompressionCodec`.
    enum Codec: Int32 {
        case uncompressed = 0
        case gzip = 2
        case zstd = 6
    }

    /// `PageType`.
    enum PageType: Int32 {
        case dataPage = 0
        case dictionaryPage = 2
    }

    /// The logical-type annotations used (`LogicalType` union members).
    enum LogicalType {
        case string
        case list
        case timestampMicrosUTC
    }

    /// One `SchemaElement` of the flattened schema tree.
    struct SchemaElement {
        var name: String
        var type: PhysicalType?
        var repetition: Repetition?
        var childCount: Int32?
        var convertedType: ConvertedType?
        var logicalType: LogicalType?

        func write(to writer: inout ThriftCompactWriter) {
            writer.beginListElementStruct()
            if let type { writer.field(1, i32: type.rawValue) }
            if let repetition { writer.field(3, i32: repetition.rawValue) }
            writer.field(4, string: name)
            if let childCount { writer.field(5, i32: childCount) }
            if let convertedType { writer.field(6, i32: convertedType.rawValue) }
            if let logicalType {
                writer.beginStruct(10)
                switch logicalType {
                case .string:
                    writer.beginStruct(1)
                    writer.endStruct()
                case .list:
                    writer.beginStruct(3)
                    writer.endStruct()
                case .timestampMicrosUTC:
                    writer.beginStruct(8)
                    writer.field(1, bool: true)
                    writer.beginStruct(2)
                    writer.beginStruct(2)
                    writer.endStruct()
                    writer.endStruct()
                    writer.endStruct()
                }
                writer.endStruct()
            }
            writer.endStruct()
        }
    }

    /// `Statistics`: the deprecated `min`/`max` only where the legacy signed order is the type's order.
    struct Statistics {
        var nullCount: Int64
        var minimum: [UInt8]?
        var maximum: [UInt8]?
        var writesLegacyMinMax: Bool

        func write(to writer: inout ThriftCompactWriter, fieldID: Int16) {
            writer.beginStruct(fieldID)
            if writesLegacyMinMax, let minimum, let maximum {
                writer.field(1, binary: maximum)
                writer.field(2, binary: minimum)
            }
            writer.field(3, i64: nullCount)
            if let minimum, let maximum {
                writer.field(5, binary: maximum)
                writer.field(6, binary: minimum)
            }
            writer.endStruct()
        }
    }

    /// One column chunk's `ColumnMetaData` (wrapped in a `ColumnChunk` when written).
    struct ColumnChunk {
        var type: PhysicalType
        var encodings: [Encoding]
        var path: [String]
        var codec: Codec
        var valueCount: Int64
        var uncompressedSize: Int64
        var compressedSize: Int64
        var dataPageOffset: Int64
        var dictionaryPageOffset: Int64?
        var statistics: Statistics

        /// The offset of the chunk's first page.
        var firstPageOffset: Int64 { dictionaryPageOffset ?? dataPageOffset }

        func write(to writer: inout ThriftCompactWriter) {
            writer.beginListElementStruct()
            writer.field(2, i64: firstPageOffset)
            writer.beginStruct(3)
            writer.field(1, i32: type.rawValue)
            writer.beginList(2, elementType: .i32, count: encodings.count)
            for encoding in encodings { writer.element(i32: encoding.rawValue) }
            writer.beginList(3, elementType: .binary, count: path.count)
            for component in path { writer.element(string: component) }
            writer.field(4, i32: codec.rawValue)
            writer.field(5, i64: valueCount)
            writer.field(6, i64: uncompressedSize)
            writer.field(7, i64: compressedSize)
            writer.field(9, i64: dataPageOffset)
            if let dictionaryPageOffset { writer.field(11, i64: dictionaryPageOffset) }
            statistics.write(to: &writer, fieldID: 12)
            writer.endStruct()
            writer.endStruct()
        }
    }

    /// One `RowGroup`.
    struct RowGroup {
        var columns: [ColumnChunk]
        var rowCount: Int64
        var ordinal: Int16

        func write(to writer: inout ThriftCompactWriter) {
            writer.beginListElementStruct()
            writer.beginList(1, elementType: .struct, count: columns.count)
            for column in columns { column.write(to: &writer) }
            writer.field(2, i64: columns.reduce(0) { $0 + $1.uncompressedSize })
            writer.field(3, i64: rowCount)
            writer.field(5, i64: columns.first?.firstPageOffset ?? 4)
            writer.field(6, i64: columns.reduce(0) { $0 + $1.compressedSize })
            writer.field(7, i16: ordinal)
            writer.endStruct()
        }
    }

    /// Encodes the footer's `FileMetaData`.
    static func fileMetadata(
        schema: [SchemaElement],
        rowGroups: [RowGroup],
        leafCount: Int,
        keyValues: [(String, String)],
        createdBy: String
    ) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.field(1, i32: 2)
        writer.beginList(2, elementType: .struct, count: schema.count)
        for element in schema { element.write(to: &writer) }
        writer.field(3, i64: rowGroups.reduce(0) { $0 + $1.rowCount })
        writer.beginList(4, elementType: .struct, count: rowGroups.count)
        for rowGroup in rowGroups { rowGroup.write(to: &writer) }
        if !keyValues.isEmpty {
            writer.beginList(5, elementType: .struct, count: keyValues.count)
            for (key, value) in keyValues {
                writer.beginListElementStruct()
                writer.field(1, string: key)
                writer.field(2, string: value)
                writer.endStruct()
            }
        }
        writer.field(6, string: createdBy)
        // Every leaf column uses the type-defined sort order, which makes min_value/max_value usable.
        writer.beginList(7, elementType: .struct, count: leafCount)
        for _ in 0..<leafCount {
            writer.beginListElementStruct()
            writer.beginStruct(1)
            writer.endStruct()
            writer.endStruct()
        }
        writer.endMessage()
        return writer.bytes
    }

    /// Encodes a data page (v1) header.
    static func dataPageHeader(
        uncompressedSize: Int,
        compressedSize: Int,
        valueCount: Int,
        encoding: Encoding
    ) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.field(1, i32: PageType.dataPage.rawValue)
        writer.field(2, i32: Int32(uncompressedSize))
        writer.field(3, i32: Int32(compressedSize))
        writer.beginStruct(5)
        writer.field(1, i32: Int32(valueCount))
        writer.field(2, i32: encoding.rawValue)
        writer.field(3, i32: Encoding.rle.rawValue)
        writer.field(4, i32: Encoding.rle.rawValue)
        writer.endStruct()
        writer.endMessage()
        return writer.bytes
    }

    /// Encodes a dictionary page header (the dictionary itself is PLAIN).
    static func dictionaryPageHeader(uncompressedSize: Int, compressedSize: Int, valueCount: Int) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.field(1, i32: PageType.dictionaryPage.rawValue)
        writer.field(2, i32: Int32(uncompressedSize))
        writer.field(3, i32: Int32(compressedSize))
        writer.beginStruct(7)
        writer.field(1, i32: Int32(valueCount))
        writer.field(2, i32: Encoding.plain.rawValue)
        writer.endStruct()
        writer.endMessage()
        return writer.bytes
    }
}
