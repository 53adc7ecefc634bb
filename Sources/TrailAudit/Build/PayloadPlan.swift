import Crypto
import Foundation
import TrailArchive
import TrailConcurrency
import TrailJSON
import TrailModel
import TrailSchema
import TrailWorkspace

/// One payload file to write: where its bytes come from, and the size and digest pass 1 computed.
struct PayloadPlan {
    enum Source {
        /// A workspace file copied byte for byte.
        case raw(String)
        /// A workspace file without the listed (1-based) lines and blank lines, each line LF-terminated.
        case filtered(String, rejected: Set<Int>)
        /// A file generated in the staging directory.
        case staged(String)
    }

    var archivePath: String
    var source: Source
    var size: Int64
    var digest: String
}
