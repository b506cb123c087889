import Foundation
import GlossStorage
import Testing

@testable import GlossSync

/// The engine against real libraries and folder remotes: relay, batching, interruption, clones,
/// clock skew.
@Suite struct SyncEngineTests {
    static let hour: Int64 = 3_600_000

    static func library(_ name: String, clock: TestClock, offset: Int64 = 0) throws -> Library {
        try Library.open(folder: TestFolders.make(name), options: .init(wall: clock.wall(offset: offset)))
    }

    @Test func pushThenPullAndRelay() async throws {
        let clock = TestClock()
        let a = try Self.library("a", clock: clock), b = try Self.library("b", clock: clock), c = try Self.library("c", clock: clock)
        let f1 = try TestFolders.folderRemote(), f2 = try TestFolders.folderRemote()
        let note = try a.createNote(body: "from a\n")
        let small = SyncEngine.Options(maxBatchCount: 2, maxBatchBytes: 1)
        let pushed = try await SyncEngine(library: a, options: small).sync(with: f1)
        #expect(pushed.pushed == (try a.versionVector().values.reduce(0, +)).asInt)
        // B talks to both folders, C only to F2: A's note reaches C through B.
        _ = try await SyncEngine(library: b).sync(with: f1)
        _ = try await SyncEngine(library: b).sync(with: f2)
        let seen = ProgressLog()
        let report = try await SyncEngine(library: c, options: small).sync(with: f2) { seen.add($0) }
        #expect(report.pulled == pushed.pushed)
        let steps = seen.all
        #expect(steps.first?.done == 0)
        #expect(steps.last == SyncEngine.Progress(phase: .pull, done: report.pulled, total: report.pulled))
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.done <= $1.done })
        #expect(try c.note(note.id).body == "from a\n")
        #expect(try c.canonicalDump() == a.canonicalDump())
        // Idempotent: again moves nothing.
        let again = try await SyncEngine(library: c).sync(with: f2)
        #expect(again.pushed == 0 && again.pulled == 0)
    }

    @Test func interruptedSyncsResumeToTheSameState() async throws {
        let clock = TestClock()
        let a = try Self.library("a", clock: clock), b = try Self.library("b", clock: clock)
        for i in 0..<40 { try a.createNote(body: "note \(i)\n") }
        let folder = try TestFolders.folderRemote()
        let options = SyncEngine.Options(maxBatchCount: 3)
        // Cut off after 0, 1, 2, … remote calls until a sync completes.
        for engine in [SyncEngine(library: a, options: options), SyncEngine(library: b, options: options)] {
            var calls = 0
            while true {
                do {
                    _ = try await engine.sync(with: InterruptedRemote(folder, calls: calls))
                    break
                } catch is InterruptedRemote.Interrupted {
                    calls += 1
                }
            }
        }
        #expect(try b.canonicalDump() == a.canonicalDump())
        #expect(try b.versionVector() == a.versionVector())
    }

    /// Batches read are applied together, but a pull cut off midway keeps every batch that
    /// arrived before the failure: the rerun starts after them.
    @Test func aPullCutOffKeepsTheBatchesThatArrived() async throws {
        let clock = TestClock()
        let a = try Self.library("a", clock: clock), b = try Self.library("b", clock: clock)
        for i in 0..<40 { try a.createNote(body: "note \(i)\n") }
        let folder = try TestFolders.folderRemote()
        _ = try await SyncEngine(library: a).sync(with: folder)
        let options = SyncEngine.Options(maxBatchCount: 3, maxApplyCount: 100)
        // The version vector and four pulls of three changes get through; the fifth pull fails.
        await #expect(throws: InterruptedRemote.Interrupted.self) {
            try await SyncEngine(library: b, options: options).sync(with: InterruptedRemote(folder, calls: 5))
        }
        #expect(try b.versionVector() == [try a.site(): 12])
        let rest = try await SyncEngine(library: b, options: options).sync(with: folder)
        #expect(rest.pulled == 28)
        #expect(try b.canonicalDump() == a.canonicalDump())
    }

    @Test func aCloneIsRefusedBeforePushing() async throws {
        let clock = TestClock()
        let a = try Self.library("a", clock: clock)
        try a.createNote(body: "one\n")
        let folder = try TestFolders.folderRemote()
        _ = try await SyncEngine(library: a).sync(with: folder)
        // Pretend another replica wrote under A's site beyond what A has: push its log to the
        // folder with more changes than A (as a restored older copy of A would find).
        let site = try a.site()
        let mine = try a.changes(site: site, after: 0, limit: 1000)
        var extra = mine.last!
        extra = Change(
            site: site, seq: extra.seq + 1, entity: .note, entityId: extra.entityId, field: "body",
            value: "written by a copy", hlc: HLC(millis: clock.now() + 5, counter: 0), base: [extra.ref],
            wall: clock.now(), prev: extra.hash)
        try await folder.push(site: site, changes: [extra])
        try a.createNote(body: "two\n")
        let before = try await folder.versionVector()
        let error = await #expect(throws: SyncError.self) { _ = try await SyncEngine(library: a).sync(with: folder) }
        #expect(error?.kind == .cloned)
        #expect(try await folder.versionVector() == before)  // nothing pushed
    }

    @Test func clockSkewCausalityWins() async throws {
        let clock = TestClock()
        let ahead = try Self.library("ahead", clock: clock, offset: 3 * Self.hour)
        let behind = try Self.library("behind", clock: clock, offset: -3 * Self.hour)
        let normal = try Self.library("normal", clock: clock)
        let folder = try TestFolders.folderRemote()

        let note = try ahead.createNote(body: "first\n")
        try ahead.write { try $0.setAnchor(note.id, Anchor(exact: "x", prefix: "", suffix: "", start: 0, end: 1)) }
        _ = try await SyncEngine(library: ahead).sync(with: folder)
        clock.advance(1000)
        let pulled = try await SyncEngine(library: behind).sync(with: folder)
        #expect(!pulled.warnings.isEmpty, "receiving stamps hours ahead is reported")
        // The replica hours behind edits after seeing the newer edit: its edit wins.
        try behind.editNote(note.id, body: "second, written behind\n")
        try behind.write { try $0.setAnchor(note.id, nil) }
        _ = try await SyncEngine(library: behind).sync(with: folder)
        _ = try await SyncEngine(library: ahead).sync(with: folder)
        _ = try await SyncEngine(library: normal).sync(with: folder)
        for library in [ahead, behind, normal] {
            let shown = try library.note(note.id)
            #expect(shown.body == "second, written behind\n")
            #expect(shown.anchor == nil)
            #expect(shown.conflictCount == 0)
        }
        // Concurrent edits with the fast clock still converge.
        try ahead.editNote(note.id, body: "ahead\n")
        try normal.editNote(note.id, body: "normal\n")
        for library in [ahead, normal, behind, ahead, normal] { _ = try await SyncEngine(library: library).sync(with: folder) }
        let dumps = try [ahead, behind, normal].map { try $0.canonicalDump() }
        #expect(dumps[0] == dumps[1] && dumps[1] == dumps[2])
    }
}

extension Int64 {
    var asInt: Int { Int(self) }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [SyncEngine.Progress] = []
    func add(_ step: SyncEngine.Progress) {
        lock.lock()
        steps.append(step)
        lock.unlock()
    }
    var all: [SyncEngine.Progress] {
        lock.lock()
        defer { lock.unlock() }
        return steps
    }
}
