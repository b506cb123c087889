import ArgumentParser
import Foundation
import GlossServer
import Logging

/// Where a server keeps its accounts and vaults: the one place a store is chosen, shared by
/// `gloss serve` and `gloss serve user …`. Exactly one of `--data DIR` (SQLite) and
/// `--database postgres://…` (PostgreSQL).
struct ServerStoreOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The server's data directory (SQLite store).", valueName: "dir"))
    var data: String?

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "A PostgreSQL database shared by several server processes: postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require|verify-full] (password also from PGPASSWORD).",
            valueName: "url"))
    var database: String?

    func validate() throws {
        switch (data, database) {
        case (nil, nil):
            throw ValidationError("give the server's store: --data DIR (SQLite) or --database postgres://… (PostgreSQL)")
        case (.some, .some):
            throw ValidationError("give either --data or --database, not both")
        case (nil, let url?):
            do {
                _ = try PostgresConfiguration(url: url)
            } catch {
                throw ValidationError("\(error)")
            }
        case (.some, nil):
            break
        }
    }

    func openStore() async throws -> any ServerStore {
        if let database {
            // The pool's own chatter (reconnects) only when it matters; requests log their errors.
            var logger = Logger(label: "gloss.store.postgres")
            logger.logLevel = .warning
            return try await PostgresServerStore(configuration: try PostgresConfiguration(url: database), logger: logger)
        }
        guard let data else { throw ValidationError("give the server's store with --data DIR or --database URL") }
        return try SQLiteServerStore(directory: URL(fileURLWithPath: data, isDirectory: true))
    }

    /// A description of the store for logs and messages (never a password).
    var location: String {
        if let database { return (try? PostgresConfiguration(url: database).redacted) ?? "postgres://…" }
        return data ?? ""
    }
}
