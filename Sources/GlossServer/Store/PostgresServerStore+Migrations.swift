import Foundation
import Logging
import PostgresNIO

extension PostgresServerStore {
    /// A named schema change. Append-only (STYLE.md 5): never edit or reorder one that has
    /// shipped; add a new one.
    struct Migration: Sendable {
        var name: String
        var statements: [String]
    }

    /// Everything lives in the schema `gloss`, so the store can share a database with others.
    static let migrations: [Migration] = [
        Migration(
            name: "v1",
            statements: [
                """
                CREATE TABLE gloss.users (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    name text NOT NULL UNIQUE,
                    password_hash text NOT NULL,
                    created_at bigint NOT NULL)
                """,
                """
                CREATE TABLE gloss.tokens (
                    hash text PRIMARY KEY,
                    user_id bigint NOT NULL REFERENCES gloss.users(id) ON DELETE CASCADE,
                    created_at bigint NOT NULL,
                    expires_at bigint NOT NULL)
                """,
                "CREATE INDEX tokens_user ON gloss.tokens(user_id)",
                """
                CREATE TABLE gloss.heads (
                    vault bigint NOT NULL REFERENCES gloss.users(id) ON DELETE CASCADE,
                    site text NOT NULL,
                    seq bigint NOT NULL CHECK (seq >= 1),
                    hash text NOT NULL,
                    PRIMARY KEY (vault, site))
                """,
                """
                CREATE TABLE gloss.changes (
                    vault bigint NOT NULL,
                    site text NOT NULL,
                    seq bigint NOT NULL CHECK (seq >= 1),
                    hash text NOT NULL,
                    record bytea NOT NULL,
                    PRIMARY KEY (vault, site, seq),
                    FOREIGN KEY (vault, site) REFERENCES gloss.heads(vault, site) ON DELETE CASCADE)
                """,
            ]),
    ]

    /// Session advisory lock key (two-int form, so it never meets the append locks' bigint keys):
    /// 'glos' and 1.
    static let migrationLock: (Int32, Int32) = (0x676c_6f73, 1)

    /// Applies the migrations not yet recorded in `gloss.migrations`, each in its own
    /// transaction, while holding a session advisory lock: a second process starting at the same
    /// moment waits, then finds them applied.
    static func migrate(configuration: PostgresConfiguration, logger: Logger) async throws {
        // Generous: a first start may wait for another process's migrations.
        try await guarded(timeout: configuration.operationTimeout * 3) {
            // A connection of its own, outside the pool: a refused connection or a wrong
            // password is reported now instead of being retried in the background.
            let connection = try await PostgresConnection.connect(
                configuration: try configuration.connectionConfiguration(), id: 0, logger: logger)
            do {
                try await connection.query(
                    "SELECT pg_advisory_lock(\(migrationLock.0), \(migrationLock.1))", logger: logger)
                // Closing the connection releases the lock, also when a migration fails.
                try await apply(on: connection, logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        }
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("CREATE SCHEMA IF NOT EXISTS gloss", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS gloss.migrations (
                name text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var applied: Set<String> = []
        for try await name in try await connection.query("SELECT name FROM gloss.migrations", logger: logger)
            .decode(String.self)
        {
            applied.insert(name)
        }
        for migration in migrations where !applied.contains(migration.name) {
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO gloss.migrations (name) VALUES (\(migration.name))", logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            logger.debug("applied migration \(migration.name)")
        }
    }
}
