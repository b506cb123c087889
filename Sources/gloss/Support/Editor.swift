import Foundation

/// Writing text in the user's editor: `$VISUAL`, else `$EDITOR`, else `vi`, on a temporary file.
enum Editor {
    static func edit(_ initial: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-note-\(UUID().uuidString).md")
        try Data(initial.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "gloss-editor", file.path]
        do {
            try process.run()
        } catch {
            throw CLIError("could not start the editor \(editor)", hint: "set $EDITOR, or give the note text as an argument")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError("the editor \(editor) exited with status \(process.terminationStatus); nothing was saved", hint: "save and quit the editor normally, or give the text as an argument")
        }
        return String(decoding: try Data(contentsOf: file), as: UTF8.self)
    }

    /// The text argument: `-` reads stdin, nil opens the editor with `initial`.
    static func text(_ argument: String?, initial: String = "") throws -> String {
        switch argument {
        case "-":
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        case let text?:
            return text
        case nil:
            return try edit(initial)
        }
    }
}
