import Foundation

/// How a Gloss server listens and what it allows. Every limit has a default a person syncing a
/// few devices never meets (DESIGN.md §5); tests shrink them.
public struct ServerConfiguration: Sendable {
    /// Host to bind: `127.0.0.1` (loopback) unless the operator chooses otherwise.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 asks the system for a free one (the bound port is reported on start).
    public var port: Int = 8765
    /// PEM certificate chain and private key: with both, the server speaks HTTPS only.
    public var tls: TLSFiles?
    /// How long a login token stays valid.
    public var tokenLifetime: TimeInterval = 90 * 24 * 3600
    /// Requests allowed per token (or, before login, per client address) per minute.
    public var rateLimitPerMinute: Int = 600
    /// Password checks allowed per client address per minute. Each costs an scrypt (~0.3 s of
    /// CPU), so this bounds both password guessing and the CPU a stranger can make us burn.
    public var loginAttemptsPerMinute: Int = 10
    /// The largest request body, after gzip decoding: above `Change.maxValueBytes`, so one
    /// change of the largest allowed size always fits in a batch of its own.
    public var maxBodyBytes: Int = 16 * 1024 * 1024
    /// The most changes one push batch may carry.
    public var maxBatchChanges: Int = 5000
    /// The most changes one pull returns, whatever `limit` asks.
    public var maxPullChanges: Int = 5000
    /// A pull response stops adding changes once their encoded size passes this many bytes (at
    /// least one change is always returned, so a maximal change still travels).
    public var maxPullBytes: Int = 8 * 1024 * 1024
    /// Time allowed to handle one request, body upload included.
    public var requestTimeout: Duration = .seconds(60)
    /// A connection with no traffic for this long is closed.
    public var idleTimeout: Duration = .seconds(75)
    /// The clock for token expiry and rate limits (tests inject a manual one).
    public var clock: @Sendable () -> Date = { Date() }

    public init() {}

    public struct TLSFiles: Sendable {
        public var certificate: String
        public var privateKey: String

        public init(certificate: String, privateKey: String) {
            self.certificate = certificate
            self.privateKey = privateKey
        }
    }
}
