import HTTPTypes
import Hummingbird
import NIOCore

/// Applies the fault plan to every platform request: latency, `--fail-after`, rate limits, injected
/// errors and connections closed mid-body. Admin requests (`/_trail/…`) are never faulted.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = TrailRequestContext

    let injector: FaultInjector

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let platform = Platform(path: request.uri.path[...]), platform != .admin else {
            return try await next(request, context)
        }
        var context = context
        let plan = injector.plan.overridden(by: request.headers)
        context.faults = plan
        if plan.isQuiet && injector.failuresRemaining == 0 {
            return try await next(request, context)
        }
        if plan.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(plan.latencyMilliseconds))
        }
        let bucket: FaultInjector.Bucket?
        if request.method == .post && platform == .tuor && request.uri.path.hasPrefix("/v1/traces")
            && !request.uri.path.contains("/tags")
        {
            bucket = .ingest
        } else if request.method == .get {
            bucket = .read(platform)
        } else {
            bucket = nil
        }
        switch injector.verdict(plan: plan, bucket: bucket) {
        case .proceed:
            break
        case .fail(let status):
            return ErrorBody.generic(platform, status: .init(code: status))
        case .rateLimited(let retryAfter):
            var response = ErrorBody.generic(platform, status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
        var response = try await next(request, context)
        var cutAfter = plan.disconnectAfterBytes
        if cutAfter == nil, injector.fires(plan.disconnectRate) {
            cutAfter = response.body.contentLength.map { $0 / 2 } ?? 512
        }
        if let cutAfter {
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                try await body.write(CuttingWriter(base: writer, remaining: cutAfter))
            }
        }
        return response
    }
}

/// Thrown to close a connection mid-body on purpose.
struct InjectedDisconnect: Error {}

/// A body writer that passes on `remaining` bytes, then fails so the server drops the connection.
struct CuttingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    var remaining: Int

    mutating func write(_ buffer: ByteBuffer) async throws {
        if buffer.readableBytes < remaining {
            remaining -= buffer.readableBytes
            try await base.write(buffer)
            return
        }
        if remaining > 0, let head = buffer.getSlice(at: buffer.readerIndex, length: remaining) {
            try await base.write(head)
        }
        remaining = 0
        throw InjectedDisconnect()
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        // A body shorter than the cut point still ends without its final chunk.
        throw InjectedDisconnect()
    }
}
