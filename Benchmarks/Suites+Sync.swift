import Foundation
import GRDB
import GlossStorage
import GlossSync

/// Benchmark suites of this area.
let syncSuites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "sync") { arguments in
        let count = Int(arguments.options["sync-changes"] ?? "") ?? 100_000
        let batch = Int(arguments.options["sync-batch"] ?? "") ?? SyncEngine.Options().maxBatchCount
        let run = try await measureFolderEndToEnd(changes: count, batchSize: batch)
        // The machine is shared: the baseline is the median of three runs.
        let baseline = try (0..<3).map { _ in try measurePlainInsert(run.changes) }.sorted()[1]
        let (readRate, applyRate) = try await measurePullParts(run.changes, batchSize: run.batchSize)
        print(
            "changes: \(run.changes.count) from another site, read in batches of \(run.batchSize), "
                + "applied up to \(SyncEngine.Options().maxApplyCount) per transaction, through a folder remote")
        print(String(format: "push (library → folder):          %10.0f changes/s", run.pushRate))
        print(String(format: "pull (folder → library, applied): %10.0f changes/s", run.pullRate))
        print(String(format: "baseline: plain SQL insert of the same rows (median of 3): %10.0f rows/s", baseline))
        print(String(format: "  of which: folder read + verify alone: %10.0f changes/s", readRate))
        print(String(format: "  of which: library.apply alone:         %10.0f changes/s", applyRate))
        print("pull apply rate vs plain insert: \(ratio(run.pullRate, baseline)) (target ≥ 0.30×)")
        print("library.apply alone vs plain insert: \(ratio(applyRate, baseline))")
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

/// The folder remote end to end, for comparison by other suites (the server bench): one
/// library writes about `changes` changes (notes with a tag, two changes each), pushes them to a
/// fresh folder remote, and a second library pulls and applies them all. Timed: the push and
/// the pull (each a full `SyncEngine.sync`), on the release build `make bench` runs.
func measureFolderEndToEnd(changes count: Int, batchSize: Int = 1000) async throws -> FolderEndToEnd {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-sync-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try Library.open(folder: root.appendingPathComponent("source"))
    let target = try Library.open(folder: root.appendingPathComponent("target"))
    let remote = FolderRemote(root: root.appendingPathComponent("remote"))
    try remote.prepare()

    // The data: notes of a few lines each, every one tagged — written in one transaction.
    try source.write { writer in
        for i in 0..<((count + 1) / 2) {
            try writer.createNote(
                body: "Note \(i) on a passage worth keeping.\nA second line with more words in it.\n",
                tags: ["bench\(i % 50)"])
        }
    }
    let options = SyncEngine.Options(maxBatchCount: batchSize)
    var start = now()
    let pushed = try await SyncEngine(library: source, options: options).sync(with: remote)
    let pushSeconds = now() - start
    start = now()
    let pulled = try await SyncEngine(library: target, options: options).sync(with: remote)
    let pullSeconds = now() - start
    guard pulled.pulled == pushed.pushed else {
        throw SyncError(.damaged, "pulled \(pulled.pulled) of \(pushed.pushed) changes", hint: "the bench found a sync bug")
    }
    let site = try source.site()
    let moved = try target.changes(site: site, after: 0, limit: Int.max / 2)
    return FolderEndToEnd(changes: moved, batchSize: batchSize, pushSeconds: pushSeconds, pullSeconds: pullSeconds)
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
