import Foundation
import GRDB

extension Library {
    /// Saves an article (see `LibraryWriter.saveArticle`) in one transaction.
    @discardableResult
    public func saveArticle(_ draft: ArticleDraft, tags: [String] = [], refresh: Bool = false) throws -> (id: String, outcome: SaveOutcome) {
        try write { try $0.saveArticle(draft, tags: tags, refresh: refresh) }
    }

    /// The article with this exact id (in the trash or not).
    public func article(_ id: String) throws -> Article {
        guard let article = try articles(where: "id = ?", [id]).first else { throw StorageError.unknownId(id) }
        return article
    }

    /// Live articles, newest first, filtered by tag, unread (`unread: true`) and archived state.
    public func articles(tag: String? = nil, unread: Bool? = nil, archived: Bool? = nil) throws -> [Article] {
        var conditions = ["deleted = 0"]
        var arguments: [any DatabaseValueConvertible] = []
        if let tag { conditions.append("EXISTS (SELECT 1 FROM tags t WHERE t.entity_id = articles.id AND t.tag = ?)"); arguments.append(tag) }
        if let unread { conditions.append(unread ? "read = 0" : "read = 1") }
        if let archived { conditions.append(archived ? "archived = 1" : "archived = 0") }
        return try articles(where: conditions.joined(separator: " AND "), arguments)
    }

    public func setRead(_ id: String, _ read: Bool = true) throws { try write { try $0.setArticleFlag(id, .read, read) } }
    public func setArchived(_ id: String, _ archived: Bool = true) throws { try write { try $0.setArticleFlag(id, .archived, archived) } }
    public func setFavorite(_ id: String, _ favorite: Bool = true) throws { try write { try $0.setArticleFlag(id, .favorite, favorite) } }
    public func setProgress(_ id: String, _ progress: Double) throws { try write { try $0.setProgress(id, progress) } }
    public func deleteArticle(_ id: String) throws { try write { try $0.setArticleDeleted(id, true) } }
    public func restoreArticle(_ id: String) throws { try write { try $0.setArticleDeleted(id, false) } }

    private func articles(where condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> [Article] {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM articles WHERE \(condition) ORDER BY created_at DESC, id",
                arguments: StatementArguments(arguments))
            let tags = try Self.tags(db, of: rows.map { $0["id"] })
            return rows.map { row in
                let id: String = row["id"]
                return Article(
                    id: id, url: row["url"], canonicalUrl: row["canonical_url"], title: row["title"], byline: row["byline"],
                    siteName: row["site_name"], published: row["published"], language: row["language"],
                    excerpt: row["excerpt"], leadImageUrl: row["lead_image_url"], contentHTML: row["content_html"],
                    text: row["text"], wordCount: row["word_count"], contentHash: row["content_hash"],
                    fetchedAt: row["fetched_at"], read: row["read"] as Int64 != 0, archived: row["archived"] as Int64 != 0,
                    favorite: row["favorite"] as Int64 != 0, progress: row["progress"], tags: tags[id] ?? [],
                    deleted: row["deleted"] as Int64 != 0, createdAt: Date(millis: row["created_at"]),
                    updatedAt: Date(millis: row["updated_at"]))
            }
        }
    }
}
