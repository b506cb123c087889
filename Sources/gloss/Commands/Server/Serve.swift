import ArgumentParser
import Foundation
import GlossServer
import Logging

/// `gloss serve`: runs the sync server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Gloss sync server.",
        discussion: """
            Serves the /v1 sync API (docs/openapi.json) from the store in --data. Listens on \
            loopback unless --listen says otherwise, and prints the address it listens on. \
            Manage accounts with `gloss serve user add|list|rm`.
            """,
        subcommands: [ServeUser.self])

    @OptionGroup var store: ServerStoreOptions

    @Option(help: ArgumentHelp("Address to listen on (port 0: any free port).", valueName: "host:port"))
    var listen: String = "127.0.0.1:8765"

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS.", valueName: "file"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key for --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("token-lifetime"), help: ArgumentHelp("How long a login lasts (e.g. 90d, 12h, 30m).", valueName: "duration"))
    var tokenLifetime: DurationArgument = DurationArgument(argument: "90d")!

    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("Requests per minute allowed per token.", valueName: "n"))
    var rateLimit: Int = 600

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if rateLimit < 1 { throw ValidationError("--rate-limit must be 1 or more") }
        if Self.parseListen(listen) == nil {
            throw ValidationError("--listen must be HOST:PORT (e.g. 127.0.0.1:8765)")
        }
    }

    /// `host:port`, `[v6]:port`.
    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            return handler
        }
        let (host, port) = Self.parseListen(listen)!
        var config = ServerConfiguration()
        config.host = host
        config.port = port
        config.tokenLifetime = tokenLifetime.seconds
        config.rateLimitPerMinute = rateLimit
        if let tlsCert, let tlsKey {
            config.tls = .init(certificate: tlsCert, privateKey: tlsKey)
        }
        let store = try await store.openStore()
        let server = SyncServer(store: store, configuration: config)
        try await server.run { url in
            FileHandle.standardOutput.write(Data("listening on \(url.absoluteString)\n".utf8))
        }
        try await store.close()
    }
}
