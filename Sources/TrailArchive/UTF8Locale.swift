#if canImport(Glibc)
    private import Glibc
#elseif canImport(Musl)
    private import Musl
#elseif canImport(Darwin)
    private import Darwin
#endif

/// Runs libarchive calls under a UTF-8 character type locale, for the calling thread only.
///
/// libarchive converts entry names between UTF-8 and the current locale's character set; under the
/// default "C" locale it cannot represent non-ASCII names (and libarchive 3.6's pax writer then
/// crashes). Setting the locale process-wide from a library would change state the caller owns, so
/// this uses `uselocale(3)`, which affects only the current thread and is restored afterwards.
enum UTF8Locale {
    /// `C.UTF-8`, or `en_US.UTF-8` where the former is missing; `nil` when neither exists.
    nonisolated(unsafe) private static let locale: locale_t? =
        newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) ?? newlocale(LC_CTYPE_MASK, "en_US.UTF-8", nil)

    /// Calls `body` with the thread's locale set to UTF-8.
    static func run<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard let locale else { return try body() }
        let previous = uselocale(locale)
        defer { uselocale(previous) }
        return try body()
    }
}
