import Foundation

/// Runs the built `gloss` binary, as a user would, and captures what it prints.
struct GlossResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum GlossBinary {
    /// The `gloss` executable next to the test bundle in the build folder.
    static let url: URL = {
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = argv0.deletingLastPathComponent()
        // XCTest on Linux runs `<build>/debug/GlossPackageTests.xctest`; look beside it and above.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("gloss")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("gloss binary not found near \(argv0.path); build it first (swift build)")
    }()

    /// Runs `gloss args…` with `environment` added to a minimal environment (no inherited
    /// GLOSS_HOME, HOME pointed at `home` when given), feeding `stdin`, and waits at most
    /// `timeout` seconds (then kills it and reports status 137).
    @discardableResult
    static func run(
        _ args: [String], home: URL? = nil, environment: [String: String] = [:],
        stdin: String? = nil, timeout: TimeInterval = 60
    ) throws -> GlossResult {
        let process = Process()
        process.executableURL = url
        process.arguments = args
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        ]
        if let home {
            env["GLOSS_HOME"] = home.path
            env["HOME"] = home.deletingLastPathComponent().path
        }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()

        // Drain both pipes while the process runs so a chatty child never blocks.
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box(), errBox = Box()
        let group = DispatchGroup()
        for (handle, box) in [(out.fileHandleForReading, outBox), (err.fileHandleForReading, errBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.data = handle.readDataToEndOfFile()
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        group.wait()
        return GlossResult(
            status: process.terminationStatus,
            stdout: String(decoding: outBox.data, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// A fresh temporary library folder (not yet created: `gloss` makes it on first use).
    static func temporaryHome(_ name: String = "lib") throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("gloss-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name, isDirectory: true)
    }

    /// The repository's `Tests/Fixtures` folder.
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)
}
