private import Crypto
public import TrailJSON

/// The hashes of PromptTrail records: lowercase hex SHA-256 (docs/workspace-format.md, "Hashes").
public enum ContentHash {
    /// SHA-256 of bytes, as 64 lowercase hex digits.
    ///
    /// - Parameter bytes: the input.
    /// - Returns: the digest in hex.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return Hex.string(hasher.finalize())
    }

    /// The hash of a JSON value's RFC 8785 canonical form, or the issues that keep it from having one.
    ///
    /// A number beyond the range of a double has no canonical form, so it is refused with its location.
    ///
    /// - Parameters:
    ///   - value: the value to hash.
    ///   - location: JSON Pointer of the value inside the payload, for the issue.
    /// - Returns: the hex digest and the number of canonical bytes, or the issues.
    public static func canonical(
        _ value: JSONValue,
        at location: String
    ) -> Result<(sha256: String, bytes: Int), RecordRefusal> {
        var issues: [RecordIssue] = []
        findUnhashable(value, pointer: location, into: &issues)
        guard issues.isEmpty else { return .failure(RecordRefusal(issues)) }
        let canonical = value.canonicalized()
        return .success((sha256Hex(canonical), canonical.count))
    }

    static func findUnhashable(_ value: JSONValue, pointer: String, into issues: inout [RecordIssue]) {
        switch value {
        case .number(let number) where !number.doubleValue.isFinite:
            issues.append(
                RecordIssue(
                    instanceLocation: pointer,
                    message: "the number \(number) is outside the range of a double and has no RFC 8785 form"
                )
            )
        case .array(let items):
            for (index, item) in items.enumerated() {
                findUnhashable(item, pointer: pointer + "/" + String(index), into: &issues)
            }
        case .object(let object):
            for (key, item) in object {
                findUnhashable(item, pointer: pointer + "/" + JSONPointer.escape(key), into: &issues)
            }
        default:
            break
        }
    }
}
