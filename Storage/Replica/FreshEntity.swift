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

    /// The columns a new row is inserted with, in `bind`'s order: identity and times, the
    /// merged body (notes), then every field this build shows. A field no change set takes the
    /// column's default, so one prepared statement serves every new row of a kind.
    static func insertColumns(_ kind: EntityKind) -> [String] {
        switch kind {
        case .note:
            ["id", "created_at", "updated_at"] + BodyColumns.names + ["revisions"]
                + noteFieldOrder.map { Fields.noteColumns[$0]!.name }
        case .article: ["id", "created_at", "updated_at"] + Fields.articleFieldOrder.map { Fields.articleColumns[$0]!.name }
        }
    }

    private static let noteFieldOrder = Fields.noteColumns.keys.sorted()

    /// Binds the row's values in `insertColumns` order.
    func bind(_ row: inout Bind) {
        row.text(id)
        row.int(created)
        row.int(updated)
        let fields: [String]
        if kind == .note {
            if bodies.isEmpty {
                for _ in BodyColumns.names { row.text("") }
                row.text("")
            } else {
                for (_, value) in BodyColumns(BodyMerge.resolve(bodies)).pairs { row.text(value) }
                row.text(bodies.count == 1 ? bodies[0].ref.description : bodies.map(\.ref.description).joined(separator: ","))
            }
            fields = Self.noteFieldOrder
        } else {
            fields = Fields.articleFieldOrder
        }
        let known = kind == .note ? Fields.noteColumns : Fields.articleColumns
        for field in fields {
            let column = known[field]!
            if let winner = winners[field] {
                column.bind(winner.value, &row)
            } else {
                column.bindDefault(&row)
            }
        }
    }
}

/// The columns of `notes` that hold a merged body.
struct BodyColumns {
    static let names = ["body", "heads", "edit_base", "resolve_base", "conflicts"]
    let pairs: [(String, String)]

    init(_ merged: MergedBody) {
        func text(_ refs: [ChangeRef]) -> String {
            refs.count == 1 ? refs[0].description : refs.map(\.description).joined(separator: ",")
        }
        let heads = text(merged.heads)
        let editBase = merged.baseForEdit
        pairs = [
            ("body", merged.body), ("heads", heads), ("edit_base", editBase == merged.heads ? heads : text(editBase)),
            ("resolve_base", heads), ("conflicts", merged.conflicts.isEmpty ? "" : text(merged.conflicts.map(\.ref))),
        ]
    }
}
