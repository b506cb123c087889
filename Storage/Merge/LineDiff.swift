/// Line-level diff for the body merge: the project's own Myers implementation (SYNC-NOTES R5),
/// so every replica on every Swift version computes the same matching. The standard library's
/// `difference(from:)` is not used: which of several minimal diffs it returns is unspecified.
///
/// Lines are compared as UTF-8 bytes (R6): "é" precomposed and "e" + combining accent are
/// different lines, although `String ==` calls them equal. A line keeps its terminator ("\n",
/// or "\r\n" as written); a last line without a newline is a different line from the same text
/// with one. Line endings are never normalised here.
public enum LineDiff {
    /// Splits `text` into lines, each keeping its "\n" (and a "\r" before it, if written).
    /// Splitting happens at the byte 0x0A, which never occurs inside a multi-byte UTF-8 sequence,
    /// so every piece is valid UTF-8. The empty text has no lines.
    public static func lines(_ text: String) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            current.append(byte)
            if byte == 0x0A {
                result.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Joins lines back into text (the inverse of `lines`).
    public static func text<S: Sequence>(_ lines: S) -> String where S.Element == [UInt8] {
        var bytes: [UInt8] = []
        for line in lines { bytes.append(contentsOf: line) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One step of an edit script from `old` to `new`.
    public enum Edit: Hashable, Sendable {
        /// `old[oldIndex]` equals `new[newIndex]`.
        case keep(oldIndex: Int, newIndex: Int)
        /// `old[oldIndex]` is removed.
        case delete(oldIndex: Int)
        /// `new[newIndex]` is inserted.
        case insert(newIndex: Int)
    }

    /// The largest edit distance the diff searches for. Beyond it (two versions of a body that
    /// share almost nothing over thousands of lines) the middle part is treated as wholly
    /// replaced, which is still a correct — if not minimal — diff and keeps memory bounded.
    /// Part of the merge's definition: changing it changes `BodyMerge.version`.
    public static let maxEditDistance = 2048

    /// Pairs `(oldIndex, newIndex)` of lines kept from `old` to `new`, strictly increasing in
    /// both: a longest common subsequence when the edit distance is at most `maxEditDistance`.
    /// Deterministic: the same inputs always give the same pairs.
    ///
    /// - Complexity: O((N + M) · D) time and O(D²) memory after the common prefix and suffix
    ///   are stripped, where D is the edit distance.
    public static func matches<T: Equatable>(_ old: [T], _ new: [T]) -> [(Int, Int)] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
            old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        var pairs: [(Int, Int)] = (0..<prefix).map { ($0, $0) }
        let a = old[prefix..<(old.count - suffix)]
        let b = new[prefix..<(new.count - suffix)]
        for (x, y) in myers(Array(a), Array(b)) { pairs.append((x + prefix, y + prefix)) }
        for i in 0..<suffix { pairs.append((old.count - suffix + i, new.count - suffix + i)) }
        return pairs
    }

    /// The edit script from `old` to `new`: deletions before insertions within each changed run.
    public static func edits<T: Equatable>(_ old: [T], _ new: [T]) -> [Edit] {
        var result: [Edit] = []
        var x = 0, y = 0
        for (mx, my) in matches(old, new) + [(old.count, new.count)] {
            while x < mx { result.append(.delete(oldIndex: x)); x += 1 }
            while y < my { result.append(.insert(newIndex: y)); y += 1 }
            if mx < old.count { result.append(.keep(oldIndex: mx, newIndex: my)) }
            x = mx + 1
            y = my + 1
        }
        return result
    }

    /// Myers' greedy O((N+M)D) algorithm ("An O(ND) Difference Algorithm and Its Variations",
    /// 1986), forward search with the frontier of each round kept for the walk back.
    /// Tie rule: when both neighbours reach the same x, the move from diagonal k-1 (a deletion)
    /// is taken; this fixes which of several minimal diffs is returned.
    private static func myers<T: Equatable>(_ a: [T], _ b: [T]) -> [(Int, Int)] {
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return [] }
        let maxD = min(n + m, maxEditDistance)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        // trace[d] holds v[-d ... d] as it was at the end of round d.
        var trace: [[Int]] = []
        var found = false
        search: for d in 0...maxD {
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    trace.append(Array(v[(offset - d)...(offset + d)]))
                    found = true
                    break search
                }
                k += 2
            }
            trace.append(Array(v[(offset - d)...(offset + d)]))
        }
        guard found else { return [] }  // beyond maxEditDistance: replace the whole middle

        var pairs: [(Int, Int)] = []
        var x = n, y = m
        var d = trace.count - 1
        while d > 0 {
            let k = x - y
            let previous = trace[d - 1]  // v[-(d-1) ... d-1]
            func at(_ k: Int) -> Int { previous[k + d - 1] }
            let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let prevX = at(prevK)
            let prevY = prevX - prevK
            // The snake after the move: diagonal steps down to the move's end point.
            let moveEndX = prevK == k + 1 ? prevX : prevX + 1
            while x > moveEndX {
                x -= 1
                y -= 1
                pairs.append((x, y))
            }
            x = prevX
            y = prevY
            d -= 1
        }
        while x > 0, y > 0 {
            x -= 1
            y -= 1
            pairs.append((x, y))
        }
        return pairs.reversed()
    }
}
