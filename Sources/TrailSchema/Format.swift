import Foundation
import TrailJSON

/// A `format` checked as an assertion (with `--strict-formats`, or under the format-assertion vocabulary).
/// Formats other than strings always pass; unknown formats are not compiled at all (they stay annotations).
enum Format: Sendable {
    case dateTime
    case date
    case time
    case duration
    case email
    case idnEmail
    case hostname
    case idnHostname
    case ipv4
    case ipv6
    case uri
    case uriReference
    case iri
    case iriReference
    case uuid
    case regex
    case jsonPointer
    case relativeJSONPointer
    case uriTemplate
    case content(encoding: String?, mediaType: String?)

    init?(name: String, dialect: Dialect) {
        switch name {
        case "date-time": self = .dateTime
        case "date": self = .date
        case "time": self = .time
        case "duration" where dialect != .draft7: self = .duration
        case "email": self = .email
        case "idn-email": self = .idnEmail
        case "hostname": self = .hostname
        case "idn-hostname": self = .idnHostname
        case "ipv4": self = .ipv4
        case "ipv6": self = .ipv6
        case "uri": self = .uri
        case "uri-reference": self = .uriReference
        case "iri": self = .iri
        case "iri-reference": self = .iriReference
        case "uuid" where dialect != .draft7: self = .uuid
        case "regex": self = .regex
        case "json-pointer": self = .jsonPointer
        case "relative-json-pointer": self = .relativeJSONPointer
        case "uri-template": self = .uriTemplate
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .dateTime: "date-time"
        case .date: "date"
        case .time: "time"
        case .duration: "duration"
        case .email: "email"
        case .idnEmail: "idn-email"
        case .hostname: "hostname"
        case .idnHostname: "idn-hostname"
        case .ipv4: "ipv4"
        case .ipv6: "ipv6"
        case .uri: "uri"
        case .uriReference: "uri-reference"
        case .iri: "iri"
        case .iriReference: "iri-reference"
        case .uuid: "uuid"
        case .regex: "regex"
        case .jsonPointer: "json-pointer"
        case .relativeJSONPointer: "relative-json-pointer"
        case .uriTemplate: "uri-template"
        case .content(_, let mediaType): mediaType ?? "encoded content"
        }
    }

    /// ``check(_:)`` on a string's UTF-8 bytes (valid UTF-8, as a parsed document's strings are): the formats
    /// that are checked on bytes make no `String` of them.
    func check(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        verdict(onBytes: bytes) ?? check(String(decoding: bytes, as: UTF8.self))
    }

    /// The verdict of a format checked on the string's UTF-8 bytes, read in place, or `nil` for a format checked
    /// on the string itself.
    private func verdict(onBytes bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch self {
        case .dateTime: FormatCheck.dateTime(bytes)
        case .date: FormatCheck.date(bytes[...])
        case .time: FormatCheck.time(bytes[...])
        case .duration: FormatCheck.duration(bytes)
        case .ipv4: FormatCheck.ipv4(bytes[...])
        case .uuid: FormatCheck.uuid(bytes)
        default: nil
        }
    }

    func check(_ string: String) -> Bool {
        var utf8 = string
        if let verdict = utf8.withUTF8({ verdict(onBytes: $0) }) { return verdict }
        switch self {
        case .dateTime, .date, .time, .duration, .ipv4, .uuid: return false  // decided on bytes above
        case .email: return FormatCheck.email(string, international: false)
        case .idnEmail: return FormatCheck.email(string, international: true)
        case .hostname: return FormatCheck.hostname(string, international: false)
        case .idnHostname: return FormatCheck.hostname(string, international: true)
        case .ipv6: return FormatCheck.ipv6(string)
        case .uri: return FormatCheck.uri(string, requireScheme: true, international: false)
        case .uriReference: return FormatCheck.uri(string, requireScheme: false, international: false)
        case .iri: return FormatCheck.uri(string, requireScheme: true, international: true)
        case .iriReference: return FormatCheck.uri(string, requireScheme: false, international: true)
        case .regex: return (try? Pattern(string)) != nil
        case .jsonPointer: return (try? JSONPointer(parsing: string)) != nil
        case .relativeJSONPointer: return FormatCheck.relativeJSONPointer(string)
        case .uriTemplate: return FormatCheck.uriTemplate(string)
        case .content(let encoding, let mediaType):
            return FormatCheck.content(string, encoding: encoding, mediaType: mediaType)
        }
    }
}
