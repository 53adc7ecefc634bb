import FuzzSupport
import Logging
import Synchronization
import TrailClient
import TrailJSON
import TrailModel

/// The platform clients' response handling: JSON pages and their cursors, the Tuor JSONL export and its line
/// splitter, retry statuses with `Retry-After`, error bodies and dropped connections.
///
/// The first byte picks the call (Tuor or Tracia, prompt versions or traces). The rest is the server's
/// responses in request order, separated by NUL. Each is a head line, then the body:
/// `STATUS[/CHUNK][!][|RETRY-AFTER]`, where CHUNK is the size the body arrives in and `!` drops the connection
/// after the body. Once the responses run out, every request fails as a refused connection would.
Fuzz.main(fuzzClient)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClient(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard let scenario = bytes.first.map({ $0 % 4 }) else { return 0 }
    let server = ScriptedServer(Array(bytes.dropFirst()))
    Fuzz.block {
        var configuration = ClientConfiguration(
            source: scenario < 2 ? .tuor : .tracia,
            baseURL: "http://upstream.invalid",
            apiKey: APIKey("key")
        )
        configuration.retryPolicy = RetryPolicy(
            maxAttempts: 3,
            baseDelay: .zero,
            maxDelay: .zero,
            jitter: 0,
            maxRetryAfter: .zero
        )
        configuration.maxBodyBytes = 1 << 16
        configuration.maxLineBytes = 4096
        configuration.concurrency = 1
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        let executor = RequestExecutor(
            configuration: configuration,
            transport: ClosureTransport { _ in try server.next() },
            logger: logger
        )
        let client: any PlatformClient =
            scenario < 2 ? TuorClient(executor: executor) : TraciaClient(executor: executor)
        do {
            if scenario % 2 == 0 {
                _ = try await client.promptVersions(project: "p")
            } else {
                let start = TraceStreamPosition(listSince: "2026-01-01T00:00:00Z", exportSince: "2026-01-01T00:00:00Z")
                try await client.traces(project: "p", from: start, promptIDs: [:]) { _ in }
            }
        } catch {
            _ = "\(error)"
        }
    }
    return 0
}

/// Serves the scripted responses in order.
final class ScriptedServer: Sendable {
    struct Refused: Error {}

    private let responses: Mutex<ArraySlice<[UInt8]>>

    init(_ script: [UInt8]) {
        responses = Mutex(script.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)[...])
    }

    func next() throws -> TransportResponse {
        guard let response = responses.withLock({ $0.popFirst() }) else { throw Refused() }
        let newline = response.firstIndex(of: 0x0A) ?? response.endIndex
        let head = String(decoding: response[..<newline], as: UTF8.self)
        let body = Array(response[min(newline + 1, response.endIndex)...])
        let (control, retryAfter) =
            head.firstIndex(of: "|").map { (head[..<$0], head[head.index(after: $0)...]) }
            ?? (head[...], nil)
        let parts = control.split(separator: "/", maxSplits: 1)
        let status = parts.first.flatMap { Int($0.prefix { $0.isNumber }) } ?? 200
        let chunk = max(1, parts.dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) } ?? body.count)
        let chunks = stride(from: 0, to: body.count, by: chunk).map { Array(body[$0..<min($0 + chunk, body.count)]) }
        return TransportResponse(
            status: status,
            headers: retryAfter.map { [HTTPField("Retry-After", String($0))] } ?? [],
            body: .chunks(chunks, thenFail: control.contains("!") ? Refused() : nil)
        )
    }
}
