import ArgumentParser
import GlossStorage

struct TrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trash", abstract: "List notes in the trash.")

    @Flag(help: "Print a JSON array of notes.")
    var json = false

    func run() throws {
        let notes = try LibraryAccess.open().trash()
        if json { return try JSONOutput.print(notes) }
        LibraryAccess.printLines(NoteListCommand.render(notes))
    }
}
