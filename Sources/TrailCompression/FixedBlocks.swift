/// Input cut into blocks of a fixed size, for the encoders that compress blocks on several threads: a full
/// block is handed over only once more bytes arrive, so whoever finishes the stream still holds its last
/// block.
struct FixedBlocks {
    /// The size of every block but the last.
    let size: Int
    /// The block being filled.
    private(set) var block: [UInt8] = []

    init(size: Int) {
        self.size = max(1, size)
        block.reserveCapacity(self.size)
    }

    /// Appends `bytes`, handing each block that fills up to `full` when more bytes follow it.
    mutating func append(_ bytes: UnsafeRawBufferPointer, full: ([UInt8]) throws -> Void) rethrows {
        var offset = 0
        while offset < bytes.count {
            if block.count == size { try full(take()) }
            let count = min(size - block.count, bytes.count - offset)
            block.append(contentsOf: bytes[offset..<(offset + count)])
            offset += count
        }
    }

    /// The block being filled, which is emptied.
    mutating func take() -> [UInt8] {
        let taken = block
        block.removeAll(keepingCapacity: true)
        return taken
    }
}
