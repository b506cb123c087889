import Foundation
import GlossHTTP
import GlossStorage

/// A Gloss server (`gloss serve`, DESIGN §5) as a remote: the `/v1` API over libcurl
/// (`GlossHTTP`), speaking the `Sync/Wire` types.
///
/// - Push sends one site's batch per request, split further when it passes the server's batch
///   or body limits (and halved again on a 413), gzip-encoded above `Options.gzipAbove` bytes.
/// - Pull follows the server's pages (`more`) until `limit` changes are in hand, and verifies
///   every change (site, contiguous seqs, content hash, prev chain) before handing it on.
/// - Connection failures, timeouts, 5xx and 429 are retried with exponential backoff and jitter
///   (honouring `Retry-After`), at most `Options.maxAttempts` times; other 4xx never are: every
///   request is idempotent, so a retry is always safe, but a refusal will not change.
/// - TLS is always verified, against the system CAs plus the remote's own CA file if it has one.
/// - Every response's `Date` header is compared with the local clock; skew past a minute is
///   reported in `warnings` (SYNC-NOTES R4).
public struct HTTPRemote: Remote {
    /// Retry, timeout and size settings. The batch limits match the server's defaults
    /// (`ServerConfiguration`); a server with smaller ones answers 413 and the batch is halved.
    public struct Options: Sendable {
        /// Tries per request, the first included.
        public var maxAttempts = 5
        /// The first retry waits about this long; each further one twice as long, up to `maxBackoff`.
        public var initialBackoff: TimeInterval = 0.25
        public var maxBackoff: TimeInterval = 8
        /// A `Retry-After` longer than this is not waited for: the request fails instead.
        public var maxRetryAfter: TimeInterval = 60
        public var connectTimeout: TimeInterval = 10
        /// The whole exchange of one request (upload of a large batch included).
        public var requestTimeout: TimeInterval = 120
        public var maxBatchChanges = 5000
        public var maxBodyBytes = 16 * 1024 * 1024
        /// Request bodies larger than this are sent gzip-encoded.
        public var gzipAbove = 32 * 1024
        public var maxResponseBytes = 64 * 1024 * 1024

        public init() {}
    }

    /// The remote's name in this library (for messages).
    public let name: String
    /// The server's base URL (`ServerAddress` form); endpoints are `baseURL + /v1/…`.
    public let baseURL: String
    /// The stored login, or nil before `gloss login`.
    public let credential: Credential?
    /// A PEM file of extra CAs trusted for this remote (a self-signed server).
    public let caCertFile: String?
    public let options: Options
    let client: HTTPClient
    let notices = Notices()

    public init(name: String, baseURL: String, credential: Credential?, caCertFile: String? = nil, options: Options = Options()) {
        self.name = name
        self.baseURL = baseURL
        self.credential = credential
        self.caCertFile = caCertFile
        self.options = options
        var http = HTTPOptions(
            connectTimeout: options.connectTimeout, timeout: options.requestTimeout, maxRedirects: 0,
            maxResponseBytes: options.maxResponseBytes, extraCAFile: caCertFile)
        http.userAgent = "Gloss-sync/1"
        client = HTTPClient(options: http)
    }

    /// Warnings gathered so far (clock skew), each once.
    public var warnings: [String] { notices.all }

    // MARK: Remote

    public func versionVector() async throws -> VersionVector {
        let response = try await exchange("GET", Wire.Path.vector)
        try check(response)
        let vector = try decode(VectorResponse.self, response, else: .config).vector
        guard vector.allSatisfy({ Site.isValid($0.key) && $0.value >= 0 }) else {
            throw SyncError(.damaged, "\(name) sent an invalid version vector", hint: "check that \(baseURL) is a Gloss server")
        }
        return vector
    }

    public func push(site: String, changes: [Change]) async throws {
        guard let last = changes.last else { return }
        if changes.count > options.maxBatchChanges {
            for start in stride(from: 0, to: changes.count, by: options.maxBatchChanges) {
                try await push(site: site, changes: Array(changes[start..<min(changes.count, start + options.maxBatchChanges)]))
            }
            return
        }
        let body = try Wire.encoder().encode(PushRequest(site: site, changes: changes))
        if body.count > options.maxBodyBytes, changes.count > 1 {
            return try await pushHalves(site: site, changes: changes)
        }
        let response = try await exchange("POST", Wire.Path.push, body: body)
        if response.status == 413, changes.count > 1 {
            return try await pushHalves(site: site, changes: changes)
        }
        try check(response)
        let result = try decode(PushResponse.self, response, else: .refused)
        guard result.site == site, result.seq >= last.seq else {
            throw SyncError(
                .refused, "\(name) acknowledged \(site) only up to seq \(result.seq) of \(last.seq)",
                hint: "sync again; if it persists, report it to the server's operator")
        }
    }

    /// Pushes `changes` as two requests, in order (the second continues the first's seqs).
    func pushHalves(site: String, changes: [Change]) async throws {
        let middle = changes.count / 2
        try await push(site: site, changes: Array(changes[..<middle]))
        try await push(site: site, changes: Array(changes[middle...]))
    }

    public func pull(site: String, after: Int64, limit: Int) async throws -> [Change] {
        guard Site.isValid(site) else { throw SyncError(.config, "invalid site id \(site)", hint: "this is a bug in Gloss") }
        var result: [Change] = []
        var cursor = after
        while result.count < limit {
            let response = try await exchange("GET", Wire.Path.pull(site: site) + "?after=\(cursor)&limit=\(limit - result.count)")
            try check(response)
            let page = try decode(PullResponse.self, response, else: .damaged)
            try verify(page, site: site, after: cursor, previous: result.last)
            result += page.changes
            guard page.more, let last = page.changes.last else { break }
            cursor = last.seq
        }
        return result
    }

    // MARK: Login

    /// Logs `user` in and returns the server's answer (the token is not stored here).
    public func login(user: String, password: String) async throws -> LoginResponse {
        let body = try Wire.encoder().encode(LoginRequest(user: user, password: password))
        let response = try await exchange("POST", Wire.Path.login, body: body, authorized: false)
        if response.status == 401 {
            throw SyncError(.auth, "\(name) refused the user name or password", hint: "check them and run `gloss login` again")
        }
        try check(response)
        return try decode(LoginResponse.self, response, else: .config)
    }

    /// Revokes the stored token on the server. An already expired or revoked token counts as done.
    public func logout() async throws {
        let response = try await exchange("POST", Wire.Path.logout)
        if response.status == 401 { return }
        try check(response)
    }

    // MARK: Exchanges

    /// Sends one request, retrying transient failures; returns the final response whatever its
    /// status. Throws only when no response came (after the retries).
    func exchange(_ method: String, _ path: String, body: Data? = nil, authorized: Bool = true) async throws -> HTTPResponse {
        guard let url = URL(string: baseURL + path) else {
            throw SyncError(.config, "invalid server URL \(baseURL)", hint: "remove the remote and add it again")
        }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        var payload = body
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            if body.count > options.gzipAbove, let packed = GzipEncoder.compress(body) {
                payload = packed
                headers.add(name: "Content-Encoding", value: "gzip")
            }
        }
        if authorized {
            guard let credential else { throw notLoggedIn() }
            headers.add(name: "Authorization", value: "Bearer \(credential.token)")
        }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: payload)
        var attempt = 0
        while true {
            attempt += 1
            let sentAt = Date()
            let response: HTTPResponse
            do {
                response = try await client.send(request)
            } catch {
                if error.kind == .cancelled { throw CancellationError() }
                guard Self.isTransient(error), attempt < options.maxAttempts else {
                    throw transportFailure(error, attempts: attempt)
                }
                try await Task.sleep(for: .seconds(backoff(attempt)))
                continue
            }
            noteClock(response, sentAt: sentAt, receivedAt: Date())
            let retryable = response.status == 429 || (500...599).contains(response.status)
            guard retryable, attempt < options.maxAttempts else { return response }
            let wait = Self.retryAfter(response) ?? backoff(attempt)
            guard wait <= options.maxRetryAfter else { return response }
            try await Task.sleep(for: .seconds(wait))
        }
    }

    /// Seconds before retry `attempt` + 1: exponential, capped, with jitter (half to all of the
    /// step, so clients that failed together do not retry together).
    func backoff(_ attempt: Int) -> TimeInterval {
        let step = min(options.maxBackoff, options.initialBackoff * pow(2, Double(attempt - 1)))
        return step * Double.random(in: 0.5...1)
    }

    static func isTransient(_ error: HTTPError) -> Bool {
        error.kind == .connect || error.kind == .timeout || error.kind == .connection
    }

    /// `Retry-After` in seconds (the delay form; a date form is read against the local clock).
    static func retryAfter(_ response: HTTPResponse) -> TimeInterval? {
        guard let value = response.headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        return ClockSkew.parseHTTPDate(value).map { max(0, $0.timeIntervalSinceNow) }
    }

    func noteClock(_ response: HTTPResponse, sentAt: Date, receivedAt: Date) {
        guard let header = response.headers["Date"],
            let offset = ClockSkew.offset(dateHeader: header, sentAt: sentAt, receivedAt: receivedAt),
            let warning = ClockSkew.warning(offset: offset, remote: "\(name) (\(baseURL))")
        else { return }
        notices.add(warning, key: "clock")
    }

    // MARK: Checking answers

    /// Throws the client error for a response that is not a success.
    func check(_ response: HTTPResponse) throws {
        guard !(200..<300).contains(response.status) else { return }
        throw failure(response)
    }

    func failure(_ response: HTTPResponse) -> SyncError {
        let detail = (try? Wire.decoder().decode(WireErrorBody.self, from: response.body))?.error
        let message = detail?.message ?? "HTTP \(response.status)"
        let relogin = "log in again with `gloss login \(name) --user \(credential?.user ?? "USER")`"
        switch detail?.code {
        case .tokenExpired?:
            let when = credential.map { " on \($0.expiresAt.formatted(.iso8601))" } ?? ""
            return SyncError(.auth, "your login to \(name) has expired\(when)", hint: relogin)
        case .unauthorized?:
            return SyncError(.auth, "\(name) refused the login token: \(message)", hint: relogin)
        case .forbidden?:
            return SyncError(.auth, "\(name) does not allow this: \(message)", hint: relogin)
        case .seqGap?:
            return SyncError(.gap, "\(name) refused a batch: \(message)", hint: "sync again; if it persists, report it")
        case .siteForked?:
            return SyncError(
                .forked, "\(name) holds a different log for this site: \(message)",
                hint: "two libraries wrote under one site id; keep syncing from the original library")
        case .rateLimited?, .unavailable?, .internal?:
            return SyncError(
                .unavailable, "\(name) is unavailable: \(message) (HTTP \(response.status), \(options.maxAttempts) attempts)",
                hint: "try again later; local changes are kept and sync then")
        case .notFound?:
            return notAGlossServer(response)
        case let code?:
            return SyncError(
                .refused, "\(name) refused the request: \(message) (\(code.rawValue))",
                hint: "this is a bug in Gloss or the server; report it with this message")
        case nil:
            switch response.status {
            case 401, 403: return SyncError(.auth, "\(name) refused access (HTTP \(response.status))", hint: relogin)
            case 404, 405: return notAGlossServer(response)
            case 429, 500...599:
                return SyncError(
                    .unavailable, "\(name) is unavailable (HTTP \(response.status), \(options.maxAttempts) attempts)",
                    hint: "try again later; local changes are kept and sync then")
            case 300...399:
                return SyncError(
                    .config, "\(baseURL) redirects (HTTP \(response.status)) to \(response.headers["Location"] ?? "elsewhere")",
                    hint: "add the remote with the server's final URL")
            default:
                return SyncError(.refused, "\(name) refused the request (HTTP \(response.status))", hint: "check that \(baseURL) is a Gloss server")
            }
        }
    }

    func notAGlossServer(_ response: HTTPResponse) -> SyncError {
        SyncError(
            .config, "\(response.url.absoluteString) is not a Gloss sync endpoint (HTTP \(response.status))",
            hint: "check the remote's URL: the base address of `gloss serve`, without /v1")
    }

    func notLoggedIn() -> SyncError {
        SyncError(.auth, "not logged in to \(name) (\(baseURL))", hint: "log in with `gloss login \(name) --user USER`")
    }

    func transportFailure(_ error: HTTPError, attempts: Int) -> SyncError {
        let tries = attempts > 1 ? " (\(attempts) attempts)" : ""
        if error.kind == .tls {
            let hint = caCertFile == nil
                ? "if the server uses a self-signed certificate, add the remote with `--ca-cert FILE` (gloss remote rm \(name); gloss remote add \(name) \(baseURL) --ca-cert FILE)"
                : "the server's certificate verifies neither against the system CAs nor against this remote's CA certificate; check the file given to --ca-cert"
            return SyncError(.unavailable, "cannot verify the TLS certificate of \(name) (\(baseURL)): \(error.message)", hint: hint)
        }
        if Self.isTransient(error) || error.kind == .dns {
            return SyncError(
                .unavailable, "cannot reach \(name) (\(baseURL)): \(error.message)\(tries)",
                hint: "check that the server is running and the URL is right; local changes are kept and sync later")
        }
        return SyncError(.unavailable, "the exchange with \(name) failed: \(error.message)\(tries)", hint: error.hint)
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, else kind: SyncError.Kind) throws -> T {
        do {
            return try Wire.decoder().decode(T.self, from: response.body)
        } catch {
            throw SyncError(
                kind, "\(name) answered \(response.url.path) with something that is not a Gloss reply",
                hint: "check that \(baseURL) is a Gloss server of a compatible version")
        }
    }

    /// A page must continue the log exactly where it was asked to, with valid records.
    func verify(_ page: PullResponse, site: String, after: Int64, previous: Change?) throws {
        var expected = after + 1
        var prev = previous?.hash
        for change in page.changes {
            let ref = "\(change.site):\(change.seq)"
            var problem: String?
            if change.site != site || page.site != site {
                problem = "it belongs to another site"
            } else if change.seq != expected {
                problem = "expected seq \(expected)"
            } else if !change.hashIsValid {
                problem = "its hash does not match its content"
            } else if let prev, change.prev != prev {
                problem = "it does not chain onto the change before it"
            }
            if let problem {
                throw SyncError(
                    .damaged, "\(name) sent change \(ref) that fails verification: \(problem); \(site) not pulled further",
                    hint: "the server's store may be damaged; tell its operator")
            }
            prev = change.hash
            expected += 1
        }
    }
}

/// Warnings gathered by the exchanges of one remote: the first of each key, in order.
final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(key: String, text: String)] = []

    func add(_ text: String, key: String) {
        lock.lock()
        defer { lock.unlock() }
        if !items.contains(where: { $0.key == key }) { items.append((key, text)) }
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items.map(\.text)
    }
}
