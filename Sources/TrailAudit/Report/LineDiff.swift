/// A line-by-line difference between two texts (Myers' algorithm), for a prompt version against its parent.
public enum LineDiff {
    /// One line of a unified diff.
    public enum Line: Sendable, Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The most lines of both texts together that are compared line by line (prompt content is at most
    /// 16 KB, so only texts of very short lines reach it).
    public static let maxLines = 4000

    /// The lines of `new` compared with `old`: kept, removed and added, in order.
    ///
    /// - Parameters:
    ///   - old: the earlier text.
    ///   - new: the later text.
    /// - Returns: every line of both texts, marked.
    public static func lines(from old: String, to new: String) -> [Line] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let n = a.count
        let m = b.count
        // The search keeps one frontier per edit step; past this size a text is shown replaced whole.
        guard n + m <= maxLines else { return a.map(Line.removed) + b.map(Line.added) }
        let offset = n + m
        var frontier = [Int](repeating: 0, count: 2 * offset + 2)
        var trace: [[Int]] = []
        var found = false
        for d in 0...(n + m) {
            trace.append(frontier)
            for k in stride(from: -d, through: d, by: 2) {
                var x =
                    (k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1]))
                    ? frontier[offset + k + 1] : frontier[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + k] = x
                if x >= n, y >= m {
                    found = true
                    break
                }
            }
            if found { break }
        }
        // Walk back through the saved frontiers.
        var result: [Line] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK =
                (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
            let previousX = d == 0 ? 0 : v[offset + previousK]
            let previousY = d == 0 ? 0 : previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                result.append(.same(a[x]))
            }
            if d > 0 {
                if x == previousX {
                    y -= 1
                    result.append(.added(b[y]))
                } else {
                    x -= 1
                    result.append(.removed(a[x]))
                }
            }
        }
        return result.reversed()
    }
}
