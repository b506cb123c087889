/// One revision of a note body: the change that wrote it.
public struct BodyRevision: Hashable, Sendable {
    public var ref: ChangeRef
    public var hlc: HLC
    public var base: [ChangeRef]
    public var text: String

    public init(ref: ChangeRef, hlc: HLC, base: [ChangeRef], text: String) {
        self.ref = ref
        self.hlc = hlc
        self.base = base
        self.text = text
    }

    /// The merge order of heads: `(hlc, site)`, then seq (SYNC-NOTES R1).
    public static func mergeOrder(_ a: BodyRevision, _ b: BodyRevision) -> Bool {
        (a.hlc, a.ref.site, a.ref.seq) < (b.hlc, b.ref.site, b.ref.seq)
    }
}

/// What a set of body revisions shows: the body, the heads it reflects, and pending conflicts.
public struct MergedBody: Hashable, Sendable {
    /// The text shown as the note's body.
    public var body: String
    /// Every head (revision no other revision names as base), in merge order.
    public var heads: [ChangeRef]
    /// Heads whose edits could not be merged into `body`, in merge order. Empty after a clean
    /// merge or when there is one head.
    public var conflicts: [BodyRevision]
    /// The head whose text is `body` when there are conflicts (the merge-order greatest).
    public var winner: ChangeRef?

    /// The `base` of a new local edit (DESIGN §3): every head when the body reflects them all
    /// (one head or a clean merge); only the displayed head while conflicts are pending, so an
    /// edit does not close revisions the user never saw.
    public var baseForEdit: [ChangeRef] {
        if conflicts.isEmpty { return heads }
        return winner.map { [$0] } ?? heads
    }

    /// The `base` of `conflicts resolve`: every head, closing them all.
    public var baseForResolve: [ChangeRef] { heads }
}

/// The body of a note as a pure function of its revision set (DESIGN §3, SYNC-NOTES R5–R10).
/// Every replica computes it alone, so it depends on nothing but `revisions`: not their order,
/// not duplicates, not the clock, locale or Swift version.
///
/// The algorithm (version 2):
/// - The heads are the revisions no revision in the set names as base; base refs missing from
///   the set are ignored (they may arrive later, already closed).
/// - One head: its text. Several: the heads are folded in merge order `(hlc, site, seq)`. Each
///   step merges the text so far with the next head (`ThreeWayMerge`, diff3 over `LineDiff`)
///   against the body of their lowest common ancestors: one ancestor → its text; several
///   (criss-cross edits) → the body this same function computes for those ancestors, a virtual
///   base as in git's recursive strategy (R7); none → the empty text.
/// - Any conflicting step: the greatest head's text is the body and every other head is a
///   conflict revision (R8).
public enum BodyMerge {
    /// Bumped whenever the result of `resolve` could change for some input: a protocol change.
    /// 1: greatest head wins (placeholder). 2: diff3 fold with virtual bases (this file).
    public static let version = 2

    /// Computes the body for every revision of one note's body.
    ///
    /// - Complexity: one head costs O(R) for R revisions; k heads cost k line merges plus
    ///   O(k · R) graph walks.
    public static func resolve(_ revisions: [BodyRevision]) -> MergedBody {
        if revisions.count == 1 {  // the only head (what the graph below finds, without building it)
            let only = revisions[0]
            return MergedBody(body: only.text, heads: [only.ref], conflicts: [], winner: only.ref)
        }
        var graph = RevisionGraph(revisions)
        let heads = graph.heads
        guard let greatest = heads.last else {
            return MergedBody(body: "", heads: [], conflicts: [], winner: nil)
        }
        let refs = heads.map { graph.revisions[$0].ref }
        if heads.count == 1 {
            return MergedBody(body: graph.revisions[greatest].text, heads: refs, conflicts: [], winner: refs[0])
        }
        if let text = graph.mergedText(of: heads) {
            return MergedBody(body: text, heads: refs, conflicts: [], winner: nil)
        }
        return MergedBody(
            body: graph.revisions[greatest].text, heads: refs,
            conflicts: heads.dropLast().map { graph.revisions[$0] }, winner: refs.last)
    }
}

/// The revision graph of one body: revisions by index in merge order, and their parents.
struct RevisionGraph {
    /// Distinct revisions in merge order (duplicates of a ref keep the first by content order).
    let revisions: [BodyRevision]
    /// Indices of each revision's bases that are present in the set.
    let parents: [[Int]]
    /// Indices of the heads, ascending (merge order).
    let heads: [Int]
    /// Virtual-base texts by the sorted indices of the ancestors they merge.
    private var cache: [[Int]: String] = [:]

    init(_ input: [BodyRevision]) {
        // Sort for an order-independent result; a ref given twice (never expected) keeps the
        // copy whose content sorts first, so even then the input order does not matter.
        // The order is total: (hlc, site, seq, base, text).
        let sorted = input.sorted { a, b in
            if a.ref != b.ref { return BodyRevision.mergeOrder(a, b) }
            return RevisionGraph.contentOrder(a, b)
        }
        var unique: [BodyRevision] = []
        var seen = Set<ChangeRef>()
        for revision in sorted where seen.insert(revision.ref).inserted { unique.append(revision) }
        revisions = unique
        var position: [ChangeRef: Int] = [:]
        for (i, revision) in unique.enumerated() { position[revision.ref] = i }
        parents = unique.map { revision in
            Array(Set(revision.base.compactMap { position[$0] })).sorted()
        }
        var referenced = [Bool](repeating: false, count: unique.count)
        for list in parents { for p in list { referenced[p] = true } }
        heads = unique.indices.filter { !referenced[$0] }
    }

    private static func contentOrder(_ a: BodyRevision, _ b: BodyRevision) -> Bool {
        if a.hlc != b.hlc { return a.hlc < b.hlc }
        let aBase = a.base.map(\.description), bBase = b.base.map(\.description)
        if aBase != bBase { return aBase.lexicographicallyPrecedes(bBase) }
        return a.text.utf8.lexicographicallyPrecedes(b.text.utf8)
    }

    /// Every revision reachable from `roots` through bases, `roots` included.
    func ancestors(of roots: [Int]) -> Set<Int> {
        var seen = Set<Int>()
        var stack = roots
        while let i = stack.popLast() {
            if seen.insert(i).inserted { stack.append(contentsOf: parents[i]) }
        }
        return seen
    }

    /// The lowest common ancestors of two revision sets, ascending.
    func lowestCommonAncestors(_ x: [Int], _ y: [Int]) -> [Int] {
        let common = ancestors(of: x).intersection(ancestors(of: y))
        // Remove every common ancestor that is a strict ancestor of another common ancestor.
        let below = ancestors(of: common.flatMap { parents[$0] })
        return common.subtracting(below).sorted()
    }

    /// The body of the antichain `heads` (ascending indices): the fold of clean merges, or nil
    /// when some step conflicts.
    mutating func mergedText(of heads: [Int]) -> String? {
        var text = revisions[heads[0]].text
        var folded = [heads[0]]
        for next in heads.dropFirst() {
            let base = baseText(lowestCommonAncestors(folded, [next]))
            guard let merged = ThreeWayMerge.merge(base: base, text, revisions[next].text).text
            else { return nil }
            text = merged
            folded.append(next)
        }
        return text
    }

    /// The text to merge against for the ancestors `lcas` (ascending, an antichain).
    private mutating func baseText(_ lcas: [Int]) -> String {
        if lcas.isEmpty { return "" }
        if lcas.count == 1 { return revisions[lcas[0]].text }
        if let cached = cache[lcas] { return cached }
        // f(lcas): the body this function computes for those heads — merged if clean, else the
        // greatest of them (R7, R8).
        let text = mergedText(of: lcas) ?? revisions[lcas.last!].text
        cache[lcas] = text
        return text
    }
}
