import Foundation
import GRDB

/// One write transaction of the replica: its site, its clock, and the single path by which a
/// change — made here (`local`) or received (`receive`) — is logged and materialized
/// (DESIGN §3). Lives only inside `Library.transaction`; not shared between threads.
final class Replica {
    let db: Database
    let options: Library.Options
    let wall: Int64
    private(set) var site: String
    private var clock: HybridClock
    /// (last seq, last hash) per site, read lazily.
    private var tails: [String: (seq: Int64, hash: String)] = [:]
    private var touchedBodies: Set<String> = []
    /// Entities whose row this transaction created, with the row's `num` and the wall time it
    /// was created with: they have no earlier changes, so their body revisions are exactly those
    /// in `newBodies` and they have no search row yet.
    private var newEntities: [EntityRef: (num: Int64, wall: Int64)] = [:]
    private var newBodies: [String: [BodyRevision]] = [:]
    private var touchedSearch: Set<EntityRef> = []
    private var rotateAfter = false
    private var skewWarned: Set<String> = []
    /// The insert of a new row per kind (`write(_: FreshEntity)`), prepared once per transaction.
    private var freshInsert: [EntityKind: Statement] = [:]
    var warnings: [String] = []

    struct EntityRef: Hashable {
        var kind: EntityKind
        var id: String
    }

    init(db: Database, options: Library.Options) throws {
        self.db = db
        self.options = options
        self.wall = options.wall()
        guard let row = try Row.fetchOne(db, sql: "SELECT site, clock FROM replica WHERE id = 1") else {
            throw StorageError(.corrupt, "the library has no replica record", hint: "restore it from a backup")
        }
        site = row["site"]
        var last = HLC(rawValue: row["clock"])
        // The stored clock is written with every change; also seed from this site's latest
        // logged stamp (bounded like a received one) in case the stored clock was lost.
        if let own = try Int64.fetchOne(
            db, sql: "SELECT hlc FROM changes WHERE site = ? ORDER BY seq DESC LIMIT 1", arguments: [site])
        {
            let bound = HLC(millis: wall + options.maxDrift, counter: UInt16.max)
            last = Swift.max(last, Swift.min(HLC(rawValue: own), bound))
        }
        clock = HybridClock(last: last)
    }

    // MARK: Writing

    /// Logs and materializes a change made here. `floor` is the greatest stamp the new value
    /// replaces (R3): the new stamp exceeds it whatever the wall clock says.
    @discardableResult
    func local(
        _ entity: EntityKind, _ id: String, _ field: String, _ value: String?, base: [ChangeRef] = []
    ) throws -> Change {
        let bytes = value?.utf8.count ?? 0
        guard bytes <= Change.maxValueBytes else { throw StorageError.valueTooLarge(field, bytes: bytes) }
        var floor: HLC?
        if field == "body" && entity == .note {
            floor = try base.compactMap { try stamp(of: $0) }.max()
        } else if let current = try fieldStamp(entity, id, field) {
            floor = current.hlc
        }
        let hlc = clock.tick(wall: wall, after: floor)
        let tail = try self.tail(site)
        let change = Change(
            site: site, seq: tail.seq + 1, entity: entity, entityId: id, field: field, value: value,
            hlc: hlc, base: base, wall: wall, prev: tail.hash)
        try ingest(change)
        return change
    }

    /// Validates a received change and, unless already held, logs and materializes it. Returns
    /// false for a duplicate. Throws on a forked log, a gap, a bad hash or an oversized value.
    func receive(_ change: Change) throws -> Bool {
        guard try admit(change) else { return false }
        try materialize(change)
        return true
    }

    /// Receives a batch: validates and logs each change in order (as `receive`), then
    /// materializes them entity by entity. An entity the library does not hold yet is folded in
    /// memory and written once (`FreshEntity`); the others take `materialize` change by change.
    /// Either way the tables end as if the changes had been received one at a time.
    func receive(batch changes: [Change]) throws -> (applied: Int, skipped: Int) {
        // Per entity, the positions of its admitted changes in `changes` (in arrival order).
        var slots: [EntityRef: Int] = [:]
        var groups: [(entity: EntityRef, changes: [Int])] = []
        var applied = 0
        for (position, change) in changes.enumerated() {
            guard try admit(change) else { continue }
            applied += 1
            let entity = EntityRef(kind: change.entity, id: change.entityId)
            if let slot = slots[entity] {
                groups[slot].changes.append(position)
            } else {
                slots[entity] = groups.count
                groups.append((entity, [position]))
            }
        }
        // In id order: the id-keyed indexes (rows, tag registers) are then filled front to back.
        groups.sort { a, b in
            a.entity.kind == b.entity.kind ? a.entity.id < b.entity.id : a.entity.kind == .article
        }
        var created: [EntityKind: [Int64]] = [:]
        for (entity, positions) in groups {
            var fresh = FreshEntity(kind: entity.kind, id: entity.id)
            for position in positions { fresh.add(changes[position]) }
            if let num = try write(fresh) {
                created[entity.kind, default: []].append(num)
            } else {
                for position in positions { try materialize(changes[position]) }  // the library holds it already
            }
        }
        for (kind, rows) in created { try SearchIndex.add(db, kind, rows: rows) }
        return (applied, changes.count - applied)
    }

    /// Checks a received change and logs it unless already held (false then). Materializing is
    /// the caller's next step. Throws on a forked log, a gap, a bad hash or an oversized value.
    private func admit(_ change: Change) throws -> Bool {
        guard Site.isValid(change.site), change.seq > 0 else {
            throw StorageError.badHash(change.ref, "malformed site id or sequence number")
        }
        guard change.valueBytes <= Change.maxValueBytes else {
            throw StorageError.valueTooLarge(change.field, bytes: change.valueBytes)
        }
        guard change.hashIsValid else { throw StorageError.badHash(change.ref, "its hash does not match its content") }
        let tail = try self.tail(change.site)
        // Logs have no gaps, so a change is held exactly when its seq is at most the tail's.
        if change.seq <= tail.seq {
            let held = try String.fetchOne(
                db.cachedStatement(sql: "SELECT hash FROM changes WHERE site = ? AND seq = ?"),
                arguments: [change.site, change.seq])
            if held == change.hash { return false }
            throw StorageError.forked(change.ref)
        }
        guard change.seq == tail.seq + 1 else { throw StorageError.gap(change.ref, expected: tail.seq + 1) }
        guard change.prev == tail.hash else { throw StorageError.forked(change.ref) }
        guard Self.isValidId(change.entityId), Self.isValidField(change.field) else {
            throw StorageError.badHash(change.ref, "malformed entity id or field name")
        }
        let ahead = clock.observe(change.hlc, wall: wall, maxDrift: options.maxDrift)
        if ahead > 0, !skewWarned.contains(change.site) {
            skewWarned.insert(change.site)
            warnings.append(
                "site \(change.site) writes stamps \(Self.duration(ahead)) ahead of this machine's clock "
                    + "(one of its clocks is wrong); its changes were kept as written, this clock moved at most \(Self.duration(options.maxDrift)) ahead")
        }
        if change.site == site {
            // Another copy of this library wrote as this site: keep its changes, write as a new site.
            rotateAfter = true
        }
        try log(change)
        return true
    }

    /// The one path into the tables: log the change, then materialize it.
    private func ingest(_ c: Change) throws {
        try log(c)
        try materialize(c)
    }

    /// Appends a change to the log.
    private func log(_ c: Change) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO changes (site, seq, entity, entity_id, field, value, hlc, base, wall, prev, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try Bind.run(insert) { row in
            row.text(c.site)
            row.int(c.seq)
            row.text(c.entity.rawValue)
            row.text(c.entityId)
            row.text(c.field)
            row.text(c.value)
            row.int(c.hlc.rawValue)
            row.text(c.base.isEmpty ? "" : c.base.map(\.description).joined(separator: ","))
            row.int(c.wall)
            row.text(c.prev)
            row.text(c.hash)
        }
        tails[c.site] = (c.seq, c.hash)
    }

    // MARK: Merge rules (DESIGN §3)

    private func materialize(_ c: Change) throws {
        let table = c.entity == .note ? "notes" : "articles"
        let entity = EntityRef(kind: c.entity, id: c.entityId)
        let isBody = c.entity == .note && c.field == "body"
        let created: Bool
        if isBody {
            // A new note's first revision is, provisionally, its body and only head; `settle`
            // checks that against the merge and rewrites the row only when they differ.
            let head = c.ref.description
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO notes (id, created_at, updated_at, body, heads, edit_base, resolve_base, revisions)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [c.entityId, c.wall, c.wall, c.value ?? "", head, head, head, head])
            created = db.changesCount > 0
            if !created {
                // The note's list of body revisions (what `settle` merges) gains this one.
                try db.cachedStatement(
                    sql: "UPDATE notes SET revisions = CASE revisions WHEN '' THEN ?1 ELSE revisions || ',' || ?1 END WHERE id = ?2"
                ).execute(arguments: [head, c.entityId])
            }
        } else {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(table) (id, created_at, updated_at) VALUES (?, ?, ?)")
                .execute(arguments: [c.entityId, c.wall, c.wall])
            created = db.changesCount > 0
        }
        if created {
            newEntities[entity] = (db.lastInsertedRowID, c.wall)
        } else if newEntities[entity]?.wall != c.wall {
            // (A row made in this transaction at this wall time already spans it.)
            try db.cachedStatement(
                sql: "UPDATE \(table) SET created_at = min(created_at, ?), updated_at = max(updated_at, ?) WHERE id = ?"
            ).execute(arguments: [c.wall, c.wall, c.entityId])
        }
        if isBody {
            // A revision graph, merged after the batch (BodyMerge).
            touchedBodies.insert(c.entityId)
            if newEntities[entity] != nil {
                newBodies[c.entityId, default: []].append(
                    BodyRevision(ref: c.ref, hlc: c.hlc, base: c.base, text: c.value ?? ""))
            }
            return
        }
        // Last-writer-wins register ordered by (hlc, site), then seq.
        if let current = try fieldStamp(c.entity, c.entityId, c.field),
            !((current.hlc.rawValue, current.site, current.seq) < (c.hlc.rawValue, c.site, c.seq))
        {
            return
        }
        if let tag = Fields.tag(c.field) {
            try setTag(tag, winner: c)
            return
        }
        try setStamp(winner: c)
        try setField(c.entity, c.entityId, c.field, c.value)
    }

    /// Stores the stamp of a field's register (tags excepted: `setTag`).
    private func setStamp(winner c: Change) throws {
        try Bind.run(
            db.cachedStatement(
                sql: "INSERT OR REPLACE INTO field_stamps (entity, entity_id, field, hlc, site, seq) VALUES (?, ?, ?, ?, ?, ?)")
        ) { row in
            row.text(c.entity.rawValue)
            row.text(c.entityId)
            row.text(c.field)
            row.int(c.hlc.rawValue)
            row.text(c.site)
            row.int(c.seq)
        }
    }

    /// Stores a tag register's winning change: its stamp, and whether the tag is set (`true`).
    /// `num` is the entity's row, when the caller knows it.
    private func setTag(_ tag: String, winner c: Change, num: Int64? = nil) throws {
        let row = num.map { _ in "?" } ?? "(SELECT num FROM \(c.entity == .note ? "notes" : "articles") WHERE id = ?)"
        try Bind.run(
            db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO tag_registers (entity, num, tag, hlc, site, seq, present)
                    VALUES (?, \(row), ?, ?, ?, ?, ?)
                    """)
        ) { values in
            values.text(c.entity.rawValue)
            if let num { values.int(num) } else { values.text(c.entityId) }
            values.text(tag)
            values.int(c.hlc.rawValue)
            values.text(c.site)
            values.int(c.seq)
            values.int(c.value == "true" ? 1 : 0)
        }
    }

    /// Writes the winning value of a field's register into the materialized tables.
    private func setField(_ entity: EntityKind, _ id: String, _ field: String, _ value: String?) throws {
        let table = entity == .note ? "notes" : "articles"
        let columns = entity == .note ? Fields.noteColumns : Fields.articleColumns
        guard let column = columns[field] else { return }  // a field from a newer version: logged, kept, not shown
        try db.cachedStatement(sql: "UPDATE \(table) SET \(column.name) = ? WHERE id = ?").execute(arguments: [column.stored(value), id])
        if column.searched { touchedSearch.insert(EntityRef(kind: entity, id: id)) }
    }

    /// Settles merged bodies and the search index, stores the clock, and takes a new site if
    /// another copy wrote as this one. Merging logs nothing (R10).
    func finish() throws {
        try settle()
        try db.cachedStatement(sql: "UPDATE replica SET clock = ? WHERE id = 1").execute(arguments: [clock.last.rawValue])
        if rotateAfter {
            rotateAfter = false
            tails = [:]
            let old = site
            site = try Self.rotateSite(db, wall: wall, reason: "another copy of this library wrote as site \(old)")
            warnings.append(
                "another copy of this library wrote as site \(old); its changes were kept and this library now writes as site \(site)")
        }
    }

    /// Brings merged bodies and the search index up to date with the changes ingested so far, so
    /// a later write in the same transaction reads current state (e.g. an edit's base).
    func settle() throws {
        for id in touchedBodies.sorted() {
            let revisions = try newBodies[id] ?? storedRevisions(of: id)
            let merged = BodyMerge.resolve(revisions)
            touchedSearch.insert(EntityRef(kind: .note, id: id))
            if let only = newBodies[id], only.count == 1, merged.body == only[0].text, merged.conflicts.isEmpty,
                merged.heads == [only[0].ref], merged.baseForEdit == [only[0].ref], merged.baseForResolve == [only[0].ref]
            {
                continue  // the provisional row written by `materialize` is the merge
            }
            let columns = BodyColumns(merged).pairs
            try db.cachedStatement(
                sql: "UPDATE notes SET \(columns.map { "\($0.0) = ?" }.joined(separator: ", ")) WHERE id = ?"
            ).execute(arguments: StatementArguments(columns.map(\.1) + [id]))
        }
        touchedBodies = []
        var created: [EntityKind: [Int64]] = [:]
        for entity in touchedSearch {
            if let new = newEntities[entity] {
                created[entity.kind, default: []].append(new.num)
            } else {
                try SearchIndex.refresh(db, entity.kind, entity.id)
            }
        }
        for (kind, rows) in created { try SearchIndex.add(db, kind, rows: rows) }
        touchedSearch = []
        newEntities = [:]
        newBodies = [:]
    }

    /// Takes a fresh site id (the old site's log stays and is relayed).
    @discardableResult
    static func rotateSite(_ db: Database, wall: Int64, reason: String) throws -> String {
        let site = Site.random()
        try db.execute(sql: "UPDATE replica SET site = ? WHERE id = 1", arguments: [site])
        try db.execute(sql: "INSERT INTO sites (site, since, reason) VALUES (?, ?, ?)", arguments: [site, wall, reason])
        return site
    }

    /// Writes an entity first seen in this batch: its row, the stamps of its fields and its
    /// tags. Returns the row's `num` (the caller indexes the batch's new rows for search at
    /// once), or nil, writing nothing, when the library already holds the entity.
    private func write(_ fresh: FreshEntity) throws -> Int64? {
        let table = fresh.kind == .note ? "notes" : "articles"
        let insert = try freshInsert[fresh.kind] ?? {
            let columns = FreshEntity.insertColumns(fresh.kind)
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO \(table) (\(columns.joined(separator: ", ")))
                    VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                    """)
            freshInsert[fresh.kind] = statement
            return statement
        }()
        try Bind.run(insert) { row in fresh.bind(&row) }
        guard db.changesCount > 0 else { return nil }
        let num = db.lastInsertedRowID
        for c in fresh.winners.values {
            if let tag = Fields.tag(c.field) {
                try setTag(tag, winner: c, num: num)
            } else {
                try setStamp(winner: c)
            }
        }
        return num
    }

    // MARK: Lookups

    /// Every body revision of a note the library holds: the note row lists them (`revisions`),
    /// the log holds their content.
    private func storedRevisions(of id: String) throws -> [BodyRevision] {
        let listed = try String.fetchOne(
            db.cachedStatement(sql: "SELECT revisions FROM notes WHERE id = ?"), arguments: [id])
        let lookup = try db.cachedStatement(sql: "SELECT hlc, base, value FROM changes WHERE site = ? AND seq = ?")
        return try Self.refs(listed).compactMap { ref in
            try Row.fetchOne(lookup, arguments: [ref.site, ref.seq]).map { row in
                BodyRevision(ref: ref, hlc: HLC(rawValue: row[0]), base: Self.refs(row[1]), text: row[2] ?? "")
            }
        }
    }

    private func tail(_ site: String) throws -> (seq: Int64, hash: String) {
        if let tail = tails[site] { return tail }
        let row = try Row.fetchOne(
            db, sql: "SELECT seq, hash FROM changes WHERE site = ? ORDER BY seq DESC LIMIT 1", arguments: [site])
        let tail = row.map { (seq: $0["seq"] as Int64, hash: $0["hash"] as String) } ?? (0, "")
        tails[site] = tail
        return tail
    }

    private func stamp(of ref: ChangeRef) throws -> HLC? {
        try Int64.fetchOne(
            db, sql: "SELECT hlc FROM changes WHERE site = ? AND seq = ?", arguments: [ref.site, ref.seq]
        ).map(HLC.init(rawValue:))
    }

    func fieldStamp(_ entity: EntityKind, _ id: String, _ field: String) throws -> (hlc: HLC, site: String, seq: Int64)? {
        if let tag = Fields.tag(field) {
            let table = entity == .note ? "notes" : "articles"
            return try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT hlc, site, seq FROM tag_registers
                        WHERE entity = ? AND num = (SELECT num FROM \(table) WHERE id = ?) AND tag = ?
                        """),
                arguments: [entity.rawValue, id, tag]
            ).map { (HLC(rawValue: $0["hlc"]), $0["site"], $0["seq"]) }
        }
        return try Row.fetchOne(
            db.cachedStatement(sql: "SELECT hlc, site, seq FROM field_stamps WHERE entity = ? AND entity_id = ? AND field = ?"),
            arguments: [entity.rawValue, id, field]
        ).map { (HLC(rawValue: $0["hlc"]), $0["site"], $0["seq"]) }
    }

    static func refs(_ text: String?) -> [ChangeRef] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").compactMap { ChangeRef(String($0)) }
    }

    static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    static func isValidField(_ field: String) -> Bool {
        !field.isEmpty && field.utf8.count <= 256 && field != Fields.tagPrefix
            && !field.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    static func duration(_ ms: Int64) -> String {
        let seconds = ms / 1000
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        return "\(seconds / 3600) h \((seconds % 3600) / 60) min"
    }
}
