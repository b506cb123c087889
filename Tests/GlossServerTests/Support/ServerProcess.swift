import Foundation

/// `gloss serve` as a separate process (for what cannot happen in-process: SIGKILL).
final class ServerProcess {
    /// The built `gloss` executable beside the test bundle.
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

    let process = Process()
    let url: URL

    /// Starts `gloss serve` on a free loopback port over `data`; returns once it listens.
    init(data: URL) throws {
        process.executableURL = Self.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--data", data.path]
        process.environment = ["PATH": "/usr/bin:/bin", "LOG_LEVEL": "warning"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on "),
            let url = URL(string: text.dropFirst("listening on ".count).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: "server did not start: \(text)"])
        }
        self.url = url
    }

    func kill(_ signal: Int32 = SIGKILL) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }
}
