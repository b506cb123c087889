import Foundation
import GRDB

/// The library's schema as named, append-only migrations (STYLE.md 5): never edit one that has
/// shipped; add a new one. They run inside one `BEGIN IMMEDIATE` transaction, so two processes
/// opening a new library at the same moment cannot both apply them.
enum Schema {
    /// The `meta` marker that tells a Gloss library from any other SQLite file.
    static let formatKey = "format"
    static let formatValue = "gloss-library"

    static let migrations: [(name: String, sql: String)] = [
        ("v1-replica", """
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            -- One row: this replica's current site, its clock, and where its file was last seen
            -- (device, inode, path: a different file means a copy, DESIGN §3 / SYNC-NOTES R16).
            CREATE TABLE replica (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                site TEXT NOT NULL,
                clock INTEGER NOT NULL,
                device INTEGER,
                inode INTEGER,
                path TEXT
            );
            -- Every site this library has written as, oldest first.
            CREATE TABLE sites (
                site TEXT PRIMARY KEY NOT NULL,
                since INTEGER NOT NULL,
                reason TEXT NOT NULL
            );
            -- The change log (DESIGN §3): per-site append-only, hash-chained.
            CREATE TABLE changes (
                site TEXT NOT NULL,
                seq INTEGER NOT NULL,
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                field TEXT NOT NULL,
                value TEXT,
                hlc INTEGER NOT NULL,
                base TEXT NOT NULL,
                wall INTEGER NOT NULL,
                prev TEXT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (site, seq)
            );
            CREATE INDEX changes_by_entity ON changes (entity_id, field);
            -- The LWW stamp of the value each (entity, field) currently shows.
            CREATE TABLE field_stamps (
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                field TEXT NOT NULL,
                hlc INTEGER NOT NULL,
                site TEXT NOT NULL,
                seq INTEGER NOT NULL,
                PRIMARY KEY (entity, entity_id, field)
            ) WITHOUT ROWID;
            -- Materialized state: a pure function of the set of changes held.
            CREATE TABLE notes (
                num INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL DEFAULT '',
                article_id TEXT,
                anchor TEXT,
                deleted INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                heads TEXT NOT NULL DEFAULT '',
                edit_base TEXT NOT NULL DEFAULT '',
                resolve_base TEXT NOT NULL DEFAULT '',
                conflicts TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX notes_by_article ON notes (article_id);
            CREATE TABLE articles (
                num INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                url TEXT,
                canonical_url TEXT,
                title TEXT,
                byline TEXT,
                site_name TEXT,
                published TEXT,
                language TEXT,
                excerpt TEXT,
                lead_image_url TEXT,
                content_html TEXT,
                text TEXT,
                word_count INTEGER,
                content_hash TEXT,
                fetched_at TEXT,
                read INTEGER NOT NULL DEFAULT 0,
                archived INTEGER NOT NULL DEFAULT 0,
                favorite INTEGER NOT NULL DEFAULT 0,
                progress REAL NOT NULL DEFAULT 0,
                deleted INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            -- Tags currently set (their LWW stamps are in field_stamps as `tag:<name>`).
            -- Key columns first: SQLite 3.40's integrity_check misreports NULLs otherwise.
            CREATE TABLE tags (
                entity_id TEXT NOT NULL,
                tag TEXT NOT NULL,
                entity TEXT NOT NULL,
                PRIMARY KEY (entity_id, tag)
            ) WITHOUT ROWID;
            CREATE INDEX tags_by_name ON tags (tag);
            -- Full-text index over visible notes (rowid = 2·notes.num) and articles
            -- (rowid = 2·articles.num + 1); the tokenizer splits CJK runs into bigrams.
            CREATE VIRTUAL TABLE search USING fts5(title, body, tokenize = 'gloss_cjk');
            """),
        // Leaner write path for a big pull (every index is a random-key B-tree a batch dirties):
        // only note bodies are ever looked up by entity (their revision graph; other fields go
        // through field_stamps), and no query reads tags by name first.
        ("v2-lean-indexes", """
            DROP INDEX changes_by_entity;
            CREATE INDEX changes_body_by_note ON changes (entity_id) WHERE entity = 'note' AND field = 'body';
            DROP INDEX tags_by_name;
            """),
        // A tag's last-writer-wins register and whether it is set live in one row (one B-tree
        // insert per tag instead of a stamp row plus a tag row), keyed by the row's `num` — it
        // grows with the rows rather than at random ids; `tags` becomes the view of the set
        // ones. Notes are looked up by article only for a given article: the index skips the
        // notes of none.
        ("v3-tag-registers", """
            CREATE TABLE tag_registers (
                entity TEXT NOT NULL,
                num INTEGER NOT NULL,
                tag TEXT NOT NULL,
                hlc INTEGER NOT NULL,
                site TEXT NOT NULL,
                seq INTEGER NOT NULL,
                present INTEGER NOT NULL,
                PRIMARY KEY (entity, num, tag)
            ) WITHOUT ROWID;
            INSERT INTO tag_registers (entity, num, tag, hlc, site, seq, present)
            SELECT s.entity, coalesce(n.num, a.num), substr(s.field, 5), s.hlc, s.site, s.seq,
                   EXISTS (SELECT 1 FROM tags t WHERE t.entity_id = s.entity_id AND t.tag = substr(s.field, 5))
            FROM field_stamps s
            LEFT JOIN notes n ON s.entity = 'note' AND n.id = s.entity_id
            LEFT JOIN articles a ON s.entity = 'article' AND a.id = s.entity_id
            WHERE substr(s.field, 1, 4) = 'tag:';
            DELETE FROM field_stamps WHERE substr(field, 1, 4) = 'tag:';
            DROP TABLE tags;
            CREATE VIEW tags AS
                SELECT n.id AS entity_id, r.tag AS tag, r.entity AS entity
                FROM tag_registers r JOIN notes n ON n.num = r.num
                WHERE r.entity = 'note' AND r.present = 1
                UNION ALL
                SELECT a.id, r.tag, r.entity
                FROM tag_registers r JOIN articles a ON a.num = r.num
                WHERE r.entity = 'article' AND r.present = 1;
            DROP INDEX notes_by_article;
            CREATE INDEX notes_by_article ON notes (article_id) WHERE article_id IS NOT NULL;
            """),
        // A note row lists its body revisions (`<site>:<seq>`, comma-separated, in the order
        // they were received), so merging a body looks them up by the log's primary key and
        // the log needs no index by entity: one random-key insert fewer per body change.
        ("v4-body-revisions", """
            ALTER TABLE notes ADD COLUMN revisions TEXT NOT NULL DEFAULT '';
            UPDATE notes SET revisions = coalesce(
                (SELECT group_concat(site || ':' || seq, ',') FROM changes c
                 WHERE c.entity = 'note' AND c.field = 'body' AND c.entity_id = notes.id), '');
            DROP INDEX changes_body_by_note;
            """),
    ]

    /// Applies the migrations this file lacks and stamps the Gloss marker, in one transaction.
    /// Throws `notADatabase` for an SQLite file that holds other tables but no Gloss marker.
    static func migrate(_ db: Database, file: URL) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS gloss_migrations (name TEXT PRIMARY KEY NOT NULL)")
        let applied = Set(try String.fetchAll(db, sql: "SELECT name FROM gloss_migrations"))
        if applied.isEmpty {
            let others = try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'gloss_migrations'"
            ) ?? 0
            if others > 0 { throw StorageError.notADatabase(file) }
        } else if try !isGloss(db) {
            throw StorageError.notADatabase(file)
        }
        for migration in migrations where !applied.contains(migration.name) {
            try db.execute(sql: migration.sql)
            try db.execute(sql: "INSERT INTO gloss_migrations (name) VALUES (?)", arguments: [migration.name])
        }
        try db.execute(
            sql: "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", arguments: [formatKey, formatValue])
    }

    /// True when every migration this build knows has run.
    static func isCurrent(_ db: Database) throws -> Bool {
        guard try db.tableExists("gloss_migrations") else { return false }
        let applied = Set(try String.fetchAll(db, sql: "SELECT name FROM gloss_migrations"))
        return migrations.allSatisfy { applied.contains($0.name) }
    }

    static func isGloss(_ db: Database) throws -> Bool {
        guard try db.tableExists("meta") else { return false }
        return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [formatKey]) == formatValue
    }
}
