import Foundation
import GRDB
import Testing
@testable import GlossStorage

@Suite struct ReplicationTests {
    @Test func applyingTwiceIsANoOp() throws {
        let a = try Scratch.library(), b = try Scratch.library()
        let note = try a.createNote(body: "hello", tags: ["x"])
        try a.editNote(note.id, body: "hello again")
        let changes = try a.allChanges()
        let first = try b.apply(changes)
        #expect(first.applied == 3 && first.skipped == 0)
        let dump = try b.canonicalDump()
        let second = try b.apply(changes)
        #expect(second.applied == 0 && second.skipped == 3)
        #expect(try b.canonicalDump() == dump)
        #expect(dump == (try a.canonicalDump()))
        #expect(try b.versionVector() == a.versionVector())
        #expect(try b.changes(site: a.site(), after: 0, limit: 10) == changes)
    }

    /// The hash is part of the wire and of every stored log: its bytes must never change. The
    /// expected values were computed independently (Python's hashlib over the documented encoding).
    @Test func theChangeHashIsStable() {
        let site = "0123456789abcdef0123456789abcdef", other = "fedcba9876543210fedcba9876543210"
        let edit = Change(
            site: site, seq: 42, entity: .note, entityId: "n-1", field: "body", value: "Zürich 東京\nline two\n",
            hlc: HLC(millis: 1_764_531_234_567, counter: 7),
            base: [ChangeRef(site: other, seq: 3), ChangeRef(site: site, seq: 12)], wall: 1_764_531_234_567,
            prev: "prev-hash")
        #expect(edit.hash == "8a7d7113368fb20e751a8a4ddac6224a1465c98303636adbc02ec9d60bca5fe1")
        let clear = Change(
            site: site, seq: 1, entity: .article, entityId: "a-1", field: "title", value: nil, hlc: .zero, wall: 0, prev: "")
        #expect(clear.hash == "f24f5cbcedbf905cff9a4cabf908184a76006cb8b128b836f75c9011b846ff7d")
        #expect(edit.hashIsValid && clear.hashIsValid)
    }

    @Test func aForkedLogAGapAndABadHashAreRefused() throws {
        let a = try Scratch.library(), b = try Scratch.library()
        try a.createNote(body: "one")
        try a.createNote(body: "two")
        let changes = try a.allChanges()
        try b.apply([changes[0]])
        let before = try b.canonicalDump()

        // Same (site, seq), other content, valid hash: a fork.
        let original = changes[0]
        let forged = Change(
            site: original.site, seq: original.seq, entity: .note, entityId: original.entityId, field: "body",
            value: "forged", hlc: original.hlc, wall: original.wall, prev: original.prev)
        #expect((#expect(throws: StorageError.self) { try b.apply([forged]) })?.code == .forkedLog)

        // A change whose prev does not chain onto the one held: also a fork.
        let unchained = Change(
            site: original.site, seq: 2, entity: .note, entityId: "x", field: "body", value: "y",
            hlc: original.hlc, wall: original.wall, prev: String(repeating: "0", count: 64))
        #expect((#expect(throws: StorageError.self) { try b.apply([unchained]) })?.code == .forkedLog)

        // Seq 3 without seq 2: a gap.
        let c = try Scratch.library()
        try c.createNote(body: "three")
        try c.createNote(body: "four")
        #expect((#expect(throws: StorageError.self) { try b.apply(Array(try c.allChanges().dropFirst())) })?.code == .gap)

        // Content altered in transit.
        var tampered = changes[1]
        tampered.value = "tampered"
        #expect((#expect(throws: StorageError.self) { try b.apply([tampered]) })?.code == .badHash)

        // A whole batch is refused when one change is bad: nothing of it is applied.
        #expect(throws: StorageError.self) { try b.apply([changes[1], tampered]) }
        #expect(try b.canonicalDump() == before)

        // Oversized value.
        let big = Change(
            site: Site.random(), seq: 1, entity: .note, entityId: UUID().uuidString.lowercased(), field: "body",
            value: String(repeating: "y", count: Change.maxValueBytes + 1), hlc: original.hlc, wall: 0, prev: "")
        #expect((#expect(throws: StorageError.self) { try b.apply([big]) })?.code == .valueTooLarge)
        #expect(try b.canonicalDump() == before)
    }

    /// Three replicas edit concurrently; two others apply the union in different orders and
    /// batchings, with repetitions: same state.
    @Test func theOrderOfDeliveryDoesNotMatter() throws {
        let clock = TestClock()
        let a = try Scratch.library(clock: clock), b = try Scratch.library(clock: clock), c = try Scratch.library(clock: clock)
        let shared = try a.createNote(body: "line one\nline two", tags: ["t"])
        let article = try a.saveArticle(ArticleDraft(url: "https://example.org/a", title: "A", text: "text"))
        try b.pull(from: a)
        try c.pull(from: a)
        clock.advance(10)
        try a.editNote(shared.id, body: "line one (a)\nline two")
        try b.editNote(shared.id, body: "line one\nline two (b)")
        try c.deleteNote(shared.id)
        try a.addTags(["a-tag"], to: shared.id)
        try b.removeTags(["t"], from: shared.id)
        try c.addTags(["t"], to: shared.id)
        try a.setRead(article.id)
        try b.setRead(article.id)
        try b.setProgress(article.id, 0.5)
        try c.setProgress(article.id, 0.7)
        for i in 0..<5 {
            clock.advance(1)
            try [a, b, c][i % 3].createNote(body: "note \(i) 東京")
        }

        let union = try a.allChanges() + b.allChanges() + c.allChanges()
        let unique = Array(Set(union))
        func bySiteInOrder(_ changes: [Change]) -> [[Change]] {
            Dictionary(grouping: changes, by: \.site).values.map { $0.sorted { $0.seq < $1.seq } }
        }
        let logs = bySiteInOrder(unique).sorted { $0[0].site < $1[0].site }

        let r1 = try Scratch.library(), r2 = try Scratch.library(), r3 = try Scratch.library()
        try r1.apply(logs.flatMap { $0 })
        for log in logs.reversed() { try r2.apply(log) }
        // Interleaved one change at a time, with a repeated prefix.
        var cursors = Array(repeating: 0, count: logs.count)
        var turn = 0
        while cursors.enumerated().contains(where: { $0.element < logs[$0.offset].count }) {
            let i = turn % logs.count
            turn += 1
            guard cursors[i] < logs[i].count else { continue }
            try r3.apply(Array(logs[i][0...cursors[i]]))
            cursors[i] += 1
        }
        try a.pull(from: b); try a.pull(from: c); try b.pull(from: a); try c.pull(from: a)
        let dump = try r1.canonicalDump()
        #expect(dump.contains("deleted: true"))
        for replica in [r2, r3, a, b, c] { #expect(try replica.canonicalDump() == dump) }
        // Quiescence: nothing new to exchange.
        #expect(try a.pull(from: b).applied == 0)
        #expect(try r1.verify() == [])
    }

    /// A batch's new entities are folded in memory and written one row each; the tables must
    /// end exactly as the writer's own, made change by change (every column, stamp and tag
    /// register, a removed tag's included).
    @Test func aBatchOfNewEntitiesIsWrittenAsChangeByChange() throws {
        let clock = TestClock()
        let a = try Scratch.library(clock: clock)
        let (article, _) = try a.saveArticle(
            ArticleDraft(
                url: "https://example.org/full", canonicalUrl: "https://example.org/full", title: "Full", byline: "B. Writer",
                siteName: "Example", published: "2026-11-30", language: "en", excerpt: "An excerpt.",
                leadImageUrl: "https://example.org/lead.png", contentHTML: "<p>Full text.</p>", text: "Full text.",
                wordCount: 2, contentHash: nil, fetchedAt: "2026-11-30T10:00:00Z"),
            tags: ["long read"])
        try a.setFavorite(article)
        try a.setProgress(article, 0.25)
        let plain = try a.saveArticle(ArticleDraft(url: "https://example.org/plain")).id
        clock.advance(5)
        let note = try a.createNote(body: "a passage\nmy note\n", articleId: article, tags: ["x", "y"])
        try a.removeTags(["x"], from: note.id)
        try a.editNote(note.id, body: "a passage\nmy note, edited\n")
        let gone = try a.createNote(body: "to the trash")
        try a.deleteNote(gone.id)
        let changes = try a.allChanges()

        let folded = try Scratch.library(), stepwise = try Scratch.library()
        #expect(try folded.apply(changes).applied == changes.count)
        for change in changes { try stepwise.apply([change]) }
        func tables(_ library: Library) throws -> [String] {
            try library.read { db in
                try [
                    "SELECT * FROM articles ORDER BY id", "SELECT * FROM notes ORDER BY id",
                    """
                    SELECT coalesce(n.id, a.id) AS entity_id, r.* FROM tag_registers r
                    LEFT JOIN notes n ON r.entity = 'note' AND n.num = r.num
                    LEFT JOIN articles a ON r.entity = 'article' AND a.num = r.num
                    ORDER BY entity_id, r.tag
                    """, "SELECT * FROM field_stamps ORDER BY entity_id, field",
                ].flatMap { sql in
                    try Row.fetchAll(db, sql: sql).map { row in
                        row.columnNames.filter { $0 != "num" }.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: " ")
                    }
                }
            }
        }
        // The writer's own tables were made by the per-change path (`Replica.local`).
        let expected = try tables(a)
        #expect(try tables(folded) == expected)
        #expect(try tables(stepwise) == expected)
        #expect(expected.contains { $0.contains("byline=\"B. Writer\"") && $0.contains("word_count=2") && $0.contains("favorite=1") })
        #expect(expected.contains { $0.contains("id=\"\(plain)\"") && $0.contains("word_count=0") })
        #expect(try folded.canonicalDump() == a.canonicalDump())
        #expect(try folded.verify() == [] && stepwise.verify() == [])
    }

    /// `verify` notices a note whose list of body revisions no longer matches the log.
    @Test func verifyReportsAWrongRevisionList() throws {
        let library = try Scratch.library()
        let note = try library.createNote(body: "one")
        try library.editNote(note.id, body: "two")
        #expect(try library.verify() == [])
        try library.pool.write { db in
            try db.execute(
                sql: "UPDATE notes SET revisions = substr(revisions, 1, instr(revisions, ',') - 1) WHERE id = ?", arguments: [note.id])
        }
        #expect(try library.verify() == ["note \(note.id) does not list exactly its body revisions"])
    }

    /// A hot insert with a parameter left unbound is refused, not run with the last row's value.
    @Test func aStatementWithAnUnboundParameterIsRefused() throws {
        let library = try Scratch.library()
        try library.pool.write { db in
            try db.execute(sql: "CREATE TEMP TABLE pairs (a TEXT, b TEXT)")
            let insert = try db.makeStatement(sql: "INSERT INTO pairs (a, b) VALUES (?, ?)")
            try Bind.run(insert) { row in
                row.text("a")
                row.text("b")
            }
            let error = #expect(throws: DatabaseError.self) {
                try Bind.run(insert) { row in row.text("only a") }
            }
            #expect(error?.resultCode == .SQLITE_RANGE)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM pairs") == 1)
        }
    }

    @Test func lastWriterWinsByStampThenSite() throws {
        let clock = TestClock()
        let a = try Scratch.library(clock: clock), b = try Scratch.library(clock: clock)
        let saved = try a.saveArticle(ArticleDraft(url: "https://example.org/lww", title: "Original"))
        try b.pull(from: a)
        clock.advance(5)
        var draftA = ArticleDraft(url: "https://example.org/lww", title: "Title from A")
        draftA.fetchedAt = "x"
        try a.saveArticle(draftA, refresh: true)
        clock.advance(5)
        try b.saveArticle(ArticleDraft(url: "https://example.org/lww", title: "Title from B"), refresh: true)
        try a.pull(from: b)
        try b.pull(from: a)
        #expect(try a.article(saved.id).title == "Title from B")  // later stamp wins
        #expect(try b.article(saved.id).title == "Title from B")

        // Equal stamps: the greater site wins, on both sides.
        let c = try Scratch.library(clock: clock), d = try Scratch.library(clock: clock)
        let note = try c.createNote(body: "n")
        try d.pull(from: c)
        clock.advance(1000)
        try c.addTags(["same-ms"], to: note.id)
        try d.addTags(["same-ms"], to: note.id)
        try d.removeTags(["same-ms"], from: note.id)
        try c.pull(from: d)
        try d.pull(from: c)
        #expect(try c.canonicalDump() == d.canonicalDump())
    }

    @Test func aDeleteNeverDestroysAConcurrentEdit() throws {
        let a = try Scratch.library(), b = try Scratch.library()
        let note = try a.createNote(body: "draft")
        try b.pull(from: a)
        try a.deleteNote(note.id)
        try b.editNote(note.id, body: "draft, improved offline")
        try a.pull(from: b)
        try b.pull(from: a)
        for replica in [a, b] {
            #expect(try replica.trash().map(\.id) == [note.id])
            #expect(try replica.note(note.id).body == "draft, improved offline")
        }
        try a.restoreNote(note.id)
        #expect(try a.notes().map(\.body) == ["draft, improved offline"])
    }

    @Test func concurrentBodyEditsAreKeptAndResolvable() throws {
        let a = try Scratch.library(), b = try Scratch.library()
        let note = try a.createNote(body: "same line")
        try b.pull(from: a)
        try a.editNote(note.id, body: "edited on a")
        try b.editNote(note.id, body: "edited on b")
        try a.pull(from: b)
        try b.pull(from: a)
        #expect(try a.canonicalDump() == b.canonicalDump())
        let conflicts = try a.conflicts()
        #expect(conflicts.count == 1)
        let bodies = Set([conflicts[0].body] + conflicts[0].revisions.map(\.body))
        #expect(bodies == ["edited on a", "edited on b"])

        // Editing while a conflict is pending keeps the conflict open.
        try a.editNote(note.id, body: conflicts[0].body + "!")
        #expect(try a.conflicts().count == 1)

        let loser = try #require(ChangeRef(try a.conflicts()[0].revisions[0].id))
        try a.resolveConflict(note: note.id, keep: .revision(loser))
        #expect(try a.conflicts().isEmpty)
        try b.pull(from: a)
        #expect(try b.conflicts().isEmpty)
        #expect(try b.note(note.id).body == a.note(note.id).body)
    }

    @Test func aCopiedLibraryTakesANewSiteBeforeWriting() throws {
        let folder = Scratch.folder()
        let original = try Library.open(folder: folder)
        try original.createNote(body: "before the copy")
        let site = try original.site()
        let copyFolder = folder.deletingLastPathComponent().appendingPathComponent("copy")
        try FileManager.default.copyItem(at: folder, to: copyFolder)

        let copy = try Library.open(folder: copyFolder)
        #expect(try copy.site() != site)
        #expect(try copy.siteHistory().map(\.site) == [site, try copy.site()])
        try copy.createNote(body: "written by the copy")
        #expect(try copy.versionVector()[site] == 1)  // the old log is kept, not extended

        // Reopening the original keeps its site; the copy keeps its new one.
        #expect(try Library.open(folder: folder).site() == site)
        let copySite = try copy.site()
        #expect(try Library.open(folder: copyFolder).site() == copySite)

        // The two exchange without a fork.
        try original.createNote(body: "after the copy")
        try original.pull(from: copy)
        try copy.pull(from: original)
        #expect(try original.canonicalDump() == copy.canonicalDump())
    }

    @Test func receivingMyOwnSiteFromAnotherCopyMovesMeToANewSite() throws {
        let folder = Scratch.folder()
        let original = try Library.open(folder: folder)
        try original.createNote(body: "one")
        let site = try original.site()
        let twinFolder = folder.deletingLastPathComponent().appendingPathComponent("twin")
        try FileManager.default.copyItem(at: folder, to: twinFolder)
        let twin = try Library.open(folder: twinFolder)
        // A copy that went undetected (e.g. a file-level restore): it still writes as `site`.
        try twin.pool.write { db in try db.execute(sql: "UPDATE replica SET site = ?", arguments: [site]) }
        #expect(try twin.site() == site)

        try original.createNote(body: "two")
        let report = try twin.pull(from: original)
        #expect(report.applied == 1)
        #expect(report.warnings.count == 1 && report.warnings[0].contains(site))
        #expect(try twin.site() != site)
        try twin.createNote(body: "three")
        try original.pull(from: twin)  // no fork: the twin wrote under its new site
        #expect(try original.canonicalDump() == twin.canonicalDump())
    }

    @Test func clockSkewIsReportedAndCausalityWins() throws {
        let behind = TestClock(1_780_000_000_000)
        let ahead = TestClock(1_780_000_000_000 + 3 * 3_600_000)  // three hours fast
        let slow = try Scratch.library(clock: behind), fast = try Scratch.library(clock: ahead)
        let note = try slow.createNote(body: "v1")
        try fast.pull(from: slow)
        try fast.editNote(note.id, body: "v2 from the fast clock")
        let fastChanges = try fast.changes(site: fast.site(), after: 0, limit: 10)

        let report = try slow.pull(from: fast)
        #expect(report.warnings.count == 1)
        #expect(report.warnings[0].contains(try fast.site()))
        #expect(report.warnings[0].contains("3 h"))
        // Received stamps are kept as written.
        #expect(try slow.changes(site: fast.site(), after: 0, limit: 10) == fastChanges)

        // An edit made after seeing v2 orders after it, though this wall clock is hours behind.
        try slow.editNote(note.id, body: "v3 after seeing v2")
        try fast.pull(from: slow)
        #expect(try fast.note(note.id).body == "v3 after seeing v2")
        #expect(try fast.conflicts().isEmpty)

        // The slow clock moved at most MaxDrift ahead of its wall clock for other writes.
        let other = try slow.createNote(body: "unrelated")
        let stamp = try slow.log(limit: 1)[0].hlc
        #expect(stamp.millis <= behind.millis + 60_000 + 1)
        #expect(try slow.note(other.id).createdAt == Date(millis: behind.millis))
    }
}
