import Foundation

/// Long text for reading: through `$PAGER` (default `less -R`) when stdout is a terminal,
/// straight to stdout otherwise (DESIGN §7).
enum Pager {
    static func show(_ text: String) {
        let environment = ProcessInfo.processInfo.environment
        guard Terminal.stdoutIsTerminal else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let pager = environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -R"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", pager]
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "FRX" }
        process.environment = env
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        signal(SIGPIPE, SIG_IGN)  // the reader may quit the pager early
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The terminal's width in columns (stdout's, else $COLUMNS, else 80).
    static var terminalWidth: Int {
        var size = winsize()
        if Terminal.stdoutIsTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        return 80
    }
}
