import GRDB

extension Library {
    /// Full-text search over live notes and articles (title and text), best first by bm25, with
    /// snippets marking matches as `[match]`. Every whitespace-separated term must match; CJK
    /// terms of two or more characters match inside longer runs (東京 in 東京都の会議).
    public func search(_ query: String, limit: Int = 20) throws -> [SearchHit] {
        guard let match = SearchIndex.query(query) else {
            throw StorageError.invalid("the search query is empty", hint: "give one or more words to look for")
        }
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.rowid AS rid, n.id AS note_id, n.body AS note_body, a.id AS article_id, a.title AS article_title,
                           snippet(search, -1, '[', ']', '…', 16) AS snippet, s.rank AS score
                    FROM search s
                    LEFT JOIN notes n ON s.rowid % 2 = 0 AND n.num = s.rowid / 2
                    LEFT JOIN articles a ON s.rowid % 2 = 1 AND a.num = s.rowid / 2
                    WHERE search MATCH ?
                    ORDER BY s.rank
                    LIMIT ?
                    """,
                arguments: [match, max(0, limit)]
            ).compactMap { row -> SearchHit? in
                if let id = row["note_id"] as String? {
                    return SearchHit(kind: .note, id: id, title: Self.noteTitle(row["note_body"]), snippet: row["snippet"], rank: row["score"])
                }
                if let id = row["article_id"] as String? {
                    return SearchHit(kind: .article, id: id, title: row["article_title"] ?? "", snippet: row["snippet"], rank: row["score"])
                }
                return nil
            }
        }
    }

    /// A note's title: its first non-empty line, without Markdown heading marks, at most 80
    /// characters.
    static func noteTitle(_ body: String?) -> String {
        let line = (body ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        let title = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
        return title.count > 80 ? String(title.prefix(79)) + "…" : title
    }
}
