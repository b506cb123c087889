import ArgumentParser
import GlossStorage

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Take a note (or article) out of the trash.")

    @Argument(help: "The id or a unique prefix.")
    var id: String

    func run() throws {
        let library = try LibraryAccess.open()
        let (kind, id) = try LibraryAccess.resolve(library, id)
        if kind == .note { try library.restoreNote(id) } else { try library.restoreArticle(id) }
        print("restored \(LibraryAccess.short(id))")
    }
}
