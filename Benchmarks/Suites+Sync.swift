import Foundation
import GRDB
import GlossStorage
import GlossSync

/// Benchmark suites of this area.
let syncSuites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "sync") { arguments in
        let count = Int(arguments.options["sync-changes"] ?? "") ?? 100_000
        let batch = Int(arguments.options["sync-batch"] ?? "") ?? SyncEngine.Options().maxBatchCount
        let folder = try await FolderFixture(changes: count, batchSize: batch)
        defer { folder.remove() }
        // The machine is shared and its speed drifts: each pull (into a fresh library) is timed
        // right beside a baseline run, and the figure is the median of three such pairs.
        var rounds: [(pull: Double, baseline: Double)] = []
        for _ in 0..<3 {
            let pull = try await folder.pull()
            rounds.append((pull, try measurePlainInsert(folder.changes)))
        }
        rounds.sort { $0.pull / $0.baseline < $1.pull / $1.baseline }
        let median = rounds[1]
        let (readRate, applyRate) = try await measurePullParts(folder.changes, batchSize: folder.batchSize)
        let applyBaseline = try measurePlainInsert(folder.changes)
        print(
            "changes: \(folder.changes.count) from another site, read in batches of \(folder.batchSize), "
                + "applied up to \(SyncEngine.Options().maxApplyCount) per transaction, through a folder remote")
        print(String(format: "push (library → folder):          %10.0f changes/s", folder.pushRate))
        print(
            "pull ratios of the three pairs: "
                + rounds.map { String(format: "%.2f×", $0.pull / $0.baseline) }.joined(separator: ", "))
        print(String(format: "pull (folder → library, applied): %10.0f changes/s (median pair)", median.pull))
        print(String(format: "baseline: plain SQL insert of the same rows:       %10.0f rows/s (same pair)", median.baseline))
        print(String(format: "  of which: folder read + verify alone: %10.0f changes/s", readRate))
        print(String(format: "  of which: library.apply alone:         %10.0f changes/s", applyRate))
        print(String(format: "  baseline beside it:                    %10.0f rows/s", applyBaseline))
        print("pull apply rate vs plain insert: \(ratio(median.pull, median.baseline)) (target ≥ 0.30×)")
        print("library.apply alone vs plain insert: \(ratio(applyRate, applyBaseline))")
    }
]

/// What one folder-remote round trip measured.
struct FolderEndToEnd {
    /// The changes moved (all of one site), as pulled.
    var changes: [Change]
    var batchSize: Int
    var pushSeconds: Double
    var pullSeconds: Double
    var pushRate: Double { Double(changes.count) / pushSeconds }
    var pullRate: Double { Double(changes.count) / pullSeconds }
}

/// A folder remote holding about `changes` changes of one site (notes with a tag, two changes
/// each), pushed by a library that wrote them in one transaction; pulls go into fresh libraries.
struct FolderFixture {
    let root: URL
    let remote: FolderRemote
    let batchSize: Int
    let pushSeconds: Double
    /// The changes pushed, as the source library holds them.
    let changes: [Change]
    var pushRate: Double { Double(changes.count) / pushSeconds }

    init(changes count: Int, batchSize: Int) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-sync-\(UUID().uuidString)")
        self.batchSize = batchSize
        let source = try Library.open(folder: root.appendingPathComponent("source"))
        remote = FolderRemote(root: root.appendingPathComponent("remote"))
        try remote.prepare()
        // The data: notes of a few lines each, every one tagged — written in one transaction.
        try source.write { writer in
            for i in 0..<((count + 1) / 2) {
                try writer.createNote(
                    body: "Note \(i) on a passage worth keeping.\nA second line with more words in it.\n",
                    tags: ["bench\(i % 50)"])
            }
        }
        let start = now()
        _ = try await SyncEngine(library: source, options: SyncEngine.Options(maxBatchCount: batchSize)).sync(with: remote)
        pushSeconds = now() - start
        self.changes = try source.changes(site: source.site(), after: 0, limit: Int.max / 2)
    }

    /// Pulls everything into a fresh library with a full `SyncEngine.sync`; returns changes/s.
    func pull() async throws -> Double {
        let folder = root.appendingPathComponent("target-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = try Library.open(folder: folder)
        let start = now()
        let pulled = try await SyncEngine(library: target, options: SyncEngine.Options(maxBatchCount: batchSize)).sync(with: remote)
        let seconds = now() - start
        guard pulled.pulled == changes.count else {
            throw SyncError(.damaged, "pulled \(pulled.pulled) of \(changes.count) changes", hint: "the bench found a sync bug")
        }
        return Double(changes.count) / seconds
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// The folder remote end to end, for comparison by other suites (the server bench): one
/// library writes about `changes` changes, pushes them to a fresh folder remote, and a second
/// library pulls and applies them all. Timed: the push and the pull (each a full
/// `SyncEngine.sync`), on the release build `make bench` runs.
func measureFolderEndToEnd(changes count: Int, batchSize: Int = SyncEngine.Options().maxBatchCount) async throws -> FolderEndToEnd {
    let folder = try await FolderFixture(changes: count, batchSize: batchSize)
    defer { folder.remove() }
    let pullRate = try await folder.pull()
    return FolderEndToEnd(
        changes: folder.changes, batchSize: batchSize, pushSeconds: folder.pushSeconds,
        pullSeconds: Double(folder.changes.count) / pullRate)
}

/// The baseline: the same rows inserted into a plain SQLite table (primary key (site, seq), no
/// other index) with GRDB, in transactions of 1,000 rows — what storing the changes alone costs.
func measurePlainInsert(_ changes: [Change]) throws -> Double {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-insert-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let pool = try DatabasePool(path: root.appendingPathComponent("plain.sqlite").path)
    try pool.write { db in
        try db.execute(sql: """
            CREATE TABLE changes (
                site TEXT NOT NULL, seq INTEGER NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
                field TEXT NOT NULL, value TEXT, hlc INTEGER NOT NULL, base TEXT NOT NULL,
                wall INTEGER NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL,
                PRIMARY KEY (site, seq))
            """)
    }
    let start = now()
    var index = 0
    while index < changes.count {
        let batch = changes[index..<min(changes.count, index + 1000)]
        try pool.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for c in batch {
                try insert.execute(
                    arguments: [
                        c.site, c.seq, c.entity.rawValue, c.entityId, c.field, c.value, c.hlc.rawValue,
                        c.base.map(\.description).joined(separator: ","), c.wall, c.prev, c.hash,
                    ])
            }
        }
        index += 1000
    }
    return Double(changes.count) / (now() - start)
}

/// The two halves of a pull, timed apart: reading and verifying the batch files of a folder
/// remote holding `changes`, and applying the same batches to a fresh library.
func measurePullParts(_ changes: [Change], batchSize: Int) async throws -> (read: Double, apply: Double) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-parts-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let remote = FolderRemote(root: root.appendingPathComponent("remote"))
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try remote.prepare()
    guard let site = changes.first?.site else { return (0, 0) }
    var index = 0
    while index < changes.count {
        try await remote.push(site: site, changes: Array(changes[index..<min(changes.count, index + batchSize)]))
        index += batchSize
    }
    var start = now()
    var batches: [[Change]] = []
    var after: Int64 = 0
    while true {
        let batch = try await FolderRemote(root: remote.root).pull(site: site, after: after, limit: batchSize)
        guard let last = batch.last else { break }
        batches.append(batch)
        after = last.seq
    }
    let read = Double(changes.count) / (now() - start)
    let library = try Library.open(folder: root.appendingPathComponent("target"))
    start = now()
    for batch in batches { _ = try library.apply(batch) }
    let apply = Double(changes.count) / (now() - start)
    return (read, apply)
}
