import Foundation
import NIOCore

/// Decodes small request bodies with `Codable` and turns failures into FastAPI-style issues.
enum RequestDecoding {
    static func decode<Value: Decodable>(
        _ type: Value.Type,
        from body: ByteBuffer
    ) -> Result<
        Value, IssueList
    > {
        let data = Data(body.readableBytesView)
        do {
            return .success(try JSONDecoder().decode(type, from: data))
        } catch let error as DecodingError {
            return .failure(IssueList([issue(for: error)]))
        } catch {
            return .failure(IssueList([.init(loc: ["body"], msg: "Invalid JSON", type: "json_invalid")]))
        }
    }

    private static func issue(for error: DecodingError) -> ErrorBody.ValidationIssue {
        func location(_ path: [any CodingKey]) -> [ErrorBody.LocationPart] {
            ["body"] + path.map { key in key.intValue.map { .index($0) } ?? .key(key.stringValue) }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(loc: location(context.codingPath + [key]), msg: "Field required", type: "missing")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return .init(loc: location(context.codingPath), msg: "Input should be a valid \(type)", type: "type_error")
        case .dataCorrupted(let context):
            return .init(loc: location(context.codingPath), msg: "Invalid JSON", type: "json_invalid")
        @unknown default:
            return .init(loc: ["body"], msg: "Invalid request", type: "value_error")
        }
    }
}

/// A non-empty list of validation issues, usable as a `Result` failure.
struct IssueList: Error {
    var issues: [ErrorBody.ValidationIssue]

    init(_ issues: [ErrorBody.ValidationIssue]) {
        self.issues = issues
    }
}
