import GRDB

/// An entity a received batch creates (no row of it is held yet), folded in memory from all its
/// changes in the batch by the same rules `Replica.materialize` applies one change at a time:
/// a last-writer-wins register per field ordered by `(hlc, site, seq)`, the body's revisions
/// merged by `BodyMerge`, created/updated the least/greatest wall time. The replica then writes
/// one row per table instead of several statements per change — the bulk of a first sync.
struct FreshEntity {
    let kind: EntityKind
    let id: String
    private(set) var created = Int64.max
    private(set) var updated = Int64.min
    /// Per field (note body excepted), the change whose value shows.
    private(set) var winners: [String: Change] = [:]
    /// A note's body revisions, in arrival order.
    private(set) var bodies: [BodyRevision] = []

    init(kind: EntityKind, id: String) {
        self.kind = kind
        self.id = id
    }

    mutating func add(_ c: Change) {
        created = min(created, c.wall)
        updated = max(updated, c.wall)
        if kind == .note && c.field == "body" {
            bodies.append(BodyRevision(ref: c.ref, hlc: c.hlc, base: c.base, text: c.value ?? ""))
            return
        }
        if let held = winners[c.field], !Self.precedes(held, c) { return }
        winners[c.field] = c
    }

    /// The register order: `(hlc, site)`, then seq.
    static func precedes(_ a: Change, _ b: Change) -> Bool {
        (a.hlc.rawValue, a.site, a.seq) < (b.hlc.rawValue, b.site, b.seq)
    }

    /// The row's columns and values: identity and times, the merged body (notes), then every
    /// field this build shows, in a fixed order so equal batches prepare equal statements.
    func columns() -> [(name: String, value: (any DatabaseValueConvertible)?)] {
        var row: [(name: String, value: (any DatabaseValueConvertible)?)] = [
            ("id", id), ("created_at", created), ("updated_at", updated),
        ]
        if kind == .note && !bodies.isEmpty {
            for (name, value) in BodyColumns(BodyMerge.resolve(bodies)).pairs { row.append((name, value)) }
        }
        let known = kind == .note ? Fields.noteColumns : Fields.articleColumns
        for field in winners.keys.sorted() {
            guard let column = known[field] else { continue }  // a newer version's field: stamped, not shown
            row.append((column.name, column.stored(winners[field]!.value)))
        }
        return row
    }

    /// Tags the entity carries: tag registers whose winning value sets them.
    var tags: [String] {
        winners.keys.sorted().compactMap { field in
            guard field.hasPrefix(Fields.tagPrefix), winners[field]!.value == "true" else { return nil }
            return String(field.dropFirst(Fields.tagPrefix.count))
        }
    }
}

/// The columns of `notes` that hold a merged body.
struct BodyColumns {
    let pairs: [(String, String)]

    init(_ merged: MergedBody) {
        func text(_ refs: [ChangeRef]) -> String { refs.map(\.description).joined(separator: ",") }
        pairs = [
            ("body", merged.body), ("heads", text(merged.heads)), ("edit_base", text(merged.baseForEdit)),
            ("resolve_base", text(merged.baseForResolve)), ("conflicts", text(merged.conflicts.map(\.ref))),
        ]
    }
}
