import Foundation

/// A real `gloss serve` process on loopback, for end-to-end tests: started on a free port (or a
/// given one, to restart on the same address), its URL read from the line it prints. Killed
/// with SIGKILL when dropped, so a failing test never leaves a server behind.
final class ServerProcess: @unchecked Sendable {
    /// The server's data directory (SQLite store).
    let data: URL
    /// `http(s)://127.0.0.1:PORT`.
    let url: String
    let port: Int
    /// Extra `gloss serve` arguments (`--token-lifetime`, `--tls-cert` …), kept for `restart`.
    let arguments: [String]
    private let process: Process

    /// A fresh data directory holding the given accounts (name → password).
    static func makeData(users: [String: String]) throws -> URL {
        let data = try GlossBinary.temporaryHome("server-data")
        for (name, password) in users.sorted(by: { $0.key < $1.key }) {
            let added = try GlossBinary.run(["serve", "user", "add", name, "--data", data.path], stdin: password + "\n")
            guard added.status == 0 else { throw Failure("gloss serve user add \(name): \(added.stderr)") }
        }
        return data
    }

    /// Starts a server on `data` with `users` already added.
    convenience init(users: [String: String], arguments: [String] = []) throws {
        try self.init(data: try Self.makeData(users: users), arguments: arguments)
    }

    /// Starts `gloss serve --listen 127.0.0.1:PORT --data DATA ARGUMENTS…` and waits (polling its
    /// output, at most 60 s) until it says where it listens.
    init(data: URL, port: Int = 0, arguments: [String] = []) throws {
        self.data = data
        self.arguments = arguments
        process = Process()
        process.executableURL = GlossBinary.url
        process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--data", data.path] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LOG_LEVEL": "warning", "LANG": "C.UTF-8"]
        let out = Pipe()
        process.standardOutput = out
        let log = data.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()

        let reader = out.fileHandleForReading
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while !buffer.contains(UInt8(ascii: "\n")), Date() < deadline {
            let chunk = reader.availableData  // blocks until output or EOF
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("listening on "), let parsed = URL(string: String(line.dropFirst("listening on ".count))),
            let bound = parsed.port
        else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure("gloss serve did not start: \(line) \(stderr)")
        }
        self.port = bound
        url = "\(parsed.scheme ?? "http")://127.0.0.1:\(bound)"
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` and waits for the process to end.
    func stop(_ signal: Int32 = SIGTERM) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    /// A new server on the same data directory, port and arguments (after `stop`).
    func restart() throws -> ServerProcess {
        try ServerProcess(data: data, port: port, arguments: arguments)
    }

    /// `gloss serve user list --json` of this server's data: `name → changes stored`.
    func changesPerUser() throws -> [String: Int] {
        let list = try GlossBinary.run(["serve", "user", "list", "--json", "--data", data.path])
        let users = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: users.compactMap { user in
            (user["name"] as? String).map { ($0, user["changes"] as? Int ?? -1) }
        })
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
