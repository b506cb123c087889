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
/// Every replica computes it alone, so it must not depend on anything but `revisions`.
public enum BodyMerge {
    /// Bumped whenever the result of `resolve` could change for some input: a protocol change.
    public static let version = 1

    /// Computes the body for every revision of one note's body. Revisions named in a `base` but
    /// missing from the set are ignored (they may arrive later, already closed).
    public static func resolve(_ revisions: [BodyRevision]) -> MergedBody {
        let referenced = Set(revisions.flatMap(\.base))
        let heads = revisions.filter { !referenced.contains($0.ref) }.sorted(by: BodyRevision.mergeOrder)
        guard let greatest = heads.last else {
            return MergedBody(body: "", heads: [], conflicts: [], winner: nil)
        }
        if heads.count == 1 {
            return MergedBody(body: greatest.text, heads: [greatest.ref], conflicts: [], winner: greatest.ref)
        }
        // Placeholder until the three-way line merge lands: the greatest head wins and the
        // others are conflict revisions.
        return MergedBody(
            body: greatest.text, heads: heads.map(\.ref), conflicts: Array(heads.dropLast()),
            winner: greatest.ref)
    }
}
