private import CFuzzContainer
import Dispatch
import Foundation

/// What every fuzz target shares: reading the input, a scratch file, wrapping bytes in a compressed
/// container, and running async code to completion.
public enum Fuzz {
    /// The input libFuzzer hands a target, copied into an array.
    ///
    /// - Parameters:
    ///   - start: the first byte.
    ///   - count: the number of bytes.
    /// - Returns: the bytes.
    public static func bytes(_ start: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let start, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: count))
    }

    /// Runs libFuzzer with the command line's options over `test`, the target's `LLVMFuzzerTestOneInput`.
    ///
    /// - Parameter test: the function that checks one input.
    public static func main(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }

    /// Splits `bytes` at its first NUL (which no JSON text contains): the part before and the part after.
    ///
    /// - Parameter bytes: the input.
    /// - Returns: both parts; the second is empty when there is no NUL.
    public static func split(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        guard let nul = bytes.firstIndex(of: 0) else { return (bytes, []) }
        return (Array(bytes[..<nul]), Array(bytes[(nul + 1)...]))
    }

    /// Stops the run with a message that libFuzzer keeps with the crash: a property of the API was broken.
    ///
    /// - Parameter message: what was expected.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("property broken: " + message + "\n").utf8))
        abort()
    }

    /// Runs `body` on the concurrency runtime and waits for it on the calling thread.
    ///
    /// - Parameter body: the work.
    public static func block(_ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await body()
            done.signal()
        }
        done.wait()
    }

    /// Compresses `bytes` with gzip (1), zstd (2) or xz (3) through libarchive, at the fastest level.
    ///
    /// - Parameters:
    ///   - bytes: the data.
    ///   - filter: 1, 2 or 3.
    /// - Returns: the compressed stream.
    public static func compress(_ bytes: [UInt8], filter: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 65_536)
        let capacity = output.count
        let used = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { output in
                CFuzzContainer_compress(
                    input.baseAddress,
                    input.count,
                    CFuzzFilter(rawValue: UInt32(filter)),
                    output.baseAddress,
                    capacity
                )
            }
        }
        guard used >= 0 else { fail("libarchive could not compress \(bytes.count) bytes with filter \(filter)") }
        return Array(output[..<Int(used)])
    }
}

/// One file in the temporary directory, rewritten for each input, for the APIs that read files.
public final class ScratchFile: Sendable {
    /// The file's path (unique to this process).
    public let path: String

    /// Creates the name; the file itself is written by ``write(_:)``.
    ///
    /// - Parameter name: a name for the file, to tell targets apart.
    public init(_ name: String) {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        path = "\(directory)/prompttrail-fuzz-\(name)-\(getpid())"
    }

    /// Replaces the file's contents.
    ///
    /// - Parameter bytes: the new contents.
    public func write(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            Fuzz.fail("cannot write \(path)")
        }
    }
}
