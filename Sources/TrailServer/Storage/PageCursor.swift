import Foundation

/// A keyset position in a listing: the sort key and id of the last item returned.
///
/// On the wire it is opaque (base64url of `v1:<microseconds>:<id>`), so clients can only hand it back.
/// Because it names a position rather than an offset, items created or updated while a client pages
/// never shift later pages.
package struct PageCursor: Sendable, Hashable {
    /// The sort key (microseconds since the epoch) of the last item returned.
    package var key: Int64
    /// The id of the last item returned.
    package var id: String

    /// A cursor that points before every item: what a repeated-cursor fault hands out for a first page.
    package static let start = PageCursor(key: Int64.min, id: "")

    /// The opaque text handed to clients.
    package var encoded: String {
        Data("v1:\(key):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Creates a cursor.
    ///
    /// - Parameters:
    ///   - key: the sort key of the last item returned.
    ///   - id: its id.
    package init(key: Int64, id: String) {
        self.key = key
        self.id = id
    }

    /// Decodes a cursor from a query parameter.
    ///
    /// Fails when the text is not a cursor this emulator issued.
    ///
    /// - Parameter encoded: the cursor text.
    package init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let key = Int64(parts[1]) else { return nil }
        self.key = key
        self.id = String(parts[2])
    }
}
