import Foundation
import GRDB
import GlossStorage
import GlossSync

/// The embedded store: one SQLite file (`server.sqlite` in the data directory), WAL mode, for a
/// single server process (DESIGN.md §5). Pushes are serialized by SQLite's single writer.
public final class SQLiteServerStore: ServerStore {
    public static let fileName = "server.sqlite"
    private let pool: DatabasePool

    /// Opens (creating if needed, mode 0700) `directory` and the store file in it, and migrates.
    public init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(
                path: directory.appendingPathComponent(Self.fileName).path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw ServerStoreError.unavailable("\(directory.path): \(error.message ?? "\(error)")")
        } catch {
            throw ServerStoreError.unavailable("\(directory.path): \(error.localizedDescription)")
        }
    }

    /// Append-only, named migrations (STYLE.md 5).
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        password_hash TEXT NOT NULL,
                        created_at INTEGER NOT NULL);
                    CREATE TABLE tokens (
                        hash TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL);
                    CREATE INDEX tokens_user ON tokens(user_id);
                    CREATE TABLE heads (
                        vault INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        site TEXT NOT NULL,
                        seq INTEGER NOT NULL CHECK (seq >= 1),
                        hash TEXT NOT NULL,
                        PRIMARY KEY (vault, site)) WITHOUT ROWID;
                    CREATE TABLE changes (
                        vault INTEGER NOT NULL,
                        site TEXT NOT NULL,
                        seq INTEGER NOT NULL CHECK (seq >= 1),
                        hash TEXT NOT NULL,
                        record BLOB NOT NULL,
                        PRIMARY KEY (vault, site, seq),
                        FOREIGN KEY (vault, site) REFERENCES heads(vault, site) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    private static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    private static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// Runs store work, turning database failures into `ServerStoreError.unavailable`.
    private func guarded<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as DatabaseError where error.resultCode != .SQLITE_CONSTRAINT {
            throw ServerStoreError.unavailable(error.message ?? "\(error)")
        }
    }

    private static func user(_ row: Row) -> UserRecord {
        UserRecord(
            id: row["id"], name: row["name"], passwordHash: row["password_hash"],
            createdAt: date(row["created_at"]))
    }

    // MARK: Accounts

    public func addUser(name: String, passwordHash: String, createdAt: Date) async throws -> UserRecord {
        try ServerStoreError.validateUserName(name)
        return try await guarded {
            do {
                return try await pool.write { db in
                    try db.execute(
                        literal: """
                            INSERT INTO users (name, password_hash, created_at)
                            VALUES (\(name), \(passwordHash), \(Self.millis(createdAt)))
                            """)
                    return UserRecord(
                        id: db.lastInsertedRowID, name: name, passwordHash: passwordHash,
                        createdAt: Self.date(Self.millis(createdAt)))
                }
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw ServerStoreError.userExists(name)
            }
        }
    }

    public func user(named name: String) async throws -> UserRecord? {
        try await guarded {
            try await pool.read { db in
                try Row.fetchOne(db, SQLRequest<Row>(literal: "SELECT * FROM users WHERE name = \(name)")).map(Self.user)
            }
        }
    }

    public func userSummaries() async throws -> [UserSummary] {
        try await guarded {
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT u.name, u.created_at,
                               (SELECT COUNT(*) FROM heads h WHERE h.vault = u.id) AS sites,
                               (SELECT COALESCE(SUM(h.seq), 0) FROM heads h WHERE h.vault = u.id) AS changes
                        FROM users u ORDER BY u.name
                        """
                ).map { row in
                    UserSummary(
                        name: row["name"], createdAt: Self.date(row["created_at"]), sites: row["sites"],
                        changes: row["changes"])
                }
            }
        }
    }

    public func removeUser(named name: String) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(literal: "DELETE FROM users WHERE name = \(name)")
                return db.changesCount > 0
            }
        }
    }

    // MARK: Tokens

    public func addToken(hash: String, user: Int64, createdAt: Date, expiresAt: Date) async throws {
        try await guarded {
            try await pool.write { db in
                let week: Int64 = 7 * 86_400_000
                try db.execute(
                    literal: "DELETE FROM tokens WHERE user_id = \(user) AND expires_at < \(Self.millis(createdAt) - week)")
                try db.execute(
                    literal: """
                        INSERT INTO tokens (hash, user_id, created_at, expires_at)
                        VALUES (\(hash), \(user), \(Self.millis(createdAt)), \(Self.millis(expiresAt)))
                        """)
            }
        }
    }

    public func tokenStatus(hash: String, now: Date) async throws -> TokenStatus {
        try await guarded {
            try await pool.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        SQLRequest<Row>(literal: """
                            SELECT t.expires_at, u.* FROM tokens t JOIN users u ON u.id = t.user_id
                            WHERE t.hash = \(hash)
                            """))
                else { return .unknown }
                let expires: Int64 = row["expires_at"]
                return expires <= Self.millis(now) ? .expired : .valid(Self.user(row))
            }
        }
    }

    public func revokeToken(hash: String) async throws {
        try await guarded {
            try await pool.write { db in
                try db.execute(literal: "DELETE FROM tokens WHERE hash = \(hash)")
            }
        }
    }

    // MARK: Vaults

    public func versionVector(vault: VaultID) async throws -> VersionVector {
        try await guarded {
            try await pool.read { db in
                var vector = VersionVector()
                let rows = try Row.fetchCursor(
                    db, SQLRequest<Row>(literal: "SELECT site, seq FROM heads WHERE vault = \(vault.rawValue)"))
                while let row = try rows.next() { vector[row["site"]] = row["seq"] }
                return vector
            }
        }
    }

    public func append(vault: VaultID, site: String, changes: [Change]) async throws -> AppendResult {
        guard let first = changes.first, let last = changes.last else {
            let vector = try await versionVector(vault: vault)
            return AppendResult(accepted: 0, skipped: 0, head: vector[site] ?? 0)
        }
        // Encode outside the write transaction: the writer is the bottleneck.
        let records = changes.map(ChangeJSON.encode)
        return try await guarded {
            try await pool.write { db in
                let head = try Row.fetchOne(
                    db, SQLRequest<Row>(literal: "SELECT seq, hash FROM heads WHERE vault = \(vault.rawValue) AND site = \(site)")
                ).map { PushCheck.Head(seq: $0["seq"], hash: $0["hash"]) }
                var held: [Int64: String] = [:]
                if let head, first.seq <= head.seq {
                    let rows = try Row.fetchCursor(
                        db,
                        SQLRequest<Row>(literal: """
                            SELECT seq, hash FROM changes
                            WHERE vault = \(vault.rawValue) AND site = \(site)
                              AND seq BETWEEN \(first.seq) AND \(min(last.seq, head.seq))
                            """))
                    while let row = try rows.next() { held[row["seq"]] = row["hash"] }
                }
                let plan = try PushCheck.plan(batch: changes, head: head, heldHashes: held)
                guard let newLast = plan.insert.last else {
                    return AppendResult(accepted: 0, skipped: plan.skipped, head: head?.seq ?? 0)
                }
                try db.execute(
                    literal: """
                        INSERT INTO heads (vault, site, seq, hash)
                        VALUES (\(vault.rawValue), \(site), \(newLast.seq), \(newLast.hash))
                        ON CONFLICT (vault, site) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                        """)
                let insert = try db.makeStatement(
                    sql: "INSERT INTO changes (vault, site, seq, hash, record) VALUES (?, ?, ?, ?, ?)")
                for (offset, change) in zip(plan.insert.indices, plan.insert) {
                    try insert.execute(arguments: [vault.rawValue, site, change.seq, change.hash, records[offset]])
                }
                return AppendResult(accepted: plan.insert.count, skipped: plan.skipped, head: newLast.seq)
            }
        }
    }

    public func changes(vault: VaultID, site: String, after: Int64, limit: Int, maxBytes: Int) async throws
        -> ChangePage
    {
        let rows: [Data] = try await guarded {
            try await pool.read { db in
                var out: [Data] = []
                var bytes = 0
                let cursor = try Data.fetchCursor(
                    db,
                    SQLRequest<Data>(literal: """
                        SELECT record FROM changes
                        WHERE vault = \(vault.rawValue) AND site = \(site) AND seq > \(after)
                        ORDER BY seq LIMIT \(limit + 1)
                        """))
                while let record = try cursor.next() {
                    if out.count == limit || (!out.isEmpty && bytes + record.count > maxBytes) {
                        out.append(Data())  // marks "more"
                        break
                    }
                    bytes += record.count
                    out.append(record)
                }
                return out
            }
        }
        let more = rows.last?.isEmpty == true
        let decoder = Wire.decoder()
        let changes = try rows.prefix(more ? rows.count - 1 : rows.count).map { record in
            if let change = ChangeJSON.decodeChange(record) { return change }
            do {
                return try decoder.decode(Change.self, from: record)
            } catch {
                throw ServerStoreError.corrupt("a change of site \(site) in vault \(vault)")
            }
        }
        return ChangePage(changes: changes, more: more)
    }

    public func close() async throws {
        try pool.close()
    }
}
