import GRDB

/// The FTS5 index `search` over live notes (rowid 2·num) and articles (rowid 2·num + 1), kept in
/// step with the tables by the replica after each transaction.
enum SearchIndex {
    /// Re-indexes one note or article from its row (nothing when it is in the trash). The text
    /// is copied inside SQLite (INSERT … SELECT), never through Swift.
    static func refresh(_ db: Database, _ kind: EntityKind, _ id: String) throws {
        switch kind {
        case .note:
            try db.cachedStatement(sql: "DELETE FROM search WHERE rowid = (SELECT num * 2 FROM notes WHERE id = ?)")
                .execute(arguments: [id])
            try db.cachedStatement(
                sql: "INSERT INTO search (rowid, title, body) SELECT num * 2, '', body FROM notes WHERE id = ? AND deleted = 0"
            ).execute(arguments: [id])
        case .article:
            try db.cachedStatement(sql: "DELETE FROM search WHERE rowid = (SELECT num * 2 + 1 FROM articles WHERE id = ?)")
                .execute(arguments: [id])
            try db.cachedStatement(
                sql: """
                    INSERT INTO search (rowid, title, body)
                    SELECT num * 2 + 1, coalesce(title, ''), coalesce(text, '') FROM articles WHERE id = ? AND deleted = 0
                    """
            ).execute(arguments: [id])
        }
    }

    /// Indexes rows created in this transaction (by `num`), which have no search rows yet. Rows
    /// of consecutive numbers — a batch of new entities — are indexed by one statement.
    static func add(_ db: Database, _ kind: EntityKind, rows: [Int64]) throws {
        guard let first = rows.min(), let last = rows.max() else { return }
        let source = kind == .note
            ? "SELECT num * 2, '', body FROM notes"
            : "SELECT num * 2 + 1, coalesce(title, ''), coalesce(text, '') FROM articles"
        if last - first + 1 == Int64(rows.count) {
            try db.cachedStatement(sql: "INSERT INTO search (rowid, title, body) \(source) WHERE num BETWEEN ? AND ? AND deleted = 0")
                .execute(arguments: [first, last])
        } else {
            let insert = try db.cachedStatement(sql: "INSERT INTO search (rowid, title, body) \(source) WHERE num = ? AND deleted = 0")
            for num in rows { try insert.execute(arguments: [num]) }
        }
    }

    /// An FTS5 query matching every whitespace-separated term of `text` (each a quoted string,
    /// so user input is never FTS syntax; the tokenizer turns a CJK term into a phrase of
    /// bigrams). Nil when there is no term.
    static func query(_ text: String) -> String? {
        // Plain Swift, no Foundation: NSString bridging on Linux costs more than the query.
        let terms = text.split(whereSeparator: { $0.isWhitespace }).map { term -> String in
            var quoted = "\""
            for character in term {
                if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
            }
            return quoted + "\""
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }
}
