import ArgumentParser

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Write, edit, list and show notes.",
        subcommands: [NoteAddCommand.self, NoteEditCommand.self, NoteListCommand.self, NoteShowCommand.self, NoteRemoveCommand.self])
}
