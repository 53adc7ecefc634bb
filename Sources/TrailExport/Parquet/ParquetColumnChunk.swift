/// The buffered values of one column for the current row group, and their encoding into pages.
///
/// Values are kept in flat typed arrays (strings as one byte buffer plus end offsets), with definition
/// levels for nullable columns and repetition levels for lists. Not `Sendable`: owned by one file writer.
final class ParquetColumnChunk {
    let column: Column
    let physicalType: Parquet.PhysicalType
    let maxDefinition: UInt8
    let maxRepetition: UInt8

    private var definitions: [UInt8] = []
    private var repetitions: [UInt8] = []
    /// Level index at which each row starts (list columns only; for flat columns row == level).
    private var rowLevelStarts: [Int] = []
    private var integers: [Int64] = []
    private var doubles: [Double] = []
    private var booleans: [Bool] = []
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private(set) var rowCount = 0
    /// Approximate bytes held, to bound row groups.
    private(set) var bufferedBytes = 0

    /// Target size of one data page before compression.
    static let pageSize = 1 << 20
    /// Dictionaries larger than this fall back to PLAIN.
    static let dictionaryLimit = 1 << 20
    /// Statistics are left out for strings longer than this (min/max of long texts help no reader).
    static let statisticsLimit = 1024

    init(column: Column) {
        self.column = column
        switch column.type {
        case .string, .json, .stringList: physicalType = .byteArray
        case .int64, .timestamp: physicalType = .int64
        case .int32: physicalType = .int32
        case .boolean: physicalType = .boolean
        case .double: physicalType = .double
        }
        if column.type == .stringList {
            maxRepetition = 1
            maxDefinition = column.isNullable ? 2 : 1
        } else {
            maxRepetition = 0
            maxDefinition = column.isNullable ? 1 : 0
        }
    }

    /// The schema elements of this column: one leaf, or the three levels of a list.
    var schemaElements: [Parquet.SchemaElement] {
        let repetition: Parquet.Repetition = column.isNullable ? .optional : .required
        switch column.type {
        case .string, .json:
            return [
                .init(
                    name: column.name,
                    type: .byteArray,
                    repetition: repetition,
                    convertedType: .utf8,
                    logicalType: .string
                )
            ]
        case .timestamp:
            return [
                .init(
                    name: column.name,
                    type: .int64,
                    repetition: repetition,
                    convertedType: .timestampMicros,
                    logicalType: .timestampMicrosUTC
                )
            ]
        case .int64, .int32, .boolean, .double:
            return [.init(name: column.name, type: physicalType, repetition: repetition)]
        case .stringList:
            return [
                .init(
                    name: column.name,
                    repetition: repetition,
                    childCount: 1,
                    convertedType: .list,
                    logicalType: .list
                ),
                .init(name: "list", repetition: .repeated, childCount: 1),
                .init(
                    name: "element",
                    type: .byteArray,
                    repetition: .required,
                    convertedType: .utf8,
                    logicalType: .string
                ),
            ]
        }
    }

    /// The column's path in the schema.
    var path: [String] {
        column.type == .stringList ? [column.name, "list", "element"] : [column.name]
    }

    /// Appends one row's value.
    ///
    /// - Parameters:
    ///   - value: the value; its case must fit the column type.
    ///   - table: the table name, for errors.
    /// - Throws: ``ExportError/invalidValue(table:column:message:)`` for a null in a required column or a
    ///   value of the wrong kind.
    func append(_ value: ExportValue, table: String) throws {
        rowCount += 1
        if maxRepetition > 0 {
            rowLevelStarts.append(definitions.count)
            switch value {
            case .stringList(let list):
                if list.isEmpty {
                    definitions.append(maxDefinition - 1)
                    repetitions.append(0)
                }
                for (position, element) in list.enumerated() {
                    definitions.append(maxDefinition)
                    repetitions.append(position == 0 ? 0 : 1)
                    appendBytes(element)
                }
            case .null where column.isNullable:
                definitions.append(0)
                repetitions.append(0)
            default:
                throw mismatch(value, table: table)
            }
            bufferedBytes += 2
            return
        }
        if case .null = value {
            guard column.isNullable else {
                throw ExportError.invalidValue(table: table, column: column.name, message: "null in a required column")
            }
            definitions.append(0)
            return
        }
        if maxDefinition > 0 { definitions.append(1) }
        switch (physicalType, value) {
        case (.byteArray, .string(let text)):
            appendBytes(text)
        case (.int64, .integer(let integer)) where column.type == .int64,
            (.int64, .timestamp(let integer)) where column.type == .timestamp:
            integers.append(integer)
            bufferedBytes += 8
        case (.int32, .integer(let integer)):
            guard let narrow = Int32(exactly: integer) else {
                throw ExportError.invalidValue(table: table, column: column.name, message: "\(integer) exceeds 32 bits")
            }
            integers.append(Int64(narrow))
            bufferedBytes += 4
        case (.double, .double(let double)):
            doubles.append(double)
            bufferedBytes += 8
        case (.boolean, .boolean(let boolean)):
            booleans.append(boolean)
            bufferedBytes += 1
        default:
            throw mismatch(value, table: table)
        }
    }

    private func mismatch(_ value: ExportValue, table: String) -> ExportError {
        .invalidValue(table: table, column: column.name, message: "\(value) does not fit type \(column.type.rawValue)")
    }

    private func appendBytes(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(bytes.count)
        bufferedBytes += text.utf8.count + 8
    }

    /// Forgets the buffered values, keeping the capacity for the next row group.
    func reset() {
        definitions.removeAll(keepingCapacity: true)
        repetitions.removeAll(keepingCapacity: true)
        rowLevelStarts.removeAll(keepingCapacity: true)
        integers.removeAll(keepingCapacity: true)
        doubles.removeAll(keepingCapacity: true)
        booleans.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        rowCount = 0
        bufferedBytes = 0
    }

    private var valueCount: Int {
        switch physicalType {
        case .byteArray: ends.count
        case .int64, .int32: integers.count
        case .double: doubles.count
        case .boolean: booleans.count
        }
    }

    private var levelCount: Int {
        maxDefinition > 0 ? definitions.count : rowCount
    }

    private func valueBytes(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    // MARK: Encoding

    /// Encodes the buffered values as one column chunk (an optional dictionary page, then data pages).
    ///
    /// - Parameters:
    ///   - file: where the pages go.
    ///   - compressor: the page compressor.
    /// - Returns: the chunk's metadata for the footer.
    /// - Throws: ``ExportError`` when a page cannot be compressed or written.
    func write(to file: OutputFile, compressor: PageCompressor) throws -> Parquet.ColumnChunk {
        var uncompressedTotal: Int64 = 0
        var compressedTotal: Int64 = 0
        var dictionaryOffset: Int64?
        let dictionary = physicalType == .byteArray ? buildDictionary() : nil

        func emit(header: [UInt8], body: [UInt8], uncompressedBodySize: Int) throws {
            try file.write(header)
            try file.write(body)
            uncompressedTotal += Int64(header.count + uncompressedBodySize)
            compressedTotal += Int64(header.count + body.count)
        }

        if let dictionary {
            dictionaryOffset = file.position
            var page: [UInt8] = []
            page.reserveCapacity(dictionary.byteCount + 4 * dictionary.entries.count)
            for entry in dictionary.entries {
                appendPlain(valueBytes(entry), to: &page)
            }
            let body = try compressor.compress(page)
            let header = Parquet.dictionaryPageHeader(
                uncompressedSize: page.count,
                compressedSize: body.count,
                valueCount: dictionary.entries.count
            )
            try emit(header: header, body: body, uncompressedBodySize: page.count)
        }

        let dataOffset = file.position
        var rowStart = 0
        var valueStart = 0
        while rowStart < rowCount {
            let (rowEnd, valueEnd) = pageExtent(rowStart: rowStart, valueStart: valueStart)
            let levelStart = levelIndex(ofRow: rowStart)
            let levelEnd = levelIndex(ofRow: rowEnd)
            var page: [UInt8] = []
            if maxRepetition > 0 {
                appendLevels(repetitions[levelStart..<levelEnd], maximum: Int(maxRepetition), to: &page)
            }
            if maxDefinition > 0 {
                appendLevels(definitions[levelStart..<levelEnd], maximum: Int(maxDefinition), to: &page)
            }
            if let dictionary {
                let width = RLEHybridEncoder.bitWidth(forMaximum: dictionary.entries.count - 1)
                page.append(UInt8(width))
                RLEHybridEncoder.encode(dictionary.indices[valueStart..<valueEnd], bitWidth: width, into: &page)
            } else {
                appendPlainValues(valueStart..<valueEnd, to: &page)
            }
            let body = try compressor.compress(page)
            let header = Parquet.dataPageHeader(
                uncompressedSize: page.count,
                compressedSize: body.count,
                valueCount: levelEnd - levelStart,
                encoding: dictionary == nil ? .plain : .rleDictionary
            )
            try emit(header: header, body: body, uncompressedBodySize: page.count)
            rowStart = rowEnd
            valueStart = valueEnd
        }

        return Parquet.ColumnChunk(
            type: physicalType,
            encodings: dictionary == nil ? [.plain, .rle] : [.plain, .rle, .rleDictionary],
            path: path,
            codec: compressor.compression.codec,
            valueCount: Int64(levelCount),
            uncompressedSize: uncompressedTotal,
            compressedSize: compressedTotal,
            dataPageOffset: dataOffset,
            dictionaryPageOffset: dictionaryOffset,
            statistics: statistics()
        )
    }

    private func levelIndex(ofRow row: Int) -> Int {
        if maxRepetition > 0 {
            return row < rowLevelStarts.count ? rowLevelStarts[row] : definitions.count
        }
        return row
    }

    /// The rows (and values) of the page that starts at `rowStart`: as many whole rows as fit the page size.
    private func pageExtent(rowStart: Int, valueStart: Int) -> (rowEnd: Int, valueEnd: Int) {
        var row = rowStart
        var value = valueStart
        var size = 0
        while row < rowCount && (row == rowStart || size < Self.pageSize) {
            let levelStart = levelIndex(ofRow: row)
            let levelEnd = levelIndex(ofRow: row + 1)
            for level in levelStart..<levelEnd where maxDefinition == 0 || definitions[level] == maxDefinition {
                size += valueSize(value)
                value += 1
            }
            size += 1
            row += 1
        }
        return (row, value)
    }

    private func valueSize(_ index: Int) -> Int {
        switch physicalType {
        case .byteArray: 4 + ends[index] - (index == 0 ? 0 : ends[index - 1])
        case .int64, .double: 8
        case .int32: 4
        case .boolean: 1
        }
    }

    private func appendLevels(_ levels: ArraySlice<UInt8>, maximum: Int, to page: inout [UInt8]) {
        var encoded: [UInt8] = []
        RLEHybridEncoder.encode(levels, bitWidth: RLEHybridEncoder.bitWidth(forMaximum: maximum), into: &encoded)
        appendLittleEndian(UInt32(encoded.count), to: &page)
        page.append(contentsOf: encoded)
    }

    private func appendPlain(_ value: ArraySlice<UInt8>, to page: inout [UInt8]) {
        appendLittleEndian(UInt32(value.count), to: &page)
        page.append(contentsOf: value)
    }

    private func appendPlainValues(_ range: Range<Int>, to page: inout [UInt8]) {
        switch physicalType {
        case .byteArray:
            let start = range.lowerBound == 0 ? 0 : ends[range.lowerBound - 1]
            let end = range.isEmpty ? start : ends[range.upperBound - 1]
            page.reserveCapacity(page.count + end - start + 4 * range.count)
            for index in range { appendPlain(valueBytes(index), to: &page) }
        case .int64:
            for index in range { appendLittleEndian(UInt64(bitPattern: integers[index]), to: &page) }
        case .int32:
            for index in range { appendLittleEndian(UInt32(bitPattern: Int32(integers[index])), to: &page) }
        case .double:
            for index in range { appendLittleEndian(doubles[index].bitPattern, to: &page) }
        case .boolean:
            var byte: UInt8 = 0
            for (position, index) in range.enumerated() {
                if booleans[index] { byte |= 1 << UInt8(position % 8) }
                if position % 8 == 7 {
                    page.append(byte)
                    byte = 0
                }
            }
            if range.count % 8 != 0 { page.append(byte) }
        }
    }

    // MARK: Dictionary

    private struct Dictionary {
        var entries: [Int] = []
        var indices: [UInt32] = []
        var byteCount = 0
    }

    /// Builds a dictionary of the distinct strings, or returns `nil` when it would not pay: too large, or
    /// most values distinct.
    private func buildDictionary() -> Dictionary? {
        let count = ends.count
        guard count > 0 else { return nil }
        var dictionary = Dictionary()
        dictionary.indices.reserveCapacity(count)
        var positions: [ValueKey: UInt32] = [:]
        for index in 0..<count {
            let value = valueBytes(index)
            if let position = positions[ValueKey(bytes: value)] {
                dictionary.indices.append(position)
                continue
            }
            let position = UInt32(dictionary.entries.count)
            positions[ValueKey(bytes: value)] = position
            dictionary.entries.append(index)
            dictionary.indices.append(position)
            dictionary.byteCount += value.count
            if dictionary.byteCount > Self.dictionaryLimit { return nil }
            // Mostly distinct values (ids, documents) gain nothing from a dictionary.
            if dictionary.entries.count > 1024 && dictionary.entries.count * 2 > index + 1 {
                return nil
            }
        }
        return dictionary
    }

    // MARK: Statistics

    private func statistics() -> Parquet.Statistics {
        let nullCount = Int64(levelCount - valueCount)
        var statistics = Parquet.Statistics(nullCount: nullCount, writesLegacyMinMax: false)
        switch physicalType {
        case .byteArray:
            // Strings sort as unsigned bytes, which the deprecated min/max (signed) cannot express.
            guard valueCount > 0 else { break }
            var minimum = valueBytes(0)
            var maximum = minimum
            for index in 1..<valueCount {
                let value = valueBytes(index)
                if value.lexicographicallyPrecedes(minimum) { minimum = value }
                if maximum.lexicographicallyPrecedes(value) { maximum = value }
            }
            if minimum.count <= Self.statisticsLimit && maximum.count <= Self.statisticsLimit {
                statistics.minimum = Array(minimum)
                statistics.maximum = Array(maximum)
            }
        case .int64, .int32:
            guard let minimum = integers.min(), let maximum = integers.max() else { break }
            statistics.writesLegacyMinMax = true
            if physicalType == .int64 {
                statistics.minimum = littleEndian(UInt64(bitPattern: minimum))
                statistics.maximum = littleEndian(UInt64(bitPattern: maximum))
            } else {
                statistics.minimum = littleEndian(UInt32(bitPattern: Int32(minimum)))
                statistics.maximum = littleEndian(UInt32(bitPattern: Int32(maximum)))
            }
        case .double:
            let finite = doubles.filter { !$0.isNaN }
            guard var minimum = finite.min(), var maximum = finite.max() else { break }
            // Parquet's rule for signed zeros: a zero minimum is written -0.0, a zero maximum +0.0.
            if minimum == 0 { minimum = -0.0 }
            if maximum == 0 { maximum = 0.0 }
            statistics.writesLegacyMinMax = true
            statistics.minimum = littleEndian(minimum.bitPattern)
            statistics.maximum = littleEndian(maximum.bitPattern)
        case .boolean:
            guard !booleans.isEmpty else { break }
            statistics.writesLegacyMinMax = true
            statistics.minimum = [booleans.allSatisfy { $0 } ? 1 : 0]
            statistics.maximum = [booleans.contains(true) ? 1 : 0]
        }
        return statistics
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

private func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    var bytes: [UInt8] = []
    appendLittleEndian(value, to: &bytes)
    return bytes
}

/// A value's bytes as a dictionary key, hashed in one pass over its memory (an `ArraySlice<UInt8>` key
/// would feed the hasher one byte at a time).
private struct ValueKey: Hashable {
    let bytes: ArraySlice<UInt8>

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (left: ValueKey, right: ValueKey) -> Bool {
        left.bytes.count == right.bytes.count
            && left.bytes.withUnsafeBytes { a in right.bytes.withUnsafeBytes { b in a.elementsEqual(b) } }
    }
}
