import ArgumentParser
import GlossStorage

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Archive an article (hidden from gloss list unless --archived).")

    @Argument(help: "The article's id (or a unique prefix).")
    var id: String

    @Flag(help: "Take the article out of the archive.")
    var undo = false

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, self.id, [.article]).id
        try library.setArchived(id, !undo)
        print("\(undo ? "unarchived" : "archived") \(LibraryAccess.short(id))  \(try library.article(id).title ?? "")")
    }
}
