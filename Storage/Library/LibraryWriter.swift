import Crypto
import Foundation
import GRDB

/// The writes of one transaction (`Library.write { }`): each operation appends its own change
/// records and materializes them; the whole batch commits together or not at all. The
/// one-operation methods on `Library` (`createNote`, `editNote`, …) run one of these each.
public final class LibraryWriter {
    let replica: Replica
    var db: Database { replica.db }

    init(replica: Replica) { self.replica = replica }

    // MARK: Notes

    /// Creates a note and returns its id (a random UUIDv4, lowercase). A note needs a body or an
    /// anchor (a highlight is an anchored note with an empty body). `articleId` must be an
    /// article of this library.
    @discardableResult
    public func createNote(body: String, articleId: String? = nil, anchor: Anchor? = nil, tags: [String] = []) throws -> String {
        let body = Self.normalizeBody(body)
        if Self.isBlank(body) && anchor == nil {
            throw StorageError.emptyNote()
        }
        if anchor != nil && articleId == nil {
            throw StorageError.invalid("an anchored note needs an article", hint: "give --article ID with --quote")
        }
        if let articleId, try !exists(.article, articleId) { throw StorageError.unknownId(articleId) }
        let tags = try Self.validTags(tags)
        let id = UUID().uuidString.lowercased()
        try replica.local(.note, id, "body", body)
        if let articleId { try replica.local(.note, id, "article", articleId) }
        if let anchor { try replica.local(.note, id, "anchor", anchor.jsonText) }
        for tag in tags { try replica.local(.note, id, Fields.tagPrefix + tag, "true") }
        return id
    }

    /// Replaces a note's body. The change's base is the heads the shown body reflects (only the
    /// shown head while conflicts are pending, so pending revisions stay open). No change is
    /// written when the body is unchanged.
    public func editNote(_ id: String, body: String) throws {
        try replica.settle()
        let body = Self.normalizeBody(body)
        guard let row = try Row.fetchOne(db, sql: "SELECT body, anchor, deleted, edit_base, conflicts FROM notes WHERE id = ?", arguments: [id]) else {
            throw StorageError.unknownId(id)
        }
        if Self.isBlank(body) && (row["anchor"] as String?) == nil {
            throw StorageError.emptyNote()
        }
        if row["deleted"] as Int64 != 0 {
            throw StorageError.invalid("note \(id) is in the trash", hint: "restore it first: gloss restore \(id.prefix(8))")
        }
        if body == row["body"] as String { return }
        try replica.local(.note, id, "body", body, base: Replica.refs(row["edit_base"]))
    }

    /// Moves a note to the trash (a tombstone: restorable, and a concurrent edit is kept).
    public func deleteNote(_ id: String) throws {
        try setDeleted(.note, id, true)
    }

    /// Takes a note out of the trash.
    public func restoreNote(_ id: String) throws {
        try setDeleted(.note, id, false)
    }

    /// Attaches a note to a passage of its article, or detaches it (`nil`).
    public func setAnchor(_ id: String, _ anchor: Anchor?) throws {
        guard try exists(.note, id) else { throw StorageError.unknownId(id) }
        try replica.local(.note, id, "anchor", anchor?.jsonText)
    }

    /// Keeps one body of a note with conflict revisions: writes a body change whose base is
    /// every head, closing them all.
    public func resolveConflict(note id: String, keep choice: ConflictChoice) throws {
        try replica.settle()
        guard let row = try Row.fetchOne(db, sql: "SELECT body, resolve_base, conflicts FROM notes WHERE id = ?", arguments: [id]) else {
            throw StorageError.unknownId(id)
        }
        let conflicts = Replica.refs(row["conflicts"])
        guard !conflicts.isEmpty else {
            throw StorageError.invalid("note \(id) has no conflicts", hint: "see `gloss conflicts`")
        }
        let body: String
        switch choice {
        case .current:
            body = row["body"]
        case .revision(let ref):
            guard conflicts.contains(ref),
                let text = try String.fetchOne(db, sql: "SELECT value FROM changes WHERE site = ? AND seq = ?", arguments: [ref.site, ref.seq])
            else {
                throw StorageError.invalid(
                    "\(ref) is not a conflict revision of note \(id)",
                    hint: "pick one of: \(conflicts.map(\.description).joined(separator: ", "))")
            }
            body = text
        }
        try replica.local(.note, id, "body", body, base: Replica.refs(row["resolve_base"]))
    }

    // MARK: Tags

    /// Sets tags on a note or an article (no change for a tag already set).
    public func addTags(_ tags: [String], to id: String) throws {
        let kind = try kindOf(id)
        for tag in try Self.validTags(tags) where try !hasTag(id, tag) {
            try replica.local(kind, id, Fields.tagPrefix + tag, "true")
        }
    }

    /// Removes tags from a note or an article (no change for a tag not set).
    public func removeTags(_ tags: [String], from id: String) throws {
        let kind = try kindOf(id)
        for tag in try Self.validTags(tags) where try hasTag(id, tag) {
            try replica.local(kind, id, Fields.tagPrefix + tag, "false")
        }
    }

    // MARK: Articles

    /// Stores an article under the id derived from its normalized canonical URL. A new article
    /// (or one in the trash) is `created`; a known one is `unchanged`, unless `refresh` is set
    /// and its content differs, then its changed fields are written and it is `refreshed`.
    /// `tags` are added either way.
    @discardableResult
    public func saveArticle(_ draft: ArticleDraft, tags: [String] = [], refresh: Bool = false) throws -> (id: String, outcome: SaveOutcome) {
        let canonical = CanonicalURL.normalize(draft.canonicalUrl ?? draft.url)
        guard !canonical.isEmpty else {
            throw StorageError.invalid("the article has no URL", hint: "give the article's URL")
        }
        let id = CanonicalURL.articleId(canonical)
        let tags = try Self.validTags(tags)
        var fields: [(String, String?)] = [
            ("url", draft.url), ("canonicalUrl", canonical), ("title", draft.title), ("byline", draft.byline),
            ("siteName", draft.siteName), ("published", draft.published), ("language", draft.language),
            ("excerpt", draft.excerpt), ("leadImageUrl", draft.leadImageUrl), ("contentHTML", draft.contentHTML),
            ("text", draft.text), ("wordCount", String(draft.wordCount)),
            ("contentHash", draft.contentHash ?? SHA256.hash(data: Data(draft.text.utf8)).map { String(format: "%02x", $0) }.joined()),
        ]
        let row = try Row.fetchOne(db, sql: "SELECT * FROM articles WHERE id = ?", arguments: [id])
        let outcome: SaveOutcome
        if let row, row["deleted"] as Int64 == 0 {
            let changed = fields.filter { field, value in
                let column = Fields.articleColumns[field]!
                return Library.text(row[column.name]) != value
            }
            if refresh && !changed.isEmpty {
                fields = changed
                outcome = .refreshed
            } else {
                fields = []
                outcome = .unchanged
            }
        } else {
            outcome = .created
        }
        if !fields.isEmpty {
            fields.append(("fetchedAt", draft.fetchedAt ?? ISO8601DateFormatter().string(from: Date(millis: replica.wall))))
            for (field, value) in fields where value != nil || row != nil {
                try replica.local(.article, id, field, value)
            }
            if let row, row["deleted"] as Int64 != 0 { try replica.local(.article, id, "deleted", "false") }
        }
        for tag in tags where try !hasTag(id, tag) {
            try replica.local(.article, id, Fields.tagPrefix + tag, "true")
        }
        return (id, outcome)
    }

    /// Sets a flag of an article: `read`, `archived` or `favorite`.
    public func setArticleFlag(_ id: String, _ flag: ArticleFlag, _ on: Bool) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT read, archived, favorite FROM articles WHERE id = ?", arguments: [id]) else {
            throw StorageError.unknownId(id)
        }
        if (row[flag.rawValue] as Int64 != 0) == on { return }
        try replica.local(.article, id, flag.rawValue, on ? "true" : "false")
    }

    /// Sets the reading progress of an article (clamped to 0…1).
    public func setProgress(_ id: String, _ progress: Double) throws {
        guard try exists(.article, id) else { throw StorageError.unknownId(id) }
        let value = progress.isFinite ? min(1, max(0, progress)) : 0
        try replica.local(.article, id, "progress", String(value))
    }

    /// Moves an article to the trash, or out of it.
    public func setArticleDeleted(_ id: String, _ deleted: Bool) throws {
        try setDeleted(.article, id, deleted)
    }

    // MARK: Helpers

    private func setDeleted(_ kind: EntityKind, _ id: String, _ deleted: Bool) throws {
        let table = kind == .note ? "notes" : "articles"
        guard let current = try Int64.fetchOne(db, sql: "SELECT deleted FROM \(table) WHERE id = ?", arguments: [id]) else {
            throw StorageError.unknownId(id)
        }
        if (current != 0) == deleted {
            throw deleted
                ? StorageError.invalid("\(kind.rawValue) \(id) is already in the trash", hint: "see `gloss trash`")
                : StorageError.invalid("\(kind.rawValue) \(id) is not in the trash", hint: "only deleted items can be restored")
        }
        try replica.local(kind, id, "deleted", deleted ? "true" : "false")
    }

    private func exists(_ kind: EntityKind, _ id: String) throws -> Bool {
        let table = kind == .note ? "notes" : "articles"
        return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)", arguments: [id]) ?? false
    }

    private func kindOf(_ id: String) throws -> EntityKind {
        if try exists(.note, id) { return .note }
        if try exists(.article, id) { return .article }
        throw StorageError.unknownId(id)
    }

    private func hasTag(_ id: String, _ tag: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM tags WHERE entity_id = ? AND tag = ?)", arguments: [id, tag]) ?? false
    }

    /// Line endings normalized on write (SYNC-NOTES R6), so merges compare like with like.
    static func normalizeBody(_ body: String) -> String {
        guard body.utf8.contains(UInt8(ascii: "\r")) else { return body }
        return body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// True when `text` has nothing but whitespace (stops at the first other character).
    static func isBlank(_ text: String) -> Bool {
        !text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// Tags are trimmed; empty ones, control characters and names over 100 bytes are refused.
    static func validTags(_ tags: [String]) throws -> [String] {
        var seen = Set<String>()
        return try tags.compactMap { raw in
            let tag = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !tag.isEmpty, tag.utf8.count <= 100, !tag.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw StorageError.invalid("\"\(raw)\" is not a valid tag", hint: "tags are 1–100 bytes of text without control characters")
            }
            return seen.insert(tag).inserted ? tag : nil
        }
    }
}

/// The boolean reading states of an article.
public enum ArticleFlag: String, Sendable, CaseIterable {
    case read, archived, favorite
}
