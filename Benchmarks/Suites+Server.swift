import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Benchmark suites of this area.
let serverSuites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "server", run: ServerBenchmark.run),
    serverStoreSuite,  // Suites+ServerStore.swift: SQLite and PostgreSQL stores side by side
]

/// The sync server's own cost: pushing and pulling a log over HTTP on loopback (JSON, hashing,
/// checks, the store), each beside the same work done by calling the SQLite store directly —
/// the ratio is what the HTTP layer costs. `--server-changes N` (default 100000).
enum ServerBenchmark {
    static let batchSize = 1000

    @Sendable static func run(_ arguments: BenchmarkArguments) async throws {
        let count = Int(arguments.options["server-changes"] ?? "") ?? 100_000
        let site = Site.random()
        var log: [Change] = []
        log.reserveCapacity(count)
        var prev = ""
        for i in 1...count {
            let change = Change(
                site: site, seq: Int64(i), entity: .note, entityId: "note-\(i % 500)", field: "body",
                value: "A note body of a typical length, edit number \(i), with some words in it.",
                hlc: HLC(millis: 1_700_000_000_000 + Int64(i), counter: 0), wall: 1_700_000_000_000 + Int64(i),
                prev: prev)
            prev = change.hash
            log.append(change)
        }
        let batches = stride(from: 0, to: count, by: batchSize).map { Array(log[$0..<min($0 + batchSize, count)]) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }

        // Baseline: the store alone (with the same validation the API runs).
        let direct = try SQLiteServerStore(directory: root.appendingPathComponent("direct"))
        let user = try await direct.addUser(name: "bench", passwordHash: "-", createdAt: Date())
        var t0 = now()
        for batch in batches {
            try PushCheck.validate(PushRequest(site: site, changes: batch), maxChanges: batchSize)
            _ = try await direct.append(vault: user.vault, site: site, changes: batch)
        }
        let directPush = Double(count) / (now() - t0)
        t0 = now()
        var after: Int64 = 0
        while true {
            let page = try await direct.changes(vault: user.vault, site: site, after: after, limit: batchSize, maxBytes: 8 << 20)
            guard let last = page.changes.last else { break }
            after = last.seq
        }
        let directPull = Double(count) / (now() - t0)
        try await direct.close()

        // Over HTTP on loopback.
        let store = try SQLiteServerStore(directory: root.appendingPathComponent("http"))
        _ = try await store.addUser(name: "bench", passwordHash: PasswordHasher(logN: 10).hash("pw"), createdAt: Date())
        var config = ServerConfiguration()
        config.port = 0
        config.rateLimitPerMinute = 1_000_000
        var logger = Logger(label: "gloss.bench.server")
        logger.logLevel = .warning
        let server = try await SyncServer(store: store, configuration: config, logger: logger).start()
        let session = URLSession(configuration: .ephemeral)
        func send(_ method: String, _ path: String, token: String?, body: Data?) async throws -> Data {
            var request = URLRequest(url: URL(string: server.url.absoluteString + path)!)
            request.httpMethod = method
            request.httpBody = body
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await session.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: String(decoding: data, as: UTF8.self)])
            }
            return data
        }
        let login = try await send("POST", Wire.Path.login, token: nil, body: Wire.encoder().encode(LoginRequest(user: "bench", password: "pw")))
        let token = try Wire.decoder().decode(LoginResponse.self, from: login).token
        let encoder = Wire.encoder()
        t0 = now()
        for batch in batches {
            _ = try await send("POST", Wire.Path.push, token: token, body: try encoder.encode(PushRequest(site: site, changes: batch)))
        }
        let httpPush = Double(count) / (now() - t0)
        t0 = now()
        after = 0
        var pulled = 0
        while true {
            let data = try await send("GET", Wire.Path.pull(site: site) + "?after=\(after)&limit=\(batchSize)", token: token, body: nil)
            let page = try Wire.decoder().decode(PullResponse.self, from: data)
            pulled += page.changes.count
            guard let last = page.changes.last, page.more else { break }
            after = last.seq
        }
        let httpPull = Double(count) / (now() - t0)
        try await server.stop()
        try await store.close()
        guard pulled == count else { throw CocoaError(.fileReadCorruptFile) }

        print("push \(count) changes, batches of \(batchSize):")
        print(String(format: "  over HTTP      %10.0f changes/s", httpPush))
        print(String(format: "  store directly %10.0f changes/s   (HTTP/direct %@)", directPush, ratio(httpPush, directPush)))
        print("pull \(count) changes, pages of \(batchSize):")
        print(String(format: "  over HTTP      %10.0f changes/s", httpPull))
        print(String(format: "  store directly %10.0f changes/s   (HTTP/direct %@)", directPull, ratio(httpPull, directPull)))
    }
}
