/// Hands a non-`Sendable` value to another thread that becomes its only user (until it hands the value back
/// through something that orders the two, such as a semaphore).
struct UncheckedTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
