import Hummingbird
import NIOCore

/// The error bodies of the two platforms, and the responses that carry them.
///
/// Tuor answers FastAPI-style: `{"detail": "message"}`, or for validation errors
/// `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`. Tracia answers
/// `{"error": {"code": "NOT_FOUND", "message": "..."}}`, or flat `{"code": ..., "message": ...}` with
/// `--tracia-flat-errors` (``TraciaErrorEnvelope``).
enum ErrorBody {
    /// One entry of a FastAPI validation error list.
    struct ValidationIssue: Sendable {
        var loc: [LocationPart]
        var msg: String
        var type: String

        func write(into writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("loc")
            writer.beginArray()
            for part in loc {
                switch part {
                case .key(let key): writer.string(key)
                case .index(let index): writer.int(index)
                }
            }
            writer.endArray()
            writer.field("msg", msg)
            writer.field("type", type)
            writer.endObject()
        }
    }

    /// A `loc` element: a key or an index.
    enum LocationPart: Sendable, ExpressibleByStringLiteral {
        case key(String)
        case index(Int)

        init(stringLiteral value: String) { self = .key(value) }
    }

    /// A Tuor error with a message.
    static func tuor(_ status: HTTPResponse.Status, _ detail: String) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("detail", detail)
        writer.endObject()
        return JSONBody.response(status: status, text: writer.output)
    }

    /// A Tuor 422 with validation issues.
    static func tuorValidation(_ issues: [ValidationIssue]) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("detail")
        writer.beginArray()
        for issue in issues { issue.write(into: &writer) }
        writer.endArray()
        writer.endObject()
        return JSONBody.response(status: .unprocessableContent, text: writer.output)
    }

    /// A Tracia error.
    static func tracia(_ status: HTTPResponse.Status, code: String, _ message: String) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        if !TraciaErrorEnvelope.flat {
            writer.key("error")
            writer.beginObject()
        }
        writer.field("code", code)
        writer.field("message", message)
        if !TraciaErrorEnvelope.flat { writer.endObject() }
        writer.endObject()
        return JSONBody.response(status: status, text: writer.output)
    }

    /// The error response of `platform` for a status the emulator injects or enforces.
    static func generic(_ platform: Platform, status: HTTPResponse.Status) -> Response {
        let phrases = [
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout",
        ]
        let message =
            phrases[status.code] ?? (status.reasonPhrase.isEmpty ? "Error \(status.code)" : status.reasonPhrase)
        switch platform {
        case .tracia:
            let code: String
            switch status.code {
            case 401: code = "UNAUTHORIZED"
            case 404: code = "NOT_FOUND"
            case 429: code = "RATE_LIMITED"
            case 500..<600: code = "INTERNAL_ERROR"
            default: code = "INVALID_REQUEST"
            }
            return tracia(status, code: code, message)
        case .tuor, .admin:
            return tuor(status, message)
        }
    }
}

/// Helpers that turn values and raw JSON text into `application/json` responses.
enum JSONBody {
    /// A response whose body is already-serialized JSON.
    static func response(status: HTTPResponse.Status = .ok, bytes: some Sequence<UInt8>) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return response(status: status, buffer: buffer)
    }

    /// A response whose body is already-serialized JSON text.
    static func response(status: HTTPResponse.Status = .ok, text: String) -> Response {
        response(status: status, buffer: ByteBuffer(string: text))
    }

    /// A response whose body is a buffer of JSON.
    static func response(status: HTTPResponse.Status = .ok, buffer: ByteBuffer) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}
