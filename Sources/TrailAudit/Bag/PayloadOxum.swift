/// The `Payload-Oxum` of a bag: total payload octets and payload file count (RFC 8493 §2.2.2).
public struct PayloadOxum: Sendable, Hashable, CustomStringConvertible {
    /// Sum of the sizes of every file under `data/`.
    public var octets: Int64
    /// Number of files under `data/`.
    public var streams: Int

    /// Creates an oxum.
    ///
    /// - Parameters:
    ///   - octets: total bytes.
    ///   - streams: file count.
    public init(octets: Int64, streams: Int) {
        self.octets = octets
        self.streams = streams
    }

    /// Parses `OCTETS.STREAMS`.
    ///
    /// - Parameter text: the field value.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let octets = Int64(parts[0]), let streams = Int(parts[1]) else { return nil }
        self.init(octets: octets, streams: streams)
    }

    /// `OCTETS.STREAMS`.
    public var description: String { "\(octets).\(streams)" }
}
