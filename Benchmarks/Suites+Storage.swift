import Foundation
import GRDB
import GlossStorage

/// Benchmark suites of this area.
let storageSuites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "storage") { arguments in try StorageBenchmark(arguments).run() }
]

/// Issue 2's figures: notes created per second through the library (change capture + FTS)
/// beside plain SQL inserts of the same rows (no change log) into the same schema; search
/// latency at 100,000 notes beside the raw FTS5 query on the same database. Options:
/// `--storage-notes N` (default 100000).
struct StorageBenchmark {
    let total: Int
    let writeSample: Int
    let batch = 1_000
    let folder: URL

    init(_ arguments: BenchmarkArguments) {
        total = Int(arguments.options["storage-notes"] ?? "") ?? 100_000
        writeSample = min(total / 2, 20_000)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(UUID().uuidString)")
    }

    /// A deterministic body: 30 words from a synthetic vocabulary; `common` in every tenth note,
    /// `zyxwrare` in exactly ten.
    func body(_ i: Int, _ random: inout SplitMix) -> String {
        var words = (0..<30).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }
        if i % 10 == 0 { words[3] = "common" }
        if i % (total / 10) == 7 { words[11] = "zyxwrare" }
        return words.joined(separator: " ")
    }

    func run() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try Library.open(folder: folder.appendingPathComponent("library"))

        // Plain SQL baseline: the same notes table and FTS index, no change log, no merge.
        let plainFile = folder.appendingPathComponent("plain.sqlite")
        var config = Configuration()
        config.prepareDatabase { db in db.add(tokenizer: CJKTokenizer.self) }
        let plain = try DatabasePool(path: plainFile.path, configuration: config)
        try plain.write { db in
            try db.execute(sql: """
                CREATE TABLE notes (num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL,
                    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                CREATE VIRTUAL TABLE search USING fts5(title, body, tokenize = 'gloss_cjk');
                """)
        }

        var random = SplitMix(seed: 42)
        let bodies = (0..<total).map { body($0, &random) }

        // Writes, batched 1,000 per transaction on both sides, the two sides alternating batch by
        // batch so both see the same machine load.
        var apiSeconds = 0.0, plainSeconds = 0.0
        for start in stride(from: 0, to: writeSample, by: batch) {
            let range = start..<min(writeSample, start + batch)
            let t0 = now()
            try library.write { writer in
                for i in range { try writer.createNote(body: bodies[i]) }
            }
            apiSeconds += now() - t0
            let t1 = now()
            try plain.write { db in
                for i in range {
                    let at = Int64(Date().timeIntervalSince1970 * 1000)
                    try db.execute(
                        sql: "INSERT INTO notes (id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        arguments: [UUID().uuidString.lowercased(), bodies[i], at, at])
                    try db.execute(
                        sql: "INSERT INTO search (rowid, title, body) VALUES (?, '', ?)",
                        arguments: [db.lastInsertedRowID * 2, bodies[i]])
                }
            }
            plainSeconds += now() - t1
        }
        let apiRate = Double(writeSample) / apiSeconds
        let plainRate = Double(writeSample) / plainSeconds
        print("notes created (batches of \(batch), \(writeSample) notes): library \(Int(apiRate))/s (change log + FTS), plain SQL \(Int(plainRate))/s (rows + FTS, no log) — ratio \(ratio(apiRate, plainRate)) (target ≥ 0.5×)")

        // One transaction per note (what each `gloss note add` does).
        let singles = 300
        let singleStart = now()
        for i in 0..<singles { try library.write { try $0.createNote(body: bodies[writeSample + i]) } }
        let singleRate = Double(singles) / (now() - singleStart)
        let plainSingleStart = now()
        for i in 0..<singles {
            try plain.write { db in
                try db.execute(
                    sql: "INSERT INTO notes (id, body, created_at, updated_at) VALUES (?, ?, 0, 0)",
                    arguments: [UUID().uuidString.lowercased(), bodies[writeSample + i]])
                try db.execute(sql: "INSERT INTO search (rowid, title, body) VALUES (?, '', ?)", arguments: [db.lastInsertedRowID * 2, bodies[writeSample + i]])
            }
        }
        let plainSingleRate = Double(singles) / (now() - plainSingleStart)
        print("notes created (one transaction each, \(singles) notes): library \(Int(singleRate))/s, plain SQL \(Int(plainSingleRate))/s — ratio \(ratio(singleRate, plainSingleRate))")

        // Fill the library to `total` notes.
        let filled = writeSample + singles
        for start in stride(from: filled, to: total, by: batch) {
            try library.write { writer in
                for i in start..<min(total, start + batch) { try writer.createNote(body: bodies[i]) }
            }
        }

        // Search: the library's API (top 20 with snippets, ids and titles) beside the raw FTS5
        // query on the same database file (both with prepared statements cached).
        var rawConfig = Configuration()
        rawConfig.prepareDatabase { db in db.add(tokenizer: CJKTokenizer.self) }
        let raw = try DatabasePool(path: library.file.path, configuration: rawConfig)
        for (label, term) in [("rare", "zyxwrare"), ("common", "common")] {
            let found = try library.search(term, limit: 1_000_000).count
            var apiTimes: [Double] = [], rawTimes: [Double] = []
            let rounds = label == "rare" ? 400 : 100
            for _ in 0..<rounds {
                let t0 = now()
                let hits = try library.search(term, limit: 20)
                apiTimes.append(now() - t0)
                let t1 = now()
                let rows = try raw.read { db in
                    try Row.fetchAll(
                        db.cachedStatement(
                            sql: "SELECT rowid, snippet(search, -1, '[', ']', '…', 16), rank FROM search WHERE search MATCH ? ORDER BY rank LIMIT 20"),
                        arguments: ["\"\(term)\""])
                }.map { row -> (Int64, String, Double) in (row[0], row[1], row[2]) }  // read what a caller reads
                rawTimes.append(now() - t1)
                precondition(hits.count == rows.count)
            }
            let api = Percentiles(apiTimes), base = Percentiles(rawTimes)
            print(String(
                format: "search %@ term (%d of %d notes): library median %.3f ms p99 %.3f ms; raw FTS5 median %.3f ms p99 %.3f ms — ratio %@ median, %@ p99 (target ≤ 1.5×)",
                label, found, total, api.median * 1000, api.p99 * 1000, base.median * 1000, base.p99 * 1000,
                ratio(api.median, base.median), ratio(api.p99, base.p99)))
        }
    }

    let vocabulary: [String] = {
        var random = SplitMix(seed: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return (0..<2_000).map { _ in
            String((0..<(3 + Int(random.next() % 7))).map { _ in letters[Int(random.next() % 26)] })
        }
    }()
}

struct Percentiles {
    var median: Double
    var p99: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        median = sorted[sorted.count / 2]
        p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    }
}

/// A small deterministic generator (SplitMix64), so every run indexes the same text.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
