import Foundation
import GlossStorage
import GlossSync
import Logging
import PostgresNIO

/// The shared store: a PostgreSQL database that several server processes (behind a load
/// balancer) use at once (DESIGN.md §5). Nothing that decides what a push may store lives in
/// process memory: each append is one transaction that takes a per-(vault, site) advisory lock,
/// re-reads the site's head under it and applies `PushCheck.plan`, and the primary key
/// `(vault, site, seq)` and a head update conditional on the head it read back that up.
///
/// Every operation runs on a bounded pool (`PostgresConfiguration.maxConnections`) and within
/// `operationTimeout`; a lost or unreachable database throws `ServerStoreError.unavailable`.
public final class PostgresServerStore: ServerStore {
    let client: PostgresClient
    let logger: Logger
    let configuration: PostgresConfiguration
    private let runTask: Task<Void, Never>

    /// Connects and runs the migrations (serialized across processes by an advisory lock).
    /// Throws `ServerStoreError.unavailable` when the database cannot be reached or migrated.
    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "gloss.store.postgres"))
        async throws
    {
        self.configuration = configuration
        self.logger = logger
        // Migrate first, on a connection of its own: a database that cannot be reached fails
        // here, before a pool starts retrying in the background.
        try await Self.migrate(configuration: configuration, logger: logger)
        let client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
        self.client = client
        runTask = Task { await client.run() }
    }

    public func close() async throws {
        runTask.cancel()
        await runTask.value
    }

    // MARK: Running queries

    /// Runs store work within the operation timeout, turning database failures into
    /// `ServerStoreError.unavailable`. Push rejections and store errors pass through.
    func guarded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Self.guarded(timeout: configuration.operationTimeout, work)
    }

    static func guarded<T: Sendable>(timeout: Duration, _ work: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        do {
            return try await Deadline.run(timeout, work)
        } catch let error as PushRejection {
            throw error
        } catch let error as ServerStoreError {
            throw error
        } catch is Deadline.Expired {
            throw ServerStoreError.unavailable("PostgreSQL did not answer within \(timeout)")
        } catch {
            throw ServerStoreError.unavailable(describe(error))
        }
    }

    /// A short account of a database error for logs and messages (postgres-nio's own
    /// description hides everything to avoid leaking bound values).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                return "PostgreSQL error \(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return String(describing: error)
    }

    /// True for SQLSTATE 23505 (unique_violation).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    /// Runs `work` in one transaction on one pooled connection: COMMIT when it returns,
    /// ROLLBACK when it throws (the error comes through unwrapped).
    func transaction<T: Sendable>(_ work: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            let value: T
            do {
                value = try await work(connection)
            } catch {
                do {
                    try await connection.query("ROLLBACK", logger: logger)
                } catch {
                    // The connection's state is unknown: never hand it back to the pool.
                    try? await connection.close()
                }
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return value
        }
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    // MARK: Accounts

    public func addUser(name: String, passwordHash: String, createdAt: Date) async throws -> UserRecord {
        try ServerStoreError.validateUserName(name)
        let created = Self.millis(createdAt)
        return try await guarded { [client, logger] in
            do {
                let rows = try await client.query(
                    """
                    INSERT INTO gloss.users (name, password_hash, created_at)
                    VALUES (\(name), \(passwordHash), \(created)) RETURNING id
                    """, logger: logger)
                for try await id in rows.decode(Int64.self) {
                    return UserRecord(id: id, name: name, passwordHash: passwordHash, createdAt: Self.date(created))
                }
                throw ServerStoreError.unavailable("INSERT returned no id")
            } catch where Self.isUniqueViolation(error) {
                throw ServerStoreError.userExists(name)
            }
        }
    }

    public func user(named name: String) async throws -> UserRecord? {
        try await guarded { [client, logger] in
            let rows = try await client.query(
                "SELECT id, name, password_hash, created_at FROM gloss.users WHERE name = \(name)", logger: logger)
            for try await (id, name, hash, created) in rows.decode((Int64, String, String, Int64).self) {
                return UserRecord(id: id, name: name, passwordHash: hash, createdAt: Self.date(created))
            }
            return nil
        }
    }

    public func userSummaries() async throws -> [UserSummary] {
        try await guarded { [client, logger] in
            let rows = try await client.query(
                """
                SELECT u.name, u.created_at,
                       (SELECT COUNT(*) FROM gloss.heads h WHERE h.vault = u.id),
                       (SELECT COALESCE(SUM(h.seq), 0)::bigint FROM gloss.heads h WHERE h.vault = u.id)
                FROM gloss.users u ORDER BY u.name COLLATE "C"
                """, logger: logger)
            var out: [UserSummary] = []
            for try await (name, created, sites, changes) in rows.decode((String, Int64, Int64, Int64).self) {
                out.append(UserSummary(name: name, createdAt: Self.date(created), sites: Int(sites), changes: changes))
            }
            return out
        }
    }

    public func removeUser(named name: String) async throws -> Bool {
        try await guarded { [client, logger] in
            // Tokens, heads and changes go with the user (ON DELETE CASCADE).
            let rows = try await client.query("DELETE FROM gloss.users WHERE name = \(name) RETURNING id", logger: logger)
            var removed = false
            for try await _ in rows { removed = true }
            return removed
        }
    }

    // MARK: Tokens

    public func addToken(hash: String, user: Int64, createdAt: Date, expiresAt: Date) async throws {
        let created = Self.millis(createdAt)
        let expires = Self.millis(expiresAt)
        let forgetBefore = created - 7 * 86_400_000
        try await guarded { [self] in
            try await transaction { connection in
                // Tokens that expired more than a week ago are forgotten at the next login.
                try await connection.query(
                    "DELETE FROM gloss.tokens WHERE user_id = \(user) AND expires_at < \(forgetBefore)", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO gloss.tokens (hash, user_id, created_at, expires_at)
                    VALUES (\(hash), \(user), \(created), \(expires))
                    """, logger: logger)
            }
        }
    }

    public func tokenStatus(hash: String, now: Date) async throws -> TokenStatus {
        let now = Self.millis(now)
        return try await guarded { [client, logger] in
            let rows = try await client.query(
                """
                SELECT t.expires_at, u.id, u.name, u.password_hash, u.created_at
                FROM gloss.tokens t JOIN gloss.users u ON u.id = t.user_id
                WHERE t.hash = \(hash)
                """, logger: logger)
            for try await (expires, id, name, passwordHash, created) in rows.decode(
                (Int64, Int64, String, String, Int64).self)
            {
                if expires <= now { return .expired }
                return .valid(UserRecord(id: id, name: name, passwordHash: passwordHash, createdAt: Self.date(created)))
            }
            return .unknown
        }
    }

    public func revokeToken(hash: String) async throws {
        try await guarded { [client, logger] in
            _ = try await client.query("DELETE FROM gloss.tokens WHERE hash = \(hash)", logger: logger)
        }
    }

    // MARK: Vaults

    public func versionVector(vault: VaultID) async throws -> VersionVector {
        let vault = vault.rawValue
        return try await guarded { [client, logger] in
            let rows = try await client.query("SELECT site, seq FROM gloss.heads WHERE vault = \(vault)", logger: logger)
            var vector = VersionVector()
            for try await (site, seq) in rows.decode((String, Int64).self) { vector[site] = seq }
            return vector
        }
    }

    /// One transaction: lock the (vault, site) log, re-read its head and the held hashes the
    /// batch overlaps, decide with `PushCheck.plan`, insert, and move the head — only if it is
    /// still the one read (a second guard besides the lock). Two processes pushing the same site
    /// queue on the lock; the second sees the first's records and skips or refuses them.
    public func append(vault: VaultID, site: String, changes: [Change]) async throws -> AppendResult {
        guard let first = changes.first, let last = changes.last else {
            let vector = try await versionVector(vault: vault)
            return AppendResult(accepted: 0, skipped: 0, head: vector[site] ?? 0)
        }
        let records = changes.map(ChangeJSON.encode)
        let vault = vault.rawValue
        return try await guarded { [self] in
            try await transaction { connection in
                // Serializes appends to this log across every process sharing the database;
                // released at COMMIT or ROLLBACK.
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(site), \(vault)))", logger: logger)
                var head: PushCheck.Head?
                for try await (seq, hash) in try await connection.query(
                    "SELECT seq, hash FROM gloss.heads WHERE vault = \(vault) AND site = \(site) FOR UPDATE",
                    logger: logger
                ).decode((Int64, String).self) {
                    head = PushCheck.Head(seq: seq, hash: hash)
                }
                var held: [Int64: String] = [:]
                if let head, first.seq <= head.seq {
                    let upper = min(last.seq, head.seq)
                    for try await (seq, hash) in try await connection.query(
                        """
                        SELECT seq, hash FROM gloss.changes
                        WHERE vault = \(vault) AND site = \(site) AND seq BETWEEN \(first.seq) AND \(upper)
                        """, logger: logger
                    ).decode((Int64, String).self) {
                        held[seq] = hash
                    }
                }
                let plan = try PushCheck.plan(batch: changes, head: head, heldHashes: held)
                guard let newLast = plan.insert.last else {
                    return AppendResult(accepted: 0, skipped: plan.skipped, head: head?.seq ?? 0)
                }
                // The head moves only from the head read above (0 rows otherwise).
                let expected = head?.seq ?? 0
                var moved = 0
                for try await _ in try await connection.query(
                    """
                    INSERT INTO gloss.heads AS h (vault, site, seq, hash)
                    VALUES (\(vault), \(site), \(newLast.seq), \(newLast.hash))
                    ON CONFLICT (vault, site) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                    WHERE h.seq = \(expected)
                    RETURNING h.seq
                    """, logger: logger)
                {
                    moved += 1
                }
                guard moved == 1 else {
                    throw ServerStoreError.unavailable("the log of \(site) moved during the push; retry")
                }
                let range = plan.insert.indices
                let seqs = plan.insert.map(\.seq)
                let hashes = plan.insert.map(\.hash)
                let bodies = records[range].map { ByteBuffer(bytes: $0) }
                // One statement for the whole batch; the primary key refuses any duplicate.
                try await connection.query(
                    """
                    INSERT INTO gloss.changes (vault, site, seq, hash, record)
                    SELECT \(vault), \(site), s, h, r
                    FROM unnest(\(seqs)::bigint[], \(hashes)::text[], \(bodies)::bytea[]) AS t(s, h, r)
                    """, logger: logger)
                return AppendResult(accepted: plan.insert.count, skipped: plan.skipped, head: newLast.seq)
            }
        }
    }

    public func changes(vault: VaultID, site: String, after: Int64, limit: Int, maxBytes: Int) async throws
        -> ChangePage
    {
        let vault = vault.rawValue
        let fetch = Int64(limit) + 1
        let (records, more): ([ByteBuffer], Bool) = try await guarded { [client, logger] in
            let rows = try await client.query(
                """
                SELECT record FROM gloss.changes
                WHERE vault = \(vault) AND site = \(site) AND seq > \(after)
                ORDER BY seq LIMIT \(fetch)
                """, logger: logger)
            var out: [ByteBuffer] = []
            var bytes = 0
            var more = false
            for try await record in rows.decode(ByteBuffer.self) {
                if more { continue }  // drain the rest of the (bounded) result
                if out.count == limit || (!out.isEmpty && bytes + record.readableBytes > maxBytes) {
                    more = true
                    continue
                }
                bytes += record.readableBytes
                out.append(record)
            }
            return (out, more)
        }
        let decoder = Wire.decoder()
        let changes = try records.map { record in
            let data = Data(record.readableBytesView)
            if let change = ChangeJSON.decodeChange(data) { return change }
            do {
                return try decoder.decode(Change.self, from: data)
            } catch {
                throw ServerStoreError.corrupt("a change of site \(site) in vault \(vault)")
            }
        }
        return ChangePage(changes: changes, more: more)
    }
}
