import GRDB

/// The FTS5 index `search` over live notes (rowid 2·num) and articles (rowid 2·num + 1), kept in
/// step with the tables by the replica after each transaction.
enum SearchIndex {
    /// `isNew`: the row was created in this transaction, so it has no search row to remove.
    static func refresh(_ db: Database, _ kind: EntityKind, _ id: String, isNew: Bool = false) throws {
        switch kind {
        case .note:
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT num, body, deleted FROM notes WHERE id = ?"), arguments: [id])
            else { return }
            let rowid = (row["num"] as Int64) * 2
            if !isNew { try db.cachedStatement(sql: "DELETE FROM search WHERE rowid = ?").execute(arguments: [rowid]) }
            if row["deleted"] as Int64 == 0 {
                try db.cachedStatement(sql: "INSERT INTO search (rowid, title, body) VALUES (?, '', ?)")
                    .execute(arguments: [rowid, row["body"] as String])
            }
        case .article:
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT num, title, text, deleted FROM articles WHERE id = ?"), arguments: [id])
            else { return }
            let rowid = (row["num"] as Int64) * 2 + 1
            if !isNew { try db.cachedStatement(sql: "DELETE FROM search WHERE rowid = ?").execute(arguments: [rowid]) }
            if row["deleted"] as Int64 == 0 {
                try db.cachedStatement(sql: "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)")
                    .execute(arguments: [rowid, row["title"] as String? ?? "", row["text"] as String? ?? ""])
            }
        }
    }

    /// An FTS5 query matching every whitespace-separated term of `text` (each a quoted string,
    /// so user input is never FTS syntax; the tokenizer turns a CJK term into a phrase of
    /// bigrams). Nil when there is no term.
    static func query(_ text: String) -> String? {
        let terms = text.split(whereSeparator: { $0.isWhitespace }).map {
            "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }
}
