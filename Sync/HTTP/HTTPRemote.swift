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
        let body = ChangeJSON.encode(PushRequest(site: site, changes: changes))
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
}
