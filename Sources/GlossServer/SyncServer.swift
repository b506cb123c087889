import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The Gloss sync server (DESIGN.md §5): the `/v1` API over a `ServerStore`, on Hummingbird 2.
///
/// ```swift
/// let server = SyncServer(store: try SQLiteServerStore(directory: dir), configuration: config)
/// try await server.run { url in print("listening on \(url)") }   // until SIGINT / SIGTERM
/// ```
public struct SyncServer: Sendable {
    public let store: any ServerStore
    public let configuration: ServerConfiguration
    public let logger: Logger

    public init(store: any ServerStore, configuration: ServerConfiguration, logger: Logger? = nil) {
        self.store = store
        self.configuration = configuration
        self.logger = logger ?? Logger(label: "gloss.server")
    }

    /// The router with every `/v1` route and the middleware chain (errors, then rate limit).
    func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(
            middleware: RateLimitMiddleware(
                limiter: RateLimiter(perMinute: configuration.rateLimitPerMinute), clock: configuration.clock))
        SyncAPI(
            store: store, configuration: configuration, hasher: PasswordHasher(),
            loginLimiter: RateLimiter(perMinute: configuration.loginAttemptsPerMinute),
            passwordChecks: WorkSlots(ProcessInfo.processInfo.activeProcessorCount)
        ).register(on: router)
        return router
    }

    /// The Hummingbird application; `onRunning` receives the URL the server answers on (the real
    /// port when port 0 was asked for).
    func makeApplication(onRunning: @escaping @Sendable (URL) async -> Void) throws -> some ApplicationProtocol {
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout)))
        let server: HTTPServerBuilder
        let scheme: String
        if let tls = configuration.tls {
            server = try .tls(http1, tlsConfiguration: try Self.tlsConfiguration(tls))
            scheme = "https"
        } else {
            server = http1
            scheme = "http"
        }
        let host = configuration.host
        return Application(
            router: makeRouter(),
            server: server,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "gloss"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shownHost = host.contains(":") ? "[\(host)]" : host
                await onRunning(URL(string: "\(scheme)://\(shownHost):\(port)")!)
            },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests and returns.
    public func run(onRunning: @escaping @Sendable (URL) async -> Void) async throws {
        let started = StartFlag()
        let app = try makeApplication { url in
            started.set()
            await onRunning(url)
        }
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch where !started.isSet {
            throw ListenError(address: "\(configuration.host):\(configuration.port)", detail: "\(error)")
        }
    }

    /// Starts serving in the background (tests, benchmarks): returns once the port is bound.
    public func start() async throws -> RunningServer {
        let (urls, continuation) = AsyncStream<URL>.makeStream()
        let app = try makeApplication { url in
            continuation.yield(url)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await url in urls {
            return RunningServer(url: url, group: group, task: task)
        }
        try await task.value
        throw ServerStoreError.unavailable("the server stopped before it was listening")
    }

    static func tlsConfiguration(_ files: ServerConfiguration.TLSFiles) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            throw TLSSetupError(detail: "\(files.certificate), \(files.privateKey): \(error)")
        }
    }
}

/// A server started with `SyncServer.start()`.
public final class RunningServer: Sendable {
    /// `http(s)://host:port`, with the bound port.
    public let url: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(url: URL, group: ServiceGroup, task: Task<Void, any Error>) {
        self.url = url
        self.group = group
        self.task = task
    }

    public var port: Int { url.port ?? 0 }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the end.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// The certificate or key could not be loaded.
public struct TLSSetupError: Error, CustomStringConvertible {
    public var detail: String
    public var description: String {
        "cannot load the TLS certificate or key: \(detail) (pass PEM files to --tls-cert and --tls-key)"
    }
}

/// The server could not start listening (the port is taken, the host unknown…).
public struct ListenError: Error, CustomStringConvertible {
    public var address: String
    public var detail: String
    public var description: String {
        "cannot listen on \(address): \(detail) (is another server using it? pick another with --listen HOST:PORT)"
    }
}

/// Set once the server listens; read to tell a start-up failure from a later one.
private final class StartFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
