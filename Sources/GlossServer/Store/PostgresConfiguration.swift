import Foundation
import PostgresNIO

/// Where and how `PostgresServerStore` connects, read from a libpq-style URL:
/// `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=FILE]`.
///
/// The password comes from the URL or, when the URL has none, from `PGPASSWORD`. `sslmode`
/// follows libpq: `disable` (plain TCP), `prefer` (the default: TLS when the server offers it,
/// certificate not checked), `require` (TLS or fail, certificate not checked), `verify-ca`
/// (TLS, chain checked against `sslrootcert` or the system roots) and `verify-full` (chain and
/// host name checked).
public struct PostgresConfiguration: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// PEM file of the certificate authorities to trust (`sslrootcert`); nil: the system roots.
    public var sslRootCert: String?
    /// Most connections one server process opens (the pool's bound).
    public var maxConnections: Int = 10
    /// Connections kept open even when idle, so a request rarely waits for a new connection's
    /// TCP, TLS and SCRAM handshakes.
    public var minConnections: Int = 2
    /// How long one store operation may wait for PostgreSQL — for a connection or an answer —
    /// before it fails as `ServerStoreError.unavailable` (the API then answers 503).
    public var operationTimeout: Duration = .seconds(10)

    /// Parses a `postgres://` (or `postgresql://`) URL.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(PostgresURLError)
    {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else { throw PostgresURLError("it is not a postgres:// URL") }
        guard let host = url.host, !host.isEmpty else { throw PostgresURLError("it names no host") }
        guard let user = url.user, !user.isEmpty else { throw PostgresURLError("it names no user") }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresURLError("it names no database (…/DATABASE)")
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = url.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresURLError("port \(port) is out of range") }
        self.user = user
        self.password = url.password ?? environment["PGPASSWORD"]
        self.database = database
        self.sslMode = .prefer
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw PostgresURLError(
                        "sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "sslrootcert":
                guard let file = item.value, !file.isEmpty else { throw PostgresURLError("sslrootcert needs a file") }
                sslRootCert = file
            default:
                throw PostgresURLError("unknown parameter \(item.name) (supported: sslmode, sslrootcert)")
            }
        }
    }

    /// The URL without its password, for logs and messages.
    public var redacted: String {
        var url = URLComponents()
        url.scheme = "postgres"
        url.user = user
        url.host = host
        url.port = port
        url.path = "/" + database
        if sslMode != .prefer { url.queryItems = [URLQueryItem(name: "sslmode", value: sslMode.rawValue)] }
        return url.string ?? "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// The same server and credentials, another database (tests make one per case).
    public func with(database: String) -> PostgresConfiguration {
        var copy = self
        copy.database = database
        return copy
    }

    /// What `sslmode` asks for: whether TLS is off, tried or required, and how it verifies.
    private var tls: (mode: SSLUse, configuration: TLSConfiguration) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let sslRootCert { tls.trustRoots = .file(sslRootCert) }
        switch sslMode {
        case .disable:
            return (.off, tls)
        case .prefer:
            tls.certificateVerification = .none
            return (.tried, tls)
        case .require:
            tls.certificateVerification = .none
            return (.required, tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return (.required, tls)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return (.required, tls)
        }
    }

    private enum SSLUse { case off, tried, required }

    /// The postgres-nio client (pool) configuration this describes.
    public var clientConfiguration: PostgresClient.Configuration {
        let (use, tls) = self.tls
        let mode: PostgresClient.Configuration.TLS =
            switch use {
            case .off: .disable
            case .tried: .prefer(tls)
            case .required: .require(tls)
            }
        var config = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
        config.options.maximumConnections = maxConnections
        config.options.minimumConnections = min(minConnections, maxConnections - 1)
        config.options.connectTimeout = .seconds(5)
        config.options.additionalStartupParameters = [("application_name", "gloss-serve")]
        return config
    }

    /// The configuration of one direct connection (migrations: its errors surface at once,
    /// where the pool would keep retrying).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let (use, tls) = self.tls
        let mode: PostgresConnection.Configuration.TLS =
            switch use {
            case .off: .disable
            case .tried: .prefer(try NIOSSLContext(configuration: tls))
            case .required: .require(try NIOSSLContext(configuration: tls))
            }
        var config = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
        config.options.connectTimeout = .seconds(5)
        config.options.additionalStartupParameters = [("application_name", "gloss-serve")]
        return config
    }
}

/// A `--database` URL that cannot be used.
public struct PostgresURLError: Error, CustomStringConvertible, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String {
        "the database URL is not usable: \(reason) (write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full])"
    }
}
