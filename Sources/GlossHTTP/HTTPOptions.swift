import Foundation

/// Limits and settings for one request. The defaults suit fetching a web page.
public struct HTTPOptions: Sendable {
    /// Seconds allowed to establish the connection (TCP and TLS).
    public var connectTimeout: Double = 10
    /// Seconds allowed for the whole exchange, redirects included.
    public var timeout: Double = 30
    /// Redirects followed at most; 0 returns the redirect response itself.
    public var maxRedirects: Int = 10
    /// URL schemes allowed, for the request and every redirect. Only `http` and `https` are
    /// supported; anything else is refused.
    public var allowedProtocols: Set<String> = ["http", "https"]
    /// The most body bytes accepted (after decompression), enforced while the body streams in.
    public var maxResponseBytes: Int = 10 * 1024 * 1024
    /// Ask for and decode gzip/deflate bodies.
    public var acceptCompressed: Bool = true
    /// A PEM file of extra certificate authorities trusted in addition to the system's
    /// (e.g. a self-signed sync server). TLS verification is never turned off.
    public var extraCAFile: String? = nil
    public var userAgent: String = "Gloss/0.1"

    public init() {}

    /// The defaults with the given changes.
    public init(
        connectTimeout: Double = 10, timeout: Double = 30, maxRedirects: Int = 10,
        maxResponseBytes: Int = 10 * 1024 * 1024, extraCAFile: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxRedirects = maxRedirects
        self.maxResponseBytes = maxResponseBytes
        self.extraCAFile = extraCAFile
    }
}
