import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of one test's own, for tests that stop and start the server (a restart
/// of the shared cluster would break the cases running beside them). Made with the binaries
/// `scripts/with-postgres.sh` found (`GLOSS_TEST_PGBIN`), run as `GLOSS_TEST_PGUSER` (initdb
/// and pg_ctl refuse root), on a free loopback port, trust authentication, in a temporary
/// directory that `destroy()` removes.
final class PrivateCluster: @unchecked Sendable {
    let directory: URL
    let port: Int
    private let bin: String
    private let user: String

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Makes and starts a cluster (initdb, pg_ctl start), off the cooperative pool.
    static func make() async throws -> PrivateCluster {
        try await offPool { try PrivateCluster() }
    }

    private init() throws {
        let env = ProcessInfo.processInfo.environment
        guard let bin = env["GLOSS_TEST_PGBIN"], let user = env["GLOSS_TEST_PGUSER"] else {
            throw Failed(description: "GLOSS_TEST_PGBIN and GLOSS_TEST_PGUSER are not set (run through scripts/with-postgres.sh)")
        }
        self.bin = bin
        self.user = user
        directory = URL(fileURLWithPath: "/tmp/gloss-pg-private-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            try Self.shell("/bin/chown", [user, directory.path])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        port = try Self.freePort()
        try pg("initdb", ["-D", dataPath, "-U", "gloss", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"])
        try startBlocking()
    }

    private var dataPath: String { directory.appendingPathComponent("data").path }

    /// `postgres://gloss@127.0.0.1:PORT/postgres`.
    var url: String { "postgres://gloss@127.0.0.1:\(port)/postgres?sslmode=disable" }

    func start() async throws {
        try await offPool { try self.startBlocking() }
    }

    private func startBlocking() throws {
        try pg(
            "pg_ctl",
            [
                "-D", dataPath, "-l", directory.appendingPathComponent("server.log").path, "-w",
                "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory.path) -c fsync=off", "start",
            ])
    }

    /// Stops the server; fast mode ends every session (clients see their connections drop).
    func stop() async throws {
        try await offPool { try self.pg("pg_ctl", ["-D", self.dataPath, "-m", "fast", "-w", "stop"]) }
    }

    func destroy() async {
        _ = try? await offPool {
            try? self.pg("pg_ctl", ["-D", self.dataPath, "-m", "immediate", "-w", "stop"])
            try? FileManager.default.removeItem(at: self.directory)
        }
    }

    private func pg(_ tool: String, _ arguments: [String]) throws {
        let path = bin + "/" + tool
        if getuid() == 0 {
            try Self.shell("/usr/sbin/runuser", ["-u", user, "--", path] + arguments)
        } else {
            try Self.shell(path, arguments)
        }
    }

    /// Runs a tool and waits for it with posix_spawn and waitpid. (Foundation's `Process` is
    /// not used: it learns of a child's exit through a descriptor the daemon `pg_ctl start`
    /// leaves behind inherits, so it would wait for the server's whole life.)
    private static func shell(_ executable: String, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-pg-cmd-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failed(description: "\(executable): posix_spawn failed (\(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failed(description: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
    }

    /// A port the kernel just handed out on 127.0.0.1 (bound, read, released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failed(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failed(description: "bind failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failed(description: "getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
