import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Logging
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The stores the server suite runs against. Every test takes one as its argument, so the same
/// suite checks each store (`@Test(arguments: StoreKind.allCases)`).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// PostgreSQL only when a test database is configured, or in CI (where its absence fails
    /// the cases instead of skipping them): see `TestDatabase`.
    static var allCases: [StoreKind] { TestDatabase.enabled ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    func makeStore(in directory: URL) async throws -> any ServerStore {
        switch self {
        case .sqlite: try SQLiteServerStore(directory: directory)
        case .postgres: try await TestDatabase.makeStore(for: directory)
        }
    }

    /// Removes what `makeStore` made outside `directory` (the case's PostgreSQL database).
    func dispose(in directory: URL) async {
        if self == .postgres { await TestDatabase.drop(for: directory) }
    }
}

/// A clock tests move by hand: token expiry and rate limits without sleeping.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}

/// What a request got back.
struct HTTPResult: Sendable {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data

    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }

    /// The `error.code` of an error body, nil if the body is not the error shape.
    var errorCode: String? {
        guard let object = json as? [String: Any], object.count == 1,
            let error = object["error"] as? [String: Any], error.count == 2,
            error["message"] is String
        else { return nil }
        return error["code"] as? String
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Wire.decoder().decode(T.self, from: body)
    }
}

/// A live server on 127.0.0.1 (port 0) over a fresh store in a temporary directory, with a
/// manual clock, spoken to over real HTTP.
struct Harness {
    let kind: StoreKind
    let server: RunningServer
    let store: any ServerStore
    let clock: TestClock
    let directory: URL
    let session: URLSession

    /// Runs `body` against a fresh server, then stops it and removes its data, also on failure.
    static func with(
        _ kind: StoreKind, configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (Harness) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gloss-server-test-\(UUID().uuidString)", isDirectory: true)
        let clock = TestClock()
        var config = ServerConfiguration()
        config.port = 0
        config.clock = { clock.now }
        configure(&config)
        let store = try await kind.makeStore(in: directory)
        var logger = Logger(label: "gloss.server.test")
        logger.logLevel = .notice
        let server = try await SyncServer(store: store, configuration: config, logger: logger).start()
        let sessionConfig = URLSessionConfiguration.ephemeral
        sessionConfig.timeoutIntervalForRequest = 60
        sessionConfig.httpCookieStorage = nil
        sessionConfig.urlCache = nil
        let harness = Harness(
            kind: kind, server: server, store: store, clock: clock, directory: directory,
            session: URLSession(configuration: sessionConfig))
        var failure: (any Error)?
        do {
            try await body(harness)
        } catch {
            failure = error
        }
        try await server.stop()
        try await store.close()
        await kind.dispose(in: directory)
        try? FileManager.default.removeItem(at: directory)
        if let failure { throw failure }
    }

    /// Cheap scrypt parameters: the test checks the protocol, not the cost.
    static let hasher = PasswordHasher(logN: 4, blockSize: 8, parallelism: 1)

    @discardableResult
    func addUser(_ name: String, password: String = "correct horse") async throws -> UserRecord {
        try await store.addUser(name: name, passwordHash: Self.hasher.hash(password), createdAt: clock.now)
    }

    /// Logs in over HTTP and returns the token.
    func login(_ name: String, password: String = "correct horse") async throws -> String {
        let result = try await request(
            "POST", Wire.Path.login, body: try Wire.encoder().encode(LoginRequest(user: name, password: password)))
        try #require(result.status == 200, "login failed: \(result.status) \(String(decoding: result.body, as: UTF8.self))")
        return try result.decode(LoginResponse.self).token
    }

    /// A user with a token, in one step.
    func account(_ name: String) async throws -> String {
        try await addUser(name)
        return try await login(name)
    }

    func request(
        _ method: String, _ path: String, token: String? = nil, body: Data? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: server.url.absoluteString + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil, headers["Content-Type"] == nil {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    func vector(_ token: String) async throws -> VersionVector {
        let result = try await request("GET", Wire.Path.vector, token: token)
        try #require(result.status == 200)
        return try result.decode(VectorResponse.self).vector
    }

    func push(_ token: String, site: String, _ changes: [Change], schema: Int = Wire.schemaVersion)
        async throws -> HTTPResult
    {
        let body = try Wire.encoder().encode(PushRequest(schema: schema, site: site, changes: changes))
        return try await request("POST", Wire.Path.push, token: token, body: body)
    }

    func pull(_ token: String, site: String, after: Int64 = 0, limit: Int? = nil) async throws -> HTTPResult {
        var path = Wire.Path.pull(site: site) + "?after=\(after)"
        if let limit { path += "&limit=\(limit)" }
        return try await request("GET", path, token: token)
    }
}

/// Change records for tests: a well-formed, hash-chained log of one site.
enum Log {
    static func make(site: String = Site.random(), count: Int, value: (Int) -> String? = { "value \($0)" }) -> [Change] {
        var changes: [Change] = []
        var prev = ""
        for i in stride(from: 1, through: count, by: 1) {
            let change = Change(
                site: site, seq: Int64(i), entity: .note, entityId: "note-\(i % 3)", field: "body",
                value: value(i), hlc: HLC(millis: 1_700_000_000_000 + Int64(i), counter: 0),
                wall: 1_700_000_000_000 + Int64(i), prev: prev)
            prev = change.hash
            changes.append(change)
        }
        return changes
    }

    /// `change` with its fields edited and its hash recomputed (a well-formed but different record).
    static func rehashed(_ change: Change, _ edit: (inout Change) -> Void) -> Change {
        var copy = change
        edit(&copy)
        copy.hash = copy.computedHash()
        return copy
    }
}
