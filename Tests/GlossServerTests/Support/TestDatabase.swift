import Foundation
import GlossServer
import Logging
import PostgresNIO

/// The PostgreSQL server the suite's `.postgres` cases run against: `GLOSS_TEST_DATABASE_URL`
/// (set by `scripts/with-postgres.sh`, which `make test` uses). Each case gets a database of its
/// own, created from that URL and dropped afterwards, so cases never see each other.
///
/// Without the URL the PostgreSQL cases are not generated locally (the suite says so once on
/// stderr); with `CI=true` they are generated and fail, so CI can never skip them silently.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["GLOSS_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = environment["CI"] == "true"

    /// Whether `.postgres` cases exist in this run.
    static let enabled: Bool = {
        if url == nil && !isCI {
            FileHandle.standardError.write(
                Data(
                    "note: PostgreSQL cases are off (GLOSS_TEST_DATABASE_URL is not set; run `scripts/with-postgres.sh swift test` or `make test`)\n"
                        .utf8))
        }
        return url != nil || isCI
    }()

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "GLOSS_TEST_DATABASE_URL is not set, and CI must run the PostgreSQL cases (run the tests through scripts/with-postgres.sh, as `make test` does)"
        }
    }

    /// The configuration of the base URL (the database the suite may create others from).
    static func base() throws -> PostgresConfiguration {
        guard let url else { throw NotConfigured() }
        var config = try PostgresConfiguration(url: url)
        config.maxConnections = 4
        return config
    }

    /// `gloss_t_` and 32 hex digits from the case's directory name (never user input).
    static func name(for directory: URL) -> String {
        let hex = directory.lastPathComponent.lowercased().filter { $0.isHexDigit }
        return "gloss_t_" + String(hex.suffix(32))
    }

    /// The base URL pointing at `database` instead (for `gloss serve --database`).
    static func url(database: String) throws -> String {
        guard let url, var components = URLComponents(string: url) else { throw NotConfigured() }
        components.path = "/" + database
        return components.string!
    }

    /// A fresh, empty database for one case; its name derives from `directory`.
    static func create(for directory: URL) async throws -> PostgresConfiguration {
        let name = name(for: directory)
        try await admin().query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
        return try base().with(database: name)
    }

    /// Drops the case's database (and any session still on it).
    static func drop(for directory: URL) async {
        let name = name(for: directory)
        _ = try? await admin().query(
            PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"), logger: logger)
    }

    static func makeStore(for directory: URL, timeout: Duration = .seconds(20)) async throws -> PostgresServerStore {
        var config = try await create(for: directory)
        config.operationTimeout = timeout
        return try await PostgresServerStore(configuration: config, logger: logger)
    }

    static let logger: Logger = {
        var logger = Logger(label: "gloss.test.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// One client on the base database for CREATE/DROP DATABASE, running for the whole process.
    private static let adminClient: Result<PostgresClient, any Error> = Result {
        var config = try base()
        config.maxConnections = 2
        let client = PostgresClient(configuration: config.clientConfiguration, backgroundLogger: logger)
        Task.detached { await client.run() }
        return client
    }

    static func admin() throws -> PostgresClient { try adminClient.get() }
}
