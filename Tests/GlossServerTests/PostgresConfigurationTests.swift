import GlossServer
import Testing

@Suite("PostgreSQL URLs")
struct PostgresConfigurationTests {
    @Test func aFullURLIsRead() throws {
        let config = try PostgresConfiguration(
            url: "postgres://gl%40ss:p%3Ass@db.example:6543/notes?sslmode=verify-full", environment: [:])
        #expect(config.host == "db.example")
        #expect(config.port == 6543)
        #expect(config.user == "gl@ss")
        #expect(config.password == "p:ss")
        #expect(config.database == "notes")
        #expect(config.sslMode == .verifyFull)
        #expect(!config.redacted.contains("p:ss") && !config.redacted.contains("p%3Ass"))
    }

    @Test func thePasswordFallsBackToPGPASSWORDAndSSLModeToPrefer() throws {
        let config = try PostgresConfiguration(url: "postgresql://gloss@127.0.0.1/db", environment: ["PGPASSWORD": "s3cret"])
        #expect(config.password == "s3cret")
        #expect(config.port == 5432)
        #expect(config.sslMode == .prefer)
        let own = try PostgresConfiguration(url: "postgres://gloss:mine@[::1]:5433/db", environment: ["PGPASSWORD": "other"])
        #expect(own.password == "mine")
        #expect(own.host == "::1")
    }

    @Test(arguments: [
        "http://gloss@host/db", "postgres://host/db", "postgres://gloss@/db", "postgres://gloss@host",
        "postgres://gloss@host/", "postgres://gloss@host/db?sslmode=sometimes", "postgres://gloss@host/db?pool=3",
        "not a url",
    ])
    func unusableURLsAreRefused(url: String) {
        #expect(throws: PostgresURLError.self) { try PostgresConfiguration(url: url, environment: [:]) }
    }
}
