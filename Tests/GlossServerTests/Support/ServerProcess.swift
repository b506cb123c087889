import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `gloss serve` process over any store (the built binary) on 127.0.0.1 with a port of its own choosing:
/// started with `--listen 127.0.0.1:0`, its port read from the `listening on URL` line, stopped
/// with SIGTERM.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let url: URL
    private let output: Output

    /// The `gloss` executable beside the test bundle in the build folder.
    static let binary: URL = {
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = argv0.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("gloss")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("gloss binary not found near \(argv0.path); build it first (swift build)")
    }()

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Collects what the child prints, so it never blocks on a full pipe.
    private final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var stdout = Data()
        private var stderr = Data()
        func append(_ data: Data, error: Bool) { lock.withLock { if error { stderr += data } else { stdout += data } } }
        /// Reads `pipe` on a thread of its own until end of file.
        func drain(_ pipe: Pipe, error: Bool, group: DispatchGroup? = nil) {
            group?.enter()
            Thread.detachNewThread {
                let handle = pipe.fileHandleForReading
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    self.append(data, error: error)
                }
                group?.leave()
            }
        }
        var text: (String, String) {
            lock.withLock { (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)) }
        }
    }

    /// Starts `gloss serve --listen 127.0.0.1:0 <storeArguments…>` and waits (at most 60 s)
    /// for it to print its address.
    static func start(_ storeArguments: [String], extra: [String] = []) async throws -> ServerProcess {
        try await offPool { try startBlocking(storeArguments, extra: extra) }
    }

    private static func startBlocking(_ storeArguments: [String], extra: [String]) throws -> ServerProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + storeArguments + extra
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "LANG": "C.UTF-8", "NO_COLOR": "1", "LOG_LEVEL": "warning",
        ]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let output = Output()
        output.drain(out, error: false)
        output.drain(err, error: true)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let (stdout, stderr) = output.text
            if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }),
                let url = URL(string: String(line.dropFirst("listening on ".count)))
            {
                return ServerProcess(process: process, url: url, output: output)
            }
            if !process.isRunning {
                throw StartFailed(description: "gloss serve exited with \(process.terminationStatus): \(stderr)")
            }
            usleep(20_000)
        }
        process.terminate()
        throw StartFailed(description: "gloss serve printed no address within 60 s: \(output.text.1)")
    }

    private init(process: Process, url: URL, output: Output) {
        self.process = process
        self.url = url
        self.output = output
    }

    /// What it printed on stderr so far.
    var stderr: String { output.text.1 }

    /// SIGTERM, then waits for the exit (SIGKILL after 30 s); returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        (try? await offPool { self.stopBlocking() }) ?? -1
    }

    private func stopBlocking() -> Int32 {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends `signal` (SIGKILL: a crash) and waits for the exit.
    func kill(_ signal: Int32 = SIGKILL) {
        Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Runs a one-shot `gloss …` command (e.g. `serve user add`), feeding `stdin`.
    /// `home`: the library folder (`GLOSS_HOME`) for library commands.
    static func run(_ arguments: [String], stdin: String? = nil, home: URL? = nil) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await offPool { try runBlocking(arguments, stdin: stdin, home: home) }
    }

    private static func runBlocking(_ arguments: [String], stdin: String?, home: URL?) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_COLOR": "1",
        ]
        if let home {
            environment["GLOSS_HOME"] = home.path
            environment["HOME"] = home.deletingLastPathComponent().path
        }
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let output = Output()
        let group = DispatchGroup()
        output.drain(out, error: false, group: group)
        output.drain(err, error: true, group: group)
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        let (stdout, stderr) = output.text
        return (process.terminationStatus, stdout, stderr)
    }
}
