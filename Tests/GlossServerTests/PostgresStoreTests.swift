import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Logging
import PostgresNIO
import Testing

/// What only the PostgreSQL store promises: several `gloss serve` processes sharing one
/// database, PostgreSQL going away and coming back, concurrent start-ups. (Everything both
/// stores promise is in the parameterised suites.)
@Suite("PostgreSQL store, several processes", .enabled(if: TestDatabase.enabled), .timeLimit(.minutes(5)))
struct PostgresStoreTests {
    /// Runs `body`, then `cleanup` — also when `body` throws.
    func finally<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
        do {
            let value = try await body()
            await cleanup()
            return value
        } catch {
            await cleanup()
            throw error
        }
    }

    /// Runs `body` with the URL of a fresh database, dropped afterwards.
    func withDatabase(_ body: (String, PostgresConfiguration) async throws -> Void) async throws {
        let directory = URL(fileURLWithPath: "/tmp/gloss-pg-\(UUID().uuidString)")
        let config = try await TestDatabase.create(for: directory)
        var failure: (any Error)?
        do {
            try await body(try TestDatabase.url(database: config.database), config)
        } catch {
            failure = error
        }
        await TestDatabase.drop(for: directory)
        if let failure { throw failure }
    }

    static func batches(_ log: [Change], of size: Int) -> [[Change]] {
        stride(from: 0, to: log.count, by: size).map { Array(log[$0..<min($0 + size, log.count)]) }
    }

    static func addUser(_ name: String, password: String, store: [String]) async throws {
        let result = try await ServerProcess.run(["serve", "user", "add", name] + store, stdin: password + "\n")
        try #require(result.status == 0, "user add: \(result.stderr)")
    }

    @Test func twoProcessesSharingOneDatabaseLoseAndDuplicateNothing() async throws {
        try await withDatabase { url, _ in
            let store = ["--database", url]
            let a = try await ServerProcess.start(store, extra: ["--rate-limit", "100000"])
            try await finally {
            let b = try await ServerProcess.start(store, extra: ["--rate-limit", "100000"])
            try await finally {
            #expect(a.url != b.url)
            try await Self.addUser("alice", password: "pw", store: store)
            let servers = [LiveClient(a.url), LiveClient(b.url)]
            // A token issued by one process works on the other: tokens live in the database.
            let token = try await servers[0].login("alice", password: "pw")

            // The same log pushed whole by four clients at once, batch by batch, each batch
            // through alternating processes; and four logs of their own, one client each.
            let shared = Log.make(count: 600)
            let own = (0..<4).map { _ in Log.make(count: 300) }
            struct Outcome: Sendable {
                var site: String
                var status: Int
                var accepted: Int
            }
            let outcomes = try await withThrowingTaskGroup(of: [Outcome].self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var out: [Outcome] = []
                        for (i, batch) in Self.batches(shared, of: 50).enumerated() {
                            let result = try await servers[(client + i) % 2].push(token, batch)
                            let accepted = (try? result.decode(PushResponse.self))?.accepted ?? -1
                            out.append(Outcome(site: batch[0].site, status: result.status, accepted: accepted))
                        }
                        return out
                    }
                }
                for (n, log) in own.enumerated() {
                    group.addTask {
                        var out: [Outcome] = []
                        for (i, batch) in Self.batches(log, of: 40).enumerated() {
                            let result = try await servers[(n + i) % 2].push(token, batch)
                            let accepted = (try? result.decode(PushResponse.self))?.accepted ?? -1
                            out.append(Outcome(site: batch[0].site, status: result.status, accepted: accepted))
                        }
                        return out
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(outcomes.allSatisfy { $0.status == 200 })
            // Each record was stored exactly once, whoever carried it.
            #expect(outcomes.filter { $0.site == shared[0].site }.map(\.accepted).reduce(0, +) == 600)
            for log in own {
                #expect(outcomes.filter { $0.site == log[0].site }.map(\.accepted).reduce(0, +) == 300)
            }

            // Two replicas that share a site id race through different processes: one log
            // wins whole, the other is refused at its first batch.
            let site = Site.random()
            let racers = [
                Log.make(site: site, count: 100, value: { "first \($0)" }),
                Log.make(site: site, count: 100, value: { "second \($0)" }),
            ]
            let race = try await withThrowingTaskGroup(of: (Int, [HTTPResult]).self) { group in
                for (n, log) in racers.enumerated() {
                    group.addTask {
                        var results: [HTTPResult] = []
                        for batch in Self.batches(log, of: 20) {
                            let result = try await servers[n].push(token, batch)
                            results.append(result)
                            if result.status != 200 { break }
                        }
                        return (n, results)
                    }
                }
                return try await group.reduce(into: [Int: [HTTPResult]]()) { $0[$1.0] = $1.1 }
            }
            let winner = try #require(race.first { $0.value.count == 5 && $0.value.allSatisfy { $0.status == 200 } }?.key)
            let loser = try #require(race[1 - winner])
            #expect(loser.count == 1 && loser[0].status == 409 && loser[0].errorCode == "site_forked")

            // Afterwards: a fork and a gap are refused by either process.
            let forked = Log.rehashed(shared[120]) { $0.value = "not what was pushed" }
            for server in servers {
                let fork = try await server.push(token, Array(shared[100..<120]) + [forked])
                #expect(fork.status == 409 && fork.errorCode == "site_forked")
                let gap = try await server.push(token, Log.make(site: own[0][0].site, count: 310).suffix(5).map { $0 })
                #expect(gap.status == 409 && gap.errorCode == "seq_gap")
            }

            // Both processes answer the same vector and the same logs: complete, in order,
            // no duplicates, no gaps.
            var expected: VersionVector = [shared[0].site: 600, site: 100]
            for log in own { expected[log[0].site] = 300 }
            for server in servers {
                #expect(try await server.vector(token) == expected)
                #expect(try await server.pullAll(token, site: shared[0].site) == shared)
                for log in own { #expect(try await server.pullAll(token, site: log[0].site) == log) }
                #expect(try await server.pullAll(token, site: site) == racers[winner])
            }
            #expect(await a.stop() == 0)
            #expect(await b.stop() == 0)
            } cleanup: { await b.stop() }
            } cleanup: { await a.stop() }
        }
    }

    /// The real CLI end to end: two libraries, each syncing through its own `gloss serve`
    /// process, both processes on one database.
    @Test func twoLibrariesSyncingThroughDifferentProcessesConverge() async throws {
        try await withDatabase { url, _ in
            let store = ["--database", url]
            let a = try await ServerProcess.start(store)
            try await finally {
                let b = try await ServerProcess.start(store)
                try await finally {
                    try await Self.addUser("alice", password: "pw", store: store)
                    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-pg-cli-\(UUID().uuidString)")
                    defer { try? FileManager.default.removeItem(at: root) }
                    let laptop = root.appendingPathComponent("laptop"), desktop = root.appendingPathComponent("desktop")
                    func gloss(_ home: URL, _ arguments: [String], stdin: String? = nil) async throws -> String {
                        let result = try await ServerProcess.run(arguments, stdin: stdin, home: home)
                        try #require(result.status == 0, "gloss \(arguments.joined(separator: " ")): \(result.stderr)")
                        return result.stdout
                    }
                    for (home, server) in [(laptop, a), (desktop, b)] {
                        _ = try await gloss(home, ["remote", "add", "team", server.url.absoluteString])
                        _ = try await gloss(home, ["login", "team", "--user", "alice"], stdin: "pw\n")
                    }
                    _ = try await gloss(laptop, ["note", "add", "-"], stdin: "written on the laptop\n")
                    _ = try await gloss(desktop, ["note", "add", "-"], stdin: "written on the desktop\n")
                    for home in [laptop, desktop, laptop] { _ = try await gloss(home, ["sync", "team"]) }
                    let onLaptop = try await gloss(laptop, ["note", "list", "--json"])
                    let onDesktop = try await gloss(desktop, ["note", "list", "--json"])
                    #expect(onLaptop == onDesktop)
                    let notes = try #require(try JSONSerialization.jsonObject(with: Data(onLaptop.utf8)) as? [Any])
                    #expect(notes.count == 2)
                } cleanup: { await b.stop() }
            } cleanup: { await a.stop() }
        }
    }

    @Test func aPostgreSQLRestartGivesRetryable503sAndTheRerunCompletes() async throws {
        let cluster = try await PrivateCluster.make()
        try await finally {
        let store = ["--database", cluster.url]
        let server = try await ServerProcess.start(store)
        try await finally {
        try await Self.addUser("alice", password: "pw", store: store)
        let client = LiveClient(server.url)
        let token = try await client.login("alice", password: "pw")
        let log = Log.make(count: 400)
        let batches = Self.batches(log, of: 20)
        for batch in batches[0..<5] {
            #expect(try await client.push(token, batch).status == 200)
        }

        // Traffic: a client pushing the rest, retrying 503s as the HTTP remote does.
        actor Progress {
            var pushed = 0
            var statuses: [Int] = []
            func record(_ status: Int) {
                statuses.append(status)
                if status == 200 { pushed += 1 }
            }
        }
        let progress = Progress()
        let pusher = Task {
            for batch in batches[5...] {
                for attempt in 1...200 {
                    let result = try await client.push(token, batch)
                    await progress.record(result.status)
                    if result.status == 200 { break }
                    guard result.status == 503, attempt < 200 else {
                        throw LiveClient.Failed(description: "push got \(result.status): \(String(decoding: result.body, as: UTF8.self))")
                    }
                    try await Task.sleep(for: .milliseconds(250))  // the client's backoff, not a timing assertion
                }
            }
        }
        while await progress.pushed < 2 { try await Task.sleep(for: .milliseconds(20)) }

        try await cluster.stop()
        // While PostgreSQL is down every request that needs it gets 503 with the JSON error.
        let push = try await client.push(token, Array(log[0..<20]))
        #expect(push.status == 503 && push.errorCode == "unavailable")
        #expect(WireErrorCode.unavailable.isRetryable)
        let vector = try await client.request("GET", Wire.Path.vector, token: token)
        #expect(vector.status == 503 && vector.errorCode == "unavailable")
        try await cluster.start()

        try await pusher.value
        let statuses = await progress.statuses
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 503 })
        // A rerun of the whole sync succeeds and skips what is held; the data is complete.
        var accepted = 0
        for batch in batches {
            let result = try await client.push(token, batch)
            try #require(result.status == 200)
            accepted += try result.decode(PushResponse.self).accepted
        }
        #expect(accepted == 0)
        #expect(try await client.vector(token) == [log[0].site: 400])
        #expect(try await client.pullAll(token, site: log[0].site) == log)
        } cleanup: { await server.stop() }
        } cleanup: { await cluster.destroy() }
    }

    @Test func migrationsRunConcurrentlyByFourStoresDoNotFail() async throws {
        try await withDatabase { _, config in
            let stores = try await withThrowingTaskGroup(of: PostgresServerStore.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await PostgresServerStore(configuration: config, logger: TestDatabase.logger) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(stores.count == 4)
            _ = try await stores[0].addUser(name: "alice", passwordHash: "x", createdAt: Date())
            #expect(try await stores[3].user(named: "alice")?.name == "alice")
            // And a later start finds nothing to do.
            let again = try await PostgresServerStore(configuration: config, logger: TestDatabase.logger)
            #expect(try await again.userSummaries().map(\.name) == ["alice"])
            for store in stores + [again] { try await store.close() }

            let client = PostgresClient(configuration: config.clientConfiguration, backgroundLogger: TestDatabase.logger)
            let run = Task { await client.run() }
            defer { run.cancel() }
            var names: [String] = []
            for try await name in try await client.query("SELECT name FROM gloss.migrations ORDER BY name", logger: TestDatabase.logger)
                .decode(String.self)
            {
                names.append(name)
            }
            #expect(names == ["v1"])
        }
    }

    @Test func everyServeCommandTakesDatabase() async throws {
        try await withDatabase { url, _ in
            let store = ["--database", url]
            try await Self.addUser("bob", password: "pw", store: store)
            let list = try await ServerProcess.run(["serve", "user", "list", "--json"] + store)
            #expect(list.status == 0)
            #expect(list.stdout.contains("\"bob\""))
            let rm = try await ServerProcess.run(["serve", "user", "rm", "bob"] + store)
            #expect(rm.status == 0)
            let again = try await ServerProcess.run(["serve", "user", "rm", "bob"] + store)
            #expect(again.status == 1 && again.stderr.contains("error: no user named bob"))
        }
    }

    @Test(arguments: [
        ["serve", "user", "list"],
        ["serve", "user", "list", "--data", "/tmp/x", "--database", "postgres://u@127.0.0.1/db"],
        ["serve", "user", "list", "--database", "mysql://u@host/db"],
        ["serve", "--data", "/tmp/x", "--database", "postgres://u@127.0.0.1/db"],
    ])
    func theStoreMustBeGivenExactlyOnce(arguments: [String]) async throws {
        let result = try await ServerProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--data") || result.stderr.contains("database URL"))
    }

    @Test func anUnreachableDatabaseIsAClearError() async throws {
        // Port 1 on loopback: nothing listens there.
        let result = try await ServerProcess.run(["serve", "user", "list", "--database", "postgres://u@127.0.0.1:1/db?sslmode=disable"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: the server store is unavailable"))
    }
}
