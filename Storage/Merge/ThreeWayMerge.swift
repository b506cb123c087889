/// diff3 over lines (Khanna, Kunal, Pierce, "A Formal Investigation of Diff3", 2007;
/// SYNC-NOTES §2): the line merge of two versions `a` and `b` of a text against their common
/// ancestor `o`.
///
/// `o` is diffed against `a` and against `b` (`LineDiff`). Lines of `o` matched in both are
/// *stable*; the runs between stable lines are *unstable chunks*. In each unstable chunk: `a`
/// equal to `o` → take `b`; `b` equal to `o` → take `a`; `a` equal to `b` → take it; otherwise
/// the chunk conflicts. Edits on adjacent lines therefore conflict, as in diff3.
///
/// Lines compare as UTF-8 bytes with their terminators, so line endings are kept exactly as
/// written and a last line without a newline is handled like any other line.
public enum ThreeWayMerge {
    /// The outcome of a merge.
    public enum Outcome: Hashable, Sendable {
        /// Every chunk merged: the merged text.
        case clean(String)
        /// At least one chunk changed differently on both sides; `chunks` counts them.
        case conflict(chunks: Int)

        /// The merged text when clean.
        public var text: String? {
            if case .clean(let text) = self { return text }
            return nil
        }
    }

    /// Merges `a` and `b` against their ancestor `o`.
    ///
    /// Guarantees: `merge(o, a, o) == a`, `merge(o, o, b) == b`, `merge(o, x, x) == x`.
    public static func merge(base o: String, _ a: String, _ b: String) -> Outcome {
        if a.utf8.elementsEqual(b.utf8) { return .clean(a) }
        if o.utf8.elementsEqual(a.utf8) { return .clean(b) }
        if o.utf8.elementsEqual(b.utf8) { return .clean(a) }
        var table = LineTable()
        let oIds = table.ids(LineDiff.lines(o))
        let aIds = table.ids(LineDiff.lines(a))
        let bIds = table.ids(LineDiff.lines(b))
        switch merge(oIds, aIds, bIds) {
        case .success(let ids):
            return .clean(LineDiff.text(ids.map { table.lines[$0] }))
        case .failure(let conflicts):
            return .conflict(chunks: conflicts.count)
        }
    }

    struct Conflicts: Error { var count: Int }

    /// diff3 over interned line ids.
    static func merge(_ o: [Int], _ a: [Int], _ b: [Int]) -> Result<[Int], Conflicts> {
        var inA = [Int?](repeating: nil, count: o.count)
        for (oi, ai) in LineDiff.matches(o, a) { inA[oi] = ai }
        var inB = [Int?](repeating: nil, count: o.count)
        for (oi, bi) in LineDiff.matches(o, b) { inB[oi] = bi }

        var result: [Int] = []
        var conflicts = 0
        var lo = 0, la = 0, lb = 0
        while true {
            // The next line of o matched in both a and b: the end of this unstable chunk.
            var next = lo
            while next < o.count, inA[next] == nil || inB[next] == nil { next += 1 }
            let endA = next < o.count ? inA[next]! : a.count
            let endB = next < o.count ? inB[next]! : b.count
            if next > lo || endA > la || endB > lb {
                let oPart = o[lo..<next], aPart = a[la..<endA], bPart = b[lb..<endB]
                if aPart.elementsEqual(oPart) {
                    result.append(contentsOf: bPart)
                } else if bPart.elementsEqual(oPart) || aPart.elementsEqual(bPart) {
                    result.append(contentsOf: aPart)
                } else {
                    conflicts += 1
                }
            }
            guard next < o.count else { break }
            // A stable line.
            result.append(o[next])
            lo = next + 1
            la = endA + 1
            lb = endB + 1
        }
        return conflicts == 0 ? .success(result) : .failure(Conflicts(count: conflicts))
    }
}

/// Interns lines (compared as bytes) to small integers so diffs compare ints.
struct LineTable {
    private(set) var lines: [[UInt8]] = []
    private var index: [[UInt8]: Int] = [:]

    mutating func id(_ line: [UInt8]) -> Int {
        if let id = index[line] { return id }
        let id = lines.count
        lines.append(line)
        index[line] = id
        return id
    }

    mutating func ids(_ lines: [[UInt8]]) -> [Int] { lines.map { id($0) } }
}
