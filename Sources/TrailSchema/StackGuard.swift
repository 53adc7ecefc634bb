private import CThreadStack

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How close the current thread is to the end of its stack.
///
/// Compiling and evaluating recurse once per nested subschema. A hostile schema or instance can nest deeper
/// than a thread's stack holds, whatever fixed limit is chosen, since stacks differ (8 MiB on a main thread,
/// far less on some worker threads) and so do frame sizes (debug and sanitizer builds). The recursion checks
/// ``isLow()`` and fails with an error instead of overflowing the stack.
enum StackGuard {
    /// The room left that counts as low: enough for the deepest non-recursive work done at one level.
    static let margin: UInt = 256 << 10

    /// Where each thread caches the lowest usable address of its stack plus ``margin``.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether less than ``margin`` bytes of the calling thread's stack are left.
    static func isLow() -> Bool {
        let floor = self.floor()
        guard floor > margin else { return false }
        let address = CThreadStack_frameAddress()
        return address < floor && address >= floor - margin
    }

    private static func floor() -> UInt {
        if let cached = pthread_getspecific(key) { return UInt(bitPattern: cached) }
        var low: UInt = 0
        var size = 0
        let known = CThreadStack_bounds(&low, &size) == 0 && low != 0
        // An unknown stack, or one too small for the margin, is not guarded (1 stands for that).
        let floor = known && UInt(size) > 2 * margin ? low + margin : 1
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: floor))
        return floor
    }
}
