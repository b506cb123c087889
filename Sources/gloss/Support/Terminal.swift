import Foundation

/// Where output goes and how it looks: colour only on a terminal and never with NO_COLOR;
/// diagnostics on stderr.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    static var useColor: Bool {
        stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Wraps `text` in an ANSI style when colour is on.
    static func style(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func printError(_ error: any Error) {
        writeStderr("error: \(String(describing: error))\n")
    }

    static func warn(_ message: String) {
        writeStderr("warning: \(message)\n")
    }

    static func writeStderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// An error the CLI itself raises: `<message> (<hint>)`.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var hint: String

    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    var description: String { "\(message) (\(hint))" }
}
