import Foundation
import GRDB

/// Notes, tags, ids and conflicts: the user-facing side of the library.
extension Library {
    // MARK: Writes (one transaction each)

    /// Creates a note (see `LibraryWriter.createNote`) and returns it.
    @discardableResult
    public func createNote(body: String, articleId: String? = nil, anchor: Anchor? = nil, tags: [String] = []) throws -> Note {
        let id = try write { try $0.createNote(body: body, articleId: articleId, anchor: anchor, tags: tags) }
        return try note(id)
    }

    /// Replaces a note's body and returns the note.
    @discardableResult
    public func editNote(_ id: String, body: String) throws -> Note {
        try write { try $0.editNote(id, body: body) }
        return try note(id)
    }

    /// Moves a note to the trash.
    public func deleteNote(_ id: String) throws { try write { try $0.deleteNote(id) } }

    /// Takes a note out of the trash.
    public func restoreNote(_ id: String) throws { try write { try $0.restoreNote(id) } }

    /// Sets tags on a note or article.
    public func addTags(_ tags: [String], to id: String) throws { try write { try $0.addTags(tags, to: id) } }

    /// Removes tags from a note or article.
    public func removeTags(_ tags: [String], from id: String) throws { try write { try $0.removeTags(tags, from: id) } }

    /// Keeps one body of a note in conflict, closing every head.
    public func resolveConflict(note id: String, keep choice: ConflictChoice) throws {
        try write { try $0.resolveConflict(note: id, keep: choice) }
    }

    // MARK: Reads

    /// The note with this exact id (in the trash or not).
    public func note(_ id: String) throws -> Note {
        guard let note = try notes(where: "n.id = ?", [id]).first else { throw StorageError.unknownId(id) }
        return note
    }

    /// Live notes, newest first, optionally only those of an article or with a tag.
    public func notes(article: String? = nil, tag: String? = nil) throws -> [Note] {
        var conditions = ["n.deleted = 0"]
        var arguments: [any DatabaseValueConvertible] = []
        if let article { conditions.append("n.article_id = ?"); arguments.append(article) }
        if let tag { conditions.append("EXISTS (SELECT 1 FROM tags t WHERE t.entity_id = n.id AND t.tag = ?)"); arguments.append(tag) }
        return try notes(where: conditions.joined(separator: " AND "), arguments)
    }

    /// Notes in the trash, newest first.
    public func trash() throws -> [Note] {
        try notes(where: "n.deleted = 1", [])
    }

    private func notes(where condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> [Note] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT n.* FROM notes n WHERE \(condition) ORDER BY n.created_at DESC, n.id",
                arguments: StatementArguments(arguments))
            let tags = try Self.tags(db, of: rows.map { $0["id"] })
            return rows.map { row in
                let id: String = row["id"]
                return Note(
                    id: id, body: row["body"], articleId: row["article_id"], anchor: Anchor(jsonText: row["anchor"]),
                    tags: tags[id] ?? [], createdAt: Date(millis: row["created_at"]), updatedAt: Date(millis: row["updated_at"]),
                    deleted: row["deleted"] as Int64 != 0, conflictCount: Replica.refs(row["conflicts"]).count)
            }
        }
    }

    static func tags(_ db: Database, of ids: [String]) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        if ids.isEmpty { return result }
        if ids.count == 1 {
            result[ids[0]] = try String.fetchAll(db, sql: "SELECT tag FROM tags WHERE entity_id = ? ORDER BY tag", arguments: [ids[0]])
            return result
        }
        let wanted = Set(ids)
        for row in try Row.fetchAll(db, sql: "SELECT entity_id, tag FROM tags ORDER BY tag") where wanted.contains(row["entity_id"]) {
            result[row["entity_id"], default: []].append(row["tag"])
        }
        return result
    }

    /// Every tag on a live note or article, with how many carry it, by name.
    public func tags() throws -> [TagCount] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.tag, count(*) AS n FROM tags t
                    LEFT JOIN notes n ON n.id = t.entity_id LEFT JOIN articles a ON a.id = t.entity_id
                    WHERE coalesce(n.deleted, a.deleted, 0) = 0
                    GROUP BY t.tag ORDER BY t.tag
                    """
            ).map { TagCount(name: $0["tag"], count: $0["n"]) }
        }
    }

    /// The change log, newest first (in the order this library received the changes).
    public func log(limit: Int = 50) throws -> [LogEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT site, seq, entity, entity_id, field, hlc, wall FROM changes ORDER BY rowid DESC LIMIT ?",
                arguments: [max(0, limit)]
            ).map {
                LogEntry(
                    site: $0["site"], seq: $0["seq"], entity: EntityKind(rawValue: $0["entity"]) ?? .note,
                    entityId: $0["entity_id"], field: $0["field"], hlc: HLC(rawValue: $0["hlc"]), wall: Date(millis: $0["wall"]))
            }
        }
    }

    /// Notes with pending conflict revisions, and those revisions.
    public func conflicts() throws -> [ConflictInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, body, conflicts FROM notes WHERE conflicts != '' ORDER BY id").map { row in
                let revisions = try Replica.refs(row["conflicts"]).map { ref in
                    let change = try Row.fetchOne(
                        db, sql: "SELECT value, hlc FROM changes WHERE site = ? AND seq = ?", arguments: [ref.site, ref.seq])
                    return ConflictInfo.Revision(
                        id: ref.description, body: change?["value"] ?? "", site: ref.site,
                        hlc: HLC(rawValue: change?["hlc"] ?? 0))
                }
                return ConflictInfo(noteId: row["id"], body: row["body"], revisions: revisions)
            }
        }
    }

    // MARK: Ids

    /// The full id of the note or article whose id starts with `prefix` (case-insensitive),
    /// as git resolves abbreviated hashes. Unknown and ambiguous prefixes are errors; an
    /// ambiguous one lists its candidates.
    public func resolveId(_ prefix: String, kinds: Set<EntityKind> = [.note, .article]) throws -> (kind: EntityKind, id: String) {
        let prefix = prefix.trimmingCharacters(in: .whitespaces).lowercased()
        guard !prefix.isEmpty, prefix.utf8.count <= 64,
            prefix.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) || $0 == "-" })
        else { throw StorageError.unknownId(prefix) }
        let candidates: [(EntityKind, String)] = try read { db in
            var found: [(EntityKind, String)] = []
            for kind in EntityKind.allCases where kinds.contains(kind) {
                let table = kind == .note ? "notes" : "articles"
                if let exact = try String.fetchOne(db, sql: "SELECT id FROM \(table) WHERE id = ?", arguments: [prefix]) {
                    return [(kind, exact)]
                }
                found += try String.fetchAll(
                    db, sql: "SELECT id FROM \(table) WHERE id >= ? AND id < ? ORDER BY id LIMIT 11",
                    arguments: [prefix, prefix + "~"]
                ).map { (kind, $0) }
            }
            return found
        }
        guard let first = candidates.first else { throw StorageError.unknownId(prefix) }
        guard candidates.count == 1 else {
            var names = candidates.prefix(10).map { "\($0.0.rawValue) \($0.1)" }
            if candidates.count > 10 { names.append("…") }
            throw StorageError.ambiguousId(prefix, candidates: names)
        }
        return (kind: first.0, id: first.1)
    }
}
