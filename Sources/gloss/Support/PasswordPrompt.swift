import Foundation

/// Reads a password: from stdin when it is not a terminal (one line, for scripts), else from a
/// prompt on the terminal with echo off, asked twice when `confirm` is set.
enum PasswordPrompt {
    static func read(prompt: String = "Password: ", confirm: Bool) throws -> String {
        if !Terminal.stdinIsTerminal {
            guard let line = Swift.readLine(strippingNewline: true) else {
                throw CLIError("no password on stdin", hint: "pipe the password as one line, or run in a terminal")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        let first = try readHidden(prompt)
        if confirm {
            let second = try readHidden("Repeat password: ")
            guard first == second else {
                throw CLIError("the passwords do not match", hint: "run the command again")
            }
        }
        return first
    }

    private static func readHidden(_ prompt: String) throws -> String {
        Terminal.writeStderr(prompt)
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            Terminal.writeStderr("\n")
        }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw CLIError("no password entered", hint: "type a password and press Return")
        }
        return line
    }
}
