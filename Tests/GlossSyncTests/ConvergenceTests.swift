import Foundation
import GlossStorage
import Testing

@testable import GlossSync

/// The convergence property (DESIGN §8, SYNC-NOTES §6): several replicas make random edits and
/// exchange them through shared folder remotes in random, partial, interrupted, duplicated and
/// reordered ways; after a full exchange they are identical, no body edit is lost, and syncing
/// again moves nothing.
///
/// Seeds: a fixed one by default; `GLOSS_PROPERTY_SEEDS=1,2,3` runs those, and
/// `GLOSS_PROPERTY_SEEDS=random:20` twenty random ones (each printed, to replay a failure).
/// The seed fixes the schedule (replica count, clocks, operation kinds, batch sizes, cut-off
/// points); site ids and note ids are random UUIDs made by the library, so a replay follows the
/// same schedule over different ids rather than repeating the run bit for bit.
@Suite(.serialized) struct ConvergenceTests {
    static var seeds: [UInt64] {
        let text = ProcessInfo.processInfo.environment["GLOSS_PROPERTY_SEEDS"] ?? ""
        if text.hasPrefix("random:"), let count = Int(text.dropFirst(7)) {
            return (0..<count).map { _ in UInt64.random(in: 1...UInt64(UInt32.max)) }
        }
        let listed = text.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        return listed.isEmpty ? [20_250_601] : listed
    }

    @Test func replicasConverge() async throws {
        for seed in Self.seeds {
            print("convergence seed \(seed) (replay with GLOSS_PROPERTY_SEEDS=\(seed))")
            var run = try Simulation(seed: seed)
            try await run.play()
            try await run.check()
        }
    }
}

/// One seeded run of the property.
struct Simulation {
    var rng: SeededRandom
    let seed: UInt64
    let clock = TestClock()
    var replicas: [Library] = []
    let remotes: [FolderRemote]
    var lineCounter = 0
    let articleURLs = ["https://example.org/one", "https://example.org/two", "https://example.org/three"]

    init(seed: UInt64) throws {
        self.seed = seed
        rng = SeededRandom(seed: seed)
        remotes = [try TestFolders.folderRemote(), try TestFolders.folderRemote()]
        let count = rng.int(3..<6)
        for i in 0..<count {
            // Small skews between replicas (up to ±3 s): the HLC must order causally anyway.
            let offset = Int64(rng.int(-3000..<3000))
            replicas.append(try Library.open(folder: TestFolders.make("r\(i)"), options: .init(wall: clock.wall(offset: offset))))
        }
    }

    // MARK: Play

    mutating func play() async throws {
        let steps = replicas.count * 220
        for _ in 0..<steps {
            clock.advance(Int64(rng.int(0..<1500)))
            let r = rng.int(0..<replicas.count)
            let roll = rng.int(0..<100)
            switch roll {
            case 0..<10: try await partialSync(r)
            case 10..<15: try deliverDirectly(to: r)
            default: try edit(replicas[r])
            }
        }
    }

    mutating func edit(_ library: Library) throws {
        let live = try library.notes()
        let roll = rng.int(0..<100)
        if live.isEmpty || roll < 12 {
            try library.createNote(body: newBody(), tags: rng.chance(0.3) ? [rng.pick(["a", "b", "日本"])] : [])
            return
        }
        let note = rng.pick(live)
        switch roll {
        case 12..<50: try library.editNote(note.id, body: editedBody(note.body))
        case 50..<58: try library.addTags([rng.pick(["a", "b", "c", "日本"])], to: note.id)
        case 58..<64:
            if let tag = note.tags.first { try library.removeTags([tag], from: note.id) }
        case 64..<70: try library.deleteNote(note.id)
        case 70..<75:
            if let deleted = try library.trash().first { try library.restoreNote(deleted.id) }
        case 75..<81:
            let start = rng.int(0..<40)
            let anchor = rng.chance(0.2) ? nil : Anchor(exact: "quote \(start)", prefix: "p", suffix: "s", start: start, end: start + 7)
            try library.write { try $0.setAnchor(note.id, anchor) }
        case 81..<88:
            if let conflict = try library.conflicts().first {
                let keep: ConflictChoice = rng.chance(0.5) || conflict.revisions.isEmpty
                    ? .current : .revision(ChangeRef(rng.pick(conflict.revisions).id)!)
                try library.resolveConflict(note: conflict.noteId, keep: keep)
            } else {
                try library.editNote(note.id, body: editedBody(note.body))
            }
        default:
            let url = rng.pick(articleURLs)
            let (id, _) = try library.saveArticle(
                ArticleDraft(url: url, title: "Title \(rng.int(0..<3))", contentHTML: "<p>text</p>", text: "text of \(url)"))
            switch rng.int(0..<4) {
            case 0: try library.setRead(id, rng.chance(0.5))
            case 1: try library.setArchived(id, rng.chance(0.5))
            case 2: try library.setFavorite(id, rng.chance(0.5))
            default: try library.setProgress(id, Double(rng.int(0..<101)) / 100)
            }
        }
    }

    static let vocabulary = ["", "- item", "- item", "same line", "caf\u{E9}", "cafe\u{301}", "日本語のメモ", "crlf\r", "  indented"]

    mutating func newLine() -> String {
        rng.chance(0.5) ? uniqueLine() : rng.pick(Self.vocabulary)
    }

    mutating func uniqueLine() -> String {
        lineCounter += 1
        return "line \(lineCounter) of seed \(seed)"
    }

    mutating func newBody() -> String {
        var lines = (0..<rng.int(1..<8)).map { _ in newLine() }
        lines.append(uniqueLine())  // never empty: the library refuses empty notes
        return lines.joined(separator: "\n") + (rng.chance(0.8) ? "\n" : "")
    }

    mutating func editedBody(_ body: String) -> String {
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<rng.int(1..<4) {
            switch rng.int(0..<4) {
            case 0 where !lines.isEmpty: lines[rng.int(0..<lines.count)] = newLine()
            case 1: lines.insert(newLine(), at: rng.int(0..<(lines.count + 1)))
            case 2 where lines.count > 1: lines.remove(at: rng.int(0..<lines.count))
            default: lines.append(newLine())
            }
        }
        if lines.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { lines.append(uniqueLine()) }
        return lines.joined(separator: "\n")
    }

    /// A sync with a random remote, small random batches, sometimes cut off partway.
    mutating func partialSync(_ r: Int) async throws {
        let remote: any Remote = rng.pick(remotes)
        let engine = SyncEngine(library: replicas[r], options: .init(maxBatchCount: rng.int(1..<25)))
        if rng.chance(0.4) {
            do {
                _ = try await engine.sync(with: InterruptedRemote(remote, calls: rng.int(0..<12)))
            } catch is InterruptedRemote.Interrupted {}
        } else {
            _ = try await engine.sync(with: remote)
        }
    }

    /// Hands changes straight from one replica to another: batches of several sites interleaved
    /// in random order, some delivered twice, and a batch with a hole, which must be refused
    /// and change nothing.
    mutating func deliverDirectly(to r: Int) throws {
        let source = replicas[rng.int(0..<replicas.count)]
        let target = replicas[r]
        let mine = try target.versionVector()
        var batches: [[Change]] = []
        for (site, top) in try source.versionVector().sorted(by: { $0.key < $1.key }) where top > (mine[site] ?? 0) {
            var after = mine[site] ?? 0
            while after < top, batches.count < 6 {
                let batch = try source.changes(site: site, after: after, limit: rng.int(1..<15))
                guard let last = batch.last else { break }
                batches.append(batch)
                after = last.seq
            }
        }
        guard !batches.isEmpty else { return }
        // Deliver in order per site but interleaving sites at random; duplicate some.
        var order: [[Change]] = []
        var queues = Dictionary(grouping: batches, by: { $0[0].site })
        while !queues.isEmpty {
            let site = rng.pick(queues.keys.sorted())
            let batch = queues[site]!.removeFirst()
            if queues[site]!.isEmpty { queues[site] = nil }
            order.append(batch)
            if rng.chance(0.3) { order.append(batch) }
        }
        // A batch with a hole first: refused, nothing changes.
        if let gapped = order.first(where: { $0.count > 1 }), rng.chance(0.5) {
            let before = try target.canonicalDump()
            #expect(throws: (any Error).self) { try target.apply(Array(gapped.dropFirst())) }
            #expect(try target.canonicalDump() == before)
        }
        if rng.chance(0.5) {
            for batch in order {
                let report = try target.apply(batch)
                #expect(report.applied + report.skipped == batch.count)
            }
        } else {
            let all = order.flatMap { $0 }
            let first = try target.apply(all)
            let again = try target.apply(all)
            #expect(again.applied == 0)
            #expect(first.applied + first.skipped == all.count)
        }
    }

    // MARK: Check

    func fullExchange() async throws -> Int {
        var moved = 0
        for library in replicas {
            let report = try await SyncEngine(library: library).sync(with: remotes[0])
            moved += report.pushed + report.pulled
        }
        return moved
    }

    func check() async throws {
        _ = try await fullExchange()
        _ = try await fullExchange()
        let dumps = try replicas.map { try $0.canonicalDump() }
        let vectors = try replicas.map { try $0.versionVector() }
        for (i, dump) in dumps.enumerated().dropFirst() {
            #expect(dump == dumps[0], "replica \(i) differs from replica 0 (seed \(seed))")
            #expect(vectors[i] == vectors[0], "seed \(seed)")
        }
        // Quiescence: another full exchange moves and writes nothing.
        #expect(try await fullExchange() == 0, "seed \(seed)")
        #expect(try replicas.map { try $0.versionVector() } == vectors)
        #expect(try replicas.map { try $0.canonicalDump() } == dumps)

        try checkNoEditLost(replicas[0])
        try checkReplayInAnyOrder(union: try replicas[0].allChanges(), expected: dumps[0])
    }

    /// Every body change is superseded (named in a later change's base) or a head that is the
    /// body, a conflict revision, or folded into a clean merge that contains its new lines.
    func checkNoEditLost(_ library: Library) throws {
        let bodyChanges = try library.allChanges().filter { $0.entity == .note && $0.field == "body" }
        let conflicts = Dictionary(uniqueKeysWithValues: try library.conflicts().map { ($0.noteId, $0) })
        var checkedHeads = 0, cleanMerges = 0, conflicted = 0
        for (noteId, changes) in Dictionary(grouping: bodyChanges, by: \.entityId) {
            let revisions = changes.map { BodyRevision(ref: $0.ref, hlc: $0.hlc, base: $0.base, text: $0.value ?? "") }
            let note = try library.note(noteId)
            let merged = BodyMerge.resolve(revisions)
            #expect(note.body == merged.body, "note \(noteId) body is not the merge of its revisions (seed \(seed))")
            let referenced = Set(revisions.flatMap(\.base))
            if merged.heads.count > 1 { if merged.conflicts.isEmpty { cleanMerges += 1 } else { conflicted += 1 } }
            let pending = Set(conflicts[noteId]?.revisions.map(\.id) ?? [])
            for head in revisions where !referenced.contains(head.ref) {
                checkedHeads += 1
                if head.text == note.body || pending.contains(head.ref.description) { continue }
                #expect(pending.isEmpty, "head \(head.ref) of \(noteId) is neither body nor conflict (seed \(seed))")
                let others = Set(revisions.filter { $0.ref != head.ref }.flatMap { LineDiff.lines($0.text) })
                let bodyLines = Set(LineDiff.lines(note.body))
                for line in LineDiff.lines(head.text) where !others.contains(line) {
                    #expect(bodyLines.contains(line), "a line of head \(head.ref) was lost in \(noteId) (seed \(seed))")
                }
            }
        }
        #expect(checkedHeads > 0)
        print("seed \(seed): \(replicas.count) replicas, \(bodyChanges.count) body changes, \(checkedHeads) heads, \(cleanMerges) notes merged cleanly, \(conflicted) in conflict")
    }

    /// Applying the union of all changes to a fresh library, sites interleaved at random and in
    /// random batch sizes, gives the same state.
    func checkReplayInAnyOrder(union: [Change], expected: String) throws {
        var rng = SeededRandom(seed: seed ^ 0xABCD)
        let fresh = try Library.open(folder: TestFolders.make("replay"), options: .init(wall: clock.wall()))
        var queues = Dictionary(grouping: union, by: \.site).mapValues { $0.sorted { $0.seq < $1.seq }[...] }
        while !queues.isEmpty {
            let site = rng.pick(queues.keys.sorted())
            let n = rng.int(1..<40)
            let batch = Array(queues[site]!.prefix(n))
            queues[site] = queues[site]!.dropFirst(n)
            if queues[site]!.isEmpty { queues[site] = nil }
            _ = try fresh.apply(batch)
        }
        #expect(try fresh.canonicalDump() == expected, "replay in another order differs (seed \(seed))")
        #expect(try fresh.verify() == [], "seed \(seed)")

        // All of it in one batch: every entity is new to the library, so each is folded in
        // memory and written once (`FreshEntity`) rather than change by change.
        let whole = try Library.open(folder: TestFolders.make("replay-whole"), options: .init(wall: clock.wall()))
        let bySite = Dictionary(grouping: union, by: \.site).mapValues { $0.sorted { $0.seq < $1.seq } }
        let report = try whole.apply(bySite.keys.sorted().flatMap { bySite[$0]! })
        #expect(report.applied == union.count)
        #expect(try whole.canonicalDump() == expected, "replay in one batch differs (seed \(seed))")
        #expect(try whole.verify() == [], "seed \(seed)")
    }
}
