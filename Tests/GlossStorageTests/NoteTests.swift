import Foundation
import GRDB
import Testing
@testable import GlossStorage

@Suite struct NoteTests {
    @Test func notesAreCreatedEditedTaggedDeletedRestoredListedAndSearched() throws {
        let library = try Scratch.library()
        let first = try library.createNote(body: "Margins are where thinking happens", tags: ["reading"])
        let second = try library.createNote(body: "Offline first, sync later")
        #expect(try library.notes().map(\.id) == [second.id, first.id] || Set(try library.notes().map(\.id)) == [first.id, second.id])
        #expect(first.tags == ["reading"])

        let edited = try library.editNote(first.id, body: "Margins are where reading happens")
        #expect(edited.body == "Margins are where reading happens")
        #expect(try library.search("thinking").isEmpty)
        #expect(try library.search("reading").map(\.id) == [first.id])

        try library.addTags(["ideas", "swift"], to: second.id)
        try library.removeTags(["swift"], from: second.id)
        #expect(try library.note(second.id).tags == ["ideas"])
        #expect(try library.notes(tag: "ideas").map(\.id) == [second.id])
        #expect(try library.tags() == [TagCount(name: "ideas", count: 1), TagCount(name: "reading", count: 1)])

        try library.deleteNote(second.id)
        #expect(try library.notes().map(\.id) == [first.id])
        #expect(try library.trash().map(\.id) == [second.id])
        #expect(try library.search("offline").isEmpty)
        #expect(try library.tags() == [TagCount(name: "reading", count: 1)])

        try library.restoreNote(second.id)
        #expect(try library.trash().isEmpty)
        #expect(try library.search("offline").map(\.id) == [second.id])
        let hit = try #require(try library.search("offline").first)
        #expect(hit.kind == .note)
        #expect(hit.snippet.contains("[Offline]"))
        let problems = try library.verify()
        #expect(problems == [])
        if !problems.isEmpty { print(try library.canonicalDump()) }
    }

    @Test func everyWriteLogsItsChangesInTheSameTransaction() throws {
        let library = try Scratch.library()
        let note = try library.createNote(body: "one", tags: ["a", "b"])
        #expect(try library.changeCount() == 3)  // body + two tags
        let log = try library.log(limit: 10)
        #expect(log.allSatisfy { $0.entityId == note.id })
        #expect(Set(log.map(\.field)) == ["body", "tag:a", "tag:b"])
        #expect(log.map(\.seq) == [3, 2, 1])

        try library.editNote(note.id, body: "two")
        #expect(try library.changeCount() == 4)
        try library.editNote(note.id, body: "two")  // unchanged: nothing to log
        #expect(try library.changeCount() == 4)

        // A failing write leaves neither row nor change.
        let before = try library.canonicalDump()
        let huge = String(repeating: "x", count: Change.maxValueBytes + 1)
        #expect(throws: StorageError.self) { try library.createNote(body: huge) }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try library.write { writer in
                try writer.createNote(body: "half of a batch")
                throw Boom()
            }
        }
        #expect(try library.changeCount() == 4)
        #expect(try library.canonicalDump() == before)
        #expect(try library.verify() == [])
    }

    @Test func cjkWordsAreFoundInsideLongerRuns() throws {
        let library = try Scratch.library()
        let japanese = try library.createNote(body: "明日は東京都の会議に出る。")
        let korean = try library.createNote(body: "우리는 서울에서 회의를 했다")
        let chinese = try library.createNote(body: "我在北京大学学习中文")
        _ = try library.createNote(body: "京都の寺")

        #expect(try library.search("東京").map(\.id) == [japanese.id])
        #expect(try library.search("東京都").map(\.id) == [japanese.id])
        #expect(try library.search("会議").map(\.id) == [japanese.id])
        #expect(try library.search("서울").map(\.id) == [korean.id])
        #expect(try library.search("회의").map(\.id) == [korean.id])
        #expect(try library.search("北京").map(\.id) == [chinese.id])
        #expect(try library.search("中文").map(\.id) == [chinese.id])
        #expect(try library.search("大阪").isEmpty)
        let snippet = try #require(try library.search("東京").first?.snippet)
        #expect(snippet.contains("[東京]"))

        // Text without CJK goes to unicode61 whole (no per-token step): still case- and
        // accent-folded, with exact snippets; a note mixing both scripts is found by either.
        let latin = try library.createNote(body: "Lunch at the Café Zürich with Ōsaka friends")
        let mixed = try library.createNote(body: "Zürich and 東京 compared")
        #expect(try library.search("cafe").map(\.id) == [latin.id])
        #expect(try library.search("OSAKA").map(\.id) == [latin.id])
        #expect(Set(try library.search("zurich").map(\.id)) == [latin.id, mixed.id])
        #expect(try library.search("zurich 東京").map(\.id) == [mixed.id])
        #expect(try library.search("cafe").first?.snippet.contains("[Café]") == true)
    }

    @Test func idsResolveByUniquePrefix() throws {
        let library = try Scratch.library()
        var notes: [Note] = []
        for i in 0..<17 { notes.append(try library.createNote(body: "note \(i)")) }
        let note = notes[0]
        #expect(try library.resolveId(note.id).id == note.id)
        #expect(try library.resolveId(String(note.id.prefix(12)).uppercased()).id == note.id)
        // 17 ids over 16 hex digits: some first digit is shared.
        let shared = Dictionary(grouping: notes, by: { $0.id.prefix(1) }).first { $0.value.count > 1 }!
        let error = #expect(throws: StorageError.self) { try library.resolveId(String(shared.key)) }
        #expect(error?.code == .ambiguousId)
        #expect(shared.value.allSatisfy { error?.description.contains($0.id) == true })
        #expect((#expect(throws: StorageError.self) { try library.resolveId("zzz") })?.code == .unknownId)
        #expect((#expect(throws: StorageError.self) { try library.resolveId("00000000-0000") })?.code == .unknownId)
    }

    @Test func emptyNotesAreRefused() throws {
        let library = try Scratch.library()
        #expect((#expect(throws: StorageError.self) { try library.createNote(body: "  \n ") })?.code == .emptyNote)
        let note = try library.createNote(body: "x")
        #expect((#expect(throws: StorageError.self) { try library.editNote(note.id, body: "") })?.code == .emptyNote)
        #expect(try library.changeCount() == 1)
    }

    @Test func anchorsLocateAndReanchor() throws {
        let text = "The quick brown fox jumps over the lazy dog. The quick brown fox sleeps."
        let anchor = try #require(Anchor.locate(quote: "brown fox sleeps", in: text))
        #expect(anchor.start == 55 && anchor.end == 71)
        #expect(anchor.prefix.hasSuffix("The quick "))
        #expect(Anchor.locate(quote: "purple cow", in: text) == nil)
        #expect(anchor.resolve(in: text) == 55..<71)
        // Text changed before the passage: found by the exact quote.
        let shifted = "Intro. " + text
        #expect(anchor.resolve(in: shifted) == 62..<78)
        // Passage slightly edited: found by the fuzzy match.
        let edited = text.replacingOccurrences(of: "brown fox sleeps", with: "brown fox sleep")
        #expect(anchor.resolve(in: edited) != nil)
        // Passage gone: orphaned, never attached elsewhere.
        #expect(anchor.resolve(in: "Completely different text about cats and other animals entirely.") == nil)
    }

    @Test func articlesAreIdentifiedByTheirCanonicalURL() throws {
        let library = try Scratch.library()
        let draft = ArticleDraft(
            url: "HTTPS://Example.COM:443/post?utm_source=x&b=2&a=1#section", title: "Soft power",
            contentHTML: "<p>Japan and ASEAN</p>", text: "Japan and ASEAN build ties in 東京.")
        let saved = try library.saveArticle(draft, tags: ["asia"])
        #expect(saved.outcome == .created)
        #expect(saved.id == CanonicalURL.articleId(forURL: "https://example.com/post?a=1&b=2"))
        #expect(CanonicalURL.normalize("HTTPS://Example.COM:443/post?utm_source=x&b=2&a=1#section") == "https://example.com/post?a=1&b=2")
        #expect(try library.saveArticle(draft).outcome == .unchanged)
        var changed = draft
        changed.title = "Soft power, revisited"
        #expect(try library.saveArticle(changed).outcome == .unchanged)
        #expect(try library.saveArticle(changed, refresh: true).outcome == .refreshed)
        let article = try library.article(saved.id)
        #expect(article.title == "Soft power, revisited")
        #expect(article.tags == ["asia"])
        #expect(try library.search("ASEAN").map(\.kind) == [.article])
        #expect(try library.search("東京").map(\.id) == [saved.id])

        try library.setRead(saved.id)
        try library.setArchived(saved.id)
        #expect(try library.articles(unread: true).isEmpty)
        #expect(try library.articles(archived: true).map(\.id) == [saved.id])

        let anchor = try #require(Anchor.locate(quote: "build ties", in: article.text ?? ""))
        let highlight = try library.createNote(body: "", articleId: saved.id, anchor: anchor)
        #expect(try library.notes(article: saved.id).map(\.id) == [highlight.id])
        #expect(try library.note(highlight.id).anchor == anchor)
        #expect(try library.verify() == [])
    }
}

@Suite struct OpenTests {
    @Test func aBatchCreatesAndEditsInOneTransaction() throws {
        let library = try Scratch.library()
        let id = try library.write { writer -> String in
            let id = try writer.createNote(body: "first")
            try writer.editNote(id, body: "second")
            try writer.editNote(id, body: "third")
            try writer.addTags(["batch"], to: id)
            return id
        }
        let note = try library.note(id)
        #expect(note.body == "third" && note.conflictCount == 0 && note.tags == ["batch"])
        #expect(try library.search("third").map(\.id) == [id])
        #expect(try library.search("first").isEmpty)
        #expect(try library.changeCount() == 4)
        #expect(try library.verify() == [])
    }

    @Test func anotherSQLiteDatabaseIsRefusedUntouched() throws {
        let folder = Scratch.folder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(Library.databaseName)
        let queue = try DatabaseQueue(path: file.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')") }
        try queue.close()
        let bytes = try Data(contentsOf: file)
        let error = #expect(throws: StorageError.self) { try Library.open(folder: folder) }
        #expect(error?.code == .notADatabase)
        #expect(error?.description == "\(file.path) is not a Gloss library (move the file away, or point GLOSS_HOME at another folder)")
        #expect(try Data(contentsOf: file) == bytes)
    }

    /// A process killed while it created a library leaves the file and a hot rollback journal;
    /// the next open rolls the journal back and makes a working library (not "read-only").
    @Test func aLibraryKilledWhileBeingCreatedOpensAfterRollback() throws {
        let scratch = Scratch.folder()
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let file = scratch.appendingPathComponent(Library.databaseName)
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 1")
        }
        let queue = try DatabaseQueue(path: file.path, configuration: config)
        // The crash image: both files copied while a transaction that spilled pages is open.
        let folder = Scratch.folder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try queue.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
            try db.execute(sql: "CREATE TABLE half (b BLOB); INSERT INTO half VALUES (zeroblob(200000))")
            for suffix in ["", "-journal"] {
                try FileManager.default.copyItem(
                    at: URL(fileURLWithPath: file.path + suffix),
                    to: folder.appendingPathComponent(Library.databaseName + suffix))
            }
            try db.execute(sql: "ROLLBACK")
        }
        try queue.close()
        let journal = folder.appendingPathComponent(Library.databaseName + "-journal")
        #expect(FileManager.default.fileExists(atPath: journal.path))

        let library = try Library.open(folder: folder)
        let note = try library.createNote(body: "after the crash")
        #expect(try library.notes().map(\.id) == [note.id])
        #expect(try library.verify() == [])
        #expect(!FileManager.default.fileExists(atPath: journal.path))
    }

    /// A library written by a build that knew only `v1-replica` opens, migrates, and keeps its
    /// notes, tags, search and log.
    @Test func aVersionOneLibraryMigrates() throws {
        let folder = Scratch.folder()
        var library: Library? = try Library.open(folder: folder)
        let article = try library!.saveArticle(ArticleDraft(url: "https://example.org/a", text: "text")).id
        let note = try library!.createNote(body: "kept across the upgrade (first)", articleId: article, tags: ["old", "gone"])
        try library!.removeTags(["gone"], from: note.id)
        try library!.editNote(note.id, body: "kept across the upgrade")  // a second body revision
        library = nil
        // Back to the v1 schema: tags and tag stamps apart, the v1 indexes.
        let path = folder.appendingPathComponent(Library.databaseName).path
        let queue = try DatabaseQueue(path: path)
        let stamps = "SELECT entity, entity_id, field, hlc, site, seq FROM field_stamps ORDER BY entity_id, field"
        let v1Stamps = try queue.write { db in
            try db.execute(
                sql: """
                    DELETE FROM gloss_migrations WHERE name IN ('v2-lean-indexes', 'v3-tag-registers', 'v4-body-revisions');
                    ALTER TABLE notes DROP COLUMN revisions;
                    CREATE TABLE tags_v1 (
                        entity_id TEXT NOT NULL, tag TEXT NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (entity_id, tag)
                    ) WITHOUT ROWID;
                    INSERT INTO tags_v1 SELECT entity_id, tag, entity FROM tags;
                    INSERT INTO field_stamps
                    SELECT r.entity, coalesce(n.id, a.id), 'tag:' || r.tag, r.hlc, r.site, r.seq FROM tag_registers r
                    LEFT JOIN notes n ON r.entity = 'note' AND n.num = r.num
                    LEFT JOIN articles a ON r.entity = 'article' AND a.num = r.num;
                    DROP VIEW tags;
                    DROP TABLE tag_registers;
                    ALTER TABLE tags_v1 RENAME TO tags;
                    CREATE INDEX changes_by_entity ON changes (entity_id, field);
                    CREATE INDEX tags_by_name ON tags (tag);
                    DROP INDEX notes_by_article;
                    CREATE INDEX notes_by_article ON notes (article_id);
                    """)
            return try Row.fetchAll(db, sql: stamps).map(\.description)
        }
        try queue.close()
        #expect(v1Stamps.contains { $0.contains("tag:gone") } && v1Stamps.contains { $0.contains("tag:old") })

        let reopened = try Library.open(folder: folder)
        #expect(try reopened.note(note.id).tags == ["old"])
        #expect(try reopened.notes(article: article).map(\.id) == [note.id])
        #expect(try reopened.search("upgrade").map(\.id) == [note.id])
        // Every stamp is kept: tag stamps now in their registers, the others where they were.
        let migrated = try reopened.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT entity, entity_id, field, hlc, site, seq FROM field_stamps
                    UNION ALL
                    SELECT r.entity, coalesce(n.id, a.id), 'tag:' || r.tag, r.hlc, r.site, r.seq FROM tag_registers r
                    LEFT JOIN notes n ON r.entity = 'note' AND n.num = r.num
                    LEFT JOIN articles a ON r.entity = 'article' AND a.num = r.num
                    ORDER BY entity_id, field
                    """
            ).map(\.description)
        }
        #expect(migrated == v1Stamps)
        // The note row lists its two body revisions, found in the log.
        let listed = try reopened.read { db in
            try String.fetchOne(db, sql: "SELECT revisions FROM notes WHERE id = ?", arguments: [note.id])
        }
        #expect(listed?.split(separator: ",").count == 2)
        #expect(try reopened.verify() == [])
        try reopened.editNote(note.id, body: "kept across the upgrade, then edited")
        try reopened.addTags(["gone"], to: note.id)
        #expect(try reopened.note(note.id).body == "kept across the upgrade, then edited")
        #expect(try reopened.note(note.id).tags == ["gone", "old"])
        #expect(try reopened.verify() == [])
        let schema = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(
                db, sql: "SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('index', 'view') ORDER BY name")
        }
        #expect(schema == ["index notes_by_article", "view tags"])
    }

    @Test func garbageIsNotADatabase() throws {
        let folder = Scratch.folder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: folder.appendingPathComponent(Library.databaseName))
        #expect((#expect(throws: StorageError.self) { try Library.open(folder: folder) })?.code == .notADatabase)
    }

    @Test func reopeningKeepsTheSiteAndTheClockMovesForward() throws {
        let clock = TestClock()
        let folder = Scratch.folder()
        let library = try Library.open(folder: folder, options: .init(wall: clock.wall))
        let note = try library.createNote(body: "a")
        let first = try library.log(limit: 1)[0].hlc
        clock.advance(-10_000)  // the wall clock went backwards
        let reopened = try Library.open(folder: folder, options: .init(wall: clock.wall))
        #expect(try reopened.site() == library.site())
        try reopened.addTags(["later"], to: note.id)  // a new register: no base to order after
        #expect(try reopened.log(limit: 1)[0].hlc > first)
    }
}
