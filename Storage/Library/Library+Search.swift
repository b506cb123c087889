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
                db.cachedStatement(sql: """
                    SELECT s.rowid AS rid, n.id AS note_id, n.body AS note_body, a.id AS article_id, a.title AS article_title,
                           snippet(search, -1, '[', ']', '…', 16) AS snippet, s.rank AS score
                    FROM search s
                    LEFT JOIN notes n ON s.rowid % 2 = 0 AND n.num = s.rowid / 2
                    LEFT JOIN articles a ON s.rowid % 2 = 1 AND a.num = s.rowid / 2
                    WHERE search MATCH ?
                    ORDER BY s.rank
                    LIMIT ?
                    """),
                arguments: [match, max(0, limit)]
            ).compactMap { row -> SearchHit? in
                // By index: GRDB's by-name lookup is case-insensitive and costs more than the query.
                if let id = row[1] as String? {
                    return SearchHit(kind: .note, id: id, title: Self.noteTitle(row[2]), snippet: row[5], rank: row[6])
                }
                if let id = row[3] as String? {
                    return SearchHit(kind: .article, id: id, title: row[4] ?? "", snippet: row[5], rank: row[6])
                }
                return nil
            }
        }
    }

    /// A note's title: its first non-empty line, without Markdown heading marks, at most 80
    /// characters. Lines are found on the UTF-8 bytes (a search hit's body can be long); a line
    /// ends at `\n`, and `\r\n` — one character — does not end one.
    static func noteTitle(_ body: String?) -> String {
        guard let body else { return "" }
        let utf8 = body.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            var end = start
            var previous: UInt8 = 0
            while end < utf8.endIndex, !(utf8[end] == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r")) {
                previous = utf8[end]
                end = utf8.index(after: end)
            }
            var title = body[start..<end].drop(while: { $0 == "#" || $0.isWhitespace })
            while let last = title.last, last.isWhitespace { title = title.dropLast() }
            if !title.isEmpty {
                if let cut = title.index(title.startIndex, offsetBy: 79, limitedBy: title.endIndex), cut < title.endIndex {
                    return String(title[..<cut]) + "…"
                }
                return String(title)
            }
            start = end < utf8.endIndex ? utf8.index(after: end) : end
        }
        return ""
    }
}
