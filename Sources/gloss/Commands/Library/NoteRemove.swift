import ArgumentParser
import GlossStorage

struct NoteRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Move a note to the trash (restore it with `gloss restore`).")

    @Argument(help: "The note's id or a unique prefix.")
    var id: String

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, id, [.note]).id
        try library.deleteNote(id)
        print("moved \(LibraryAccess.short(id)) to the trash")
    }
}
