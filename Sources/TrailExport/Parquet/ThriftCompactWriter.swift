/// Writes Apache Thrift's compact protocol, the encoding of Parquet's metadata (`FileMetaData`, `PageHeader`).
///
/// Fields are written in increasing id order; the writer keeps the last field id of each open struct to
/// emit the short delta form (`delta << 4 | type`) where it fits.
struct ThriftCompactWriter {
    /// Compact-protocol type ids.
    enum FieldType: UInt8 {
        case booleanTrue = 1
        case booleanFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case `struct` = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastFieldIDs: [Int16] = [0]

    /// Writes a field header.
    private mutating func fieldHeader(_ id: Int16, _ type: UInt8) {
        let delta = Int(id) - Int(lastFieldIDs[lastFieldIDs.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            writeVarint(UInt64(zigzag(Int64(id))))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Writes an `i32` field (enums are `i32` too).
    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, FieldType.i32.rawValue)
        writeVarint(zigzag(Int64(value)))
    }

    /// Writes an `i64` field.
    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, FieldType.i64.rawValue)
        writeVarint(zigzag(value))
    }

    /// Writes an `i16` field.
    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, FieldType.i16.rawValue)
        writeVarint(zigzag(Int64(value)))
    }

    /// Writes an `i8` (byte) field.
    mutating func field(_ id: Int16, i8 value: Int8) {
        fieldHeader(id, FieldType.byte.rawValue)
        bytes.append(UInt8(bitPattern: value))
    }

    /// Writes a `bool` field (the value lives in the type nibble).
    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? FieldType.booleanTrue.rawValue : FieldType.booleanFalse.rawValue)
    }

    /// Writes a `binary` (or `string`) field.
    mutating func field(_ id: Int16, binary value: some Collection<UInt8>) {
        fieldHeader(id, FieldType.binary.rawValue)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a `string` field.
    mutating func field(_ id: Int16, string value: String) {
        field(id, binary: Array(value.utf8))
    }

    /// Opens a struct field; close it with ``endStruct()``.
    mutating func beginStruct(_ id: Int16) {
        fieldHeader(id, FieldType.struct.rawValue)
        lastFieldIDs.append(0)
    }

    /// Opens a struct that is a list element (no field header); close it with ``endStruct()``.
    mutating func beginListElementStruct() {
        lastFieldIDs.append(0)
    }

    /// Closes a struct: writes the stop byte.
    mutating func endStruct() {
        bytes.append(0)
        lastFieldIDs.removeLast()
    }

    /// Writes the top-level stop byte of a message written with fields at the outermost level.
    mutating func endMessage() {
        bytes.append(0)
    }

    /// Opens a list field of `count` elements of `elementType`; then write the elements.
    mutating func beginList(_ id: Int16, elementType: FieldType, count: Int) {
        fieldHeader(id, FieldType.list.rawValue)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    /// Writes an `i32` list element.
    mutating func element(i32 value: Int32) {
        writeVarint(zigzag(Int64(value)))
    }

    /// Writes a `string` list element.
    mutating func element(string value: String) {
        let utf8 = Array(value.utf8)
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
