import Synchronization

/// Makes platform-shaped ids (`trc_` + 20 lowercase letters and digits, …) from a seeded generator,
/// so a run with the same `--random-seed` and the same requests hands out the same ids.
final class IDGenerator: Sendable {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private let random: Mutex<SeededGenerator>

    init(seed: UInt64) {
        random = Mutex(SeededGenerator(seed: seed ^ 0x1D5))
    }

    /// A new id: `prefix` followed by `length` random lowercase letters and digits.
    func make(_ prefix: String, length: Int = 20) -> String {
        random.withLock { random in
            var bytes = [UInt8]()
            bytes.reserveCapacity(length)
            for _ in 0..<length {
                bytes.append(Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))])
            }
            return prefix + String(decoding: bytes, as: UTF8.self)
        }
    }
}
