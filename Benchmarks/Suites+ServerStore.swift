import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Logging

/// `server-store`: the two server stores side by side in one run — 100,000 changes appended in
/// push-sized batches to one vault, then read back page by page, through `ServerStore` (no
/// HTTP). SQLite is the baseline; PostgreSQL's figures are given as a ratio to it. PostgreSQL
/// runs when `--database URL` or `GLOSS_TEST_DATABASE_URL` names a server (`make bench` starts a
/// throwaway cluster through scripts/with-postgres.sh); the run uses a user of its own and
/// removes it afterwards.
let serverStoreSuite = BenchmarkSuite(name: "server-store") { arguments in
    let count = Int(arguments.options["changes"] ?? "") ?? 100_000
    let batch = 5000
    let sites = 4
    // Four sites' logs, as four replicas would push them.
    let logs = (0..<sites).map { _ in benchLog(count: count / sites) }
    print("\(count) changes (\(sites) sites), batches of \(batch), pages of \(batch)")

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let sqlite = try await measureStore(try SQLiteServerStore(directory: directory), logs: logs, batch: batch)
    print(String(format: "sqlite      append %8.0f changes/s   read %8.0f changes/s   (baseline)", sqlite.append, sqlite.read))

    let url = arguments.options["database"] ?? ProcessInfo.processInfo.environment["GLOSS_TEST_DATABASE_URL"]
    guard let url else {
        print("postgresql  skipped: no --database URL and no GLOSS_TEST_DATABASE_URL")
        return
    }
    var logger = Logger(label: "gloss.bench")
    logger.logLevel = .warning
    let store = try await PostgresServerStore(configuration: try PostgresConfiguration(url: url), logger: logger)
    let postgres = try await measureStore(store, logs: logs, batch: batch)
    print(String(format: "postgresql  append %8.0f changes/s   read %8.0f changes/s", postgres.append, postgres.read)
        + "   (\(ratio(postgres.append, sqlite.append)) and \(ratio(postgres.read, sqlite.read)) of SQLite)")
    print("  concurrent: the \(sites) sites appended at once")
    let sqliteConcurrent = try await measureStore(
        try SQLiteServerStore(directory: directory.appendingPathComponent("concurrent")), logs: logs, batch: batch,
        concurrent: true)
    let postgresConcurrent = try await measureStore(store, logs: logs, batch: batch, concurrent: true)
    print(String(format: "sqlite      append %8.0f changes/s   (baseline)", sqliteConcurrent.append))
    print(String(format: "postgresql  append %8.0f changes/s", postgresConcurrent.append)
        + "   (\(ratio(postgresConcurrent.append, sqliteConcurrent.append)) of SQLite)")
    try await store.close()
}

private func benchLog(count: Int) -> [Change] {
    let site = Site.random()
    var changes: [Change] = []
    changes.reserveCapacity(count)
    var prev = ""
    for i in 1...count {
        let change = Change(
            site: site, seq: Int64(i), entity: .note, entityId: "note-\(i % 500)", field: "body",
            value: "a note of ordinary length, number \(i), with some words in it to make it realistic",
            hlc: HLC(millis: 1_700_000_000_000 + Int64(i), counter: 0), wall: 1_700_000_000_000 + Int64(i), prev: prev)
        prev = change.hash
        changes.append(change)
    }
    return changes
}

/// Appends every log in batches (one site after another, or all at once) into a fresh vault,
/// reads it all back, checks the count, removes the user, and returns changes per second for each direction.
private func measureStore(_ store: any ServerStore, logs: [[Change]], batch: Int, concurrent: Bool = false)
    async throws -> (append: Double, read: Double)
{
    let user = try await store.addUser(name: "bench-\(UUID().uuidString.prefix(8))", passwordHash: "-", createdAt: Date())
    let total = logs.map(\.count).reduce(0, +)
    let start = now()
    if concurrent {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for log in logs {
                group.addTask {
                    for offset in stride(from: 0, to: log.count, by: batch) {
                        _ = try await store.append(
                            vault: user.vault, site: log[0].site, changes: Array(log[offset..<min(offset + batch, log.count)]))
                    }
                }
            }
            try await group.waitForAll()
        }
    } else {
        for log in logs {
            for offset in stride(from: 0, to: log.count, by: batch) {
                _ = try await store.append(
                    vault: user.vault, site: log[0].site, changes: Array(log[offset..<min(offset + batch, log.count)]))
            }
        }
    }
    let appended = now()
    var read = 0
    for log in logs {
        var after: Int64 = 0
        while true {
            let page = try await store.changes(vault: user.vault, site: log[0].site, after: after, limit: batch, maxBytes: 8 << 20)
            read += page.changes.count
            after = page.changes.last?.seq ?? after
            if !page.more || page.changes.isEmpty { break }
        }
    }
    let done = now()
    guard read == total else { throw ServerStoreError.corrupt("read back \(read) of \(total) changes") }
    _ = try await store.removeUser(named: user.name)
    return (Double(total) / (appended - start), Double(total) / (done - appended))
}
