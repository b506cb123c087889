import Foundation
import GlossStorage
import GlossSync

/// Benchmark suites of this area.
let endToEndSuites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "end-to-end", run: EndToEndBenchmark.run)
]

/// End-to-end sync through a real `gloss serve` process over loopback (issue 6): one library
/// pushes about 100,000 changes (`--e2e-changes N`) and a second one pulls and applies them, each
/// a full `SyncEngine.sync` over the HTTP remote (libcurl, JSON, gzip, the server's checks and
/// store). Beside it, the same volume through a folder remote in the same run; the figure is the
/// ratio of the two rates (target ≥ 0.5×). Stores: SQLite (`--data`) always; PostgreSQL
/// (`--database`) when `GLOSS_TEST_DATABASE_URL` is set.
enum EndToEndBenchmark {
    @Sendable static func run(_ arguments: BenchmarkArguments) async throws {
        let count = Int(arguments.options["e2e-changes"] ?? "") ?? 100_000
        let gloss = try glossBinary()

        let folder = try await measureFolderEndToEnd(changes: count)
        let folderRate = Double(folder.changes.count) / (folder.pushSeconds + folder.pullSeconds)
        print("changes: \(folder.changes.count) (notes with a tag), pushed by one library, pulled by another")
        print(String(format: "folder remote (baseline):      push %8.0f/s  pull %8.0f/s  end to end %8.0f changes/s",
                     folder.pushRate, folder.pullRate, folderRate))

        var stores: [(name: String, arguments: [String]?)] = [("sqlite", nil)]
        if let url = ProcessInfo.processInfo.environment["GLOSS_TEST_DATABASE_URL"], !url.isEmpty {
            stores.append(("postgresql", try supportsDatabaseFlag(gloss) ? ["--database", url] : nil))
        }
        for store in stores {
            let label = "gloss serve (\(store.name))".padding(toLength: 29, withPad: " ", startingAt: 0)
            if store.name != "sqlite", store.arguments == nil {
                print("\(label): pending: gloss serve --database not available")
                continue
            }
            let run = try await measureServer(gloss: gloss, storeArguments: store.arguments, changes: count)
            let rate = Double(run.changes) / (run.pushSeconds + run.pullSeconds)
            print(label + String(format: " push %8.0f/s  pull %8.0f/s  end to end %8.0f changes/s",
                         Double(run.changes) / run.pushSeconds, Double(run.changes) / run.pullSeconds, rate)
                + "  = \(ratio(rate, folderRate)) the folder remote (target ≥ 0.50×)")
        }
    }

    struct Run {
        var changes: Int
        var pushSeconds: Double
        var pullSeconds: Double
    }

    /// One server on its own data (a temporary SQLite folder, or the given `--database`), one
    /// account; the same data as `measureFolderEndToEnd` pushed and pulled through it.
    static func measureServer(gloss: URL, storeArguments: [String]?, changes count: Int) async throws -> Run {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let store = storeArguments ?? ["--data", root.appendingPathComponent("server").path]
        let user = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let password = UUID().uuidString
        try runTool(gloss, ["serve", "user", "add", user] + store, stdin: password + "\n")
        defer { _ = try? runTool(gloss, ["serve", "user", "rm", user] + store, stdin: nil) }
        let server = try BenchServer(gloss: gloss, arguments: ["serve", "--listen", "127.0.0.1:0"] + store, log: root.appendingPathComponent("server.log"))
        defer { server.stop() }

        let anonymous = HTTPRemote(name: "bench", baseURL: server.url, credential: nil)
        let login = try await anonymous.login(user: user, password: password)
        let remote = HTTPRemote(
            name: "bench", baseURL: server.url,
            credential: Credential(remote: "bench", url: server.url, user: user, token: login.token, expiresAt: login.expiresAt))

        let source = try Library.open(folder: root.appendingPathComponent("source"))
        let target = try Library.open(folder: root.appendingPathComponent("target"))
        try source.write { writer in
            for i in 0..<((count + 1) / 2) {
                try writer.createNote(
                    body: "Note \(i) on a passage worth keeping.\nA second line with more words in it.\n",
                    tags: ["bench\(i % 50)"])
            }
        }
        var start = now()
        let pushed = try await SyncEngine(library: source).sync(with: remote)
        let pushSeconds = now() - start
        start = now()
        let pulled = try await SyncEngine(library: target).sync(with: remote)
        let pullSeconds = now() - start
        guard pulled.pulled == pushed.pushed, pushed.pushed > 0 else {
            throw SyncError(.damaged, "pulled \(pulled.pulled) of \(pushed.pushed) changes", hint: "the bench found a sync bug")
        }
        return Run(changes: pushed.pushed, pushSeconds: pushSeconds, pullSeconds: pullSeconds)
    }

    /// The `gloss` executable built beside this one (`make bench` builds both, release).
    static func glossBinary() throws -> URL {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let gloss = me.deletingLastPathComponent().appendingPathComponent("gloss")
        guard FileManager.default.isExecutableFile(atPath: gloss.path) else {
            throw SyncError(.config, "no gloss binary beside \(me.path)", hint: "build it: swift build -c release --product gloss")
        }
        return gloss
    }

    static func supportsDatabaseFlag(_ gloss: URL) throws -> Bool {
        try runTool(gloss, ["serve", "--help"], stdin: nil).contains("--database")
    }

    /// Runs `gloss args…` to completion; throws on a non-zero exit. Returns its stdout.
    @discardableResult
    static func runTool(_ gloss: URL, _ args: [String], stdin: String?) throws -> String {
        let process = Process()
        process.executableURL = gloss
        process.arguments = args
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SyncError(
                .unavailable, "gloss \(args.prefix(3).joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))",
                hint: "see the message")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// A `gloss serve` child process: started, its address read from the line it prints, stopped
/// with SIGTERM.
final class BenchServer {
    let process = Process()
    let url: String

    init(gloss: URL, arguments: [String], log: URL) throws {
        process.executableURL = gloss
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = "warning"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var buffer = Data()
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("listening on ") else {
            process.terminate()
            throw SyncError(.unavailable, "gloss serve did not start: \(line) \((try? String(contentsOf: log, encoding: .utf8)) ?? "")", hint: "see the message")
        }
        url = String(line.dropFirst("listening on ".count))
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
