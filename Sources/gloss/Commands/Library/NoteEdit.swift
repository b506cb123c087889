import ArgumentParser
import GlossStorage

struct NoteEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Replace a note's text (TEXT, `-` for stdin, or nothing to edit it in $EDITOR).")

    @Argument(help: "The note's id or a unique prefix.")
    var id: String

    @Argument(help: "The new text. `-` reads stdin; omit it to edit in $EDITOR.")
    var text: String?

    @Flag(help: "Print the note as JSON.")
    var json = false

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, id, [.note]).id
        let current = try library.note(id)
        let body = try Editor.text(text, initial: current.body)
        let note = try library.editNote(id, body: body)
        if json { try JSONOutput.print(note) } else { print(note.id) }
    }
}
