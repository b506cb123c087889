import ArgumentParser
import GlossStorage

struct MarkReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-read", abstract: "Mark an article read (or unread with --undo).")

    @Argument(help: "The article's id (or a unique prefix).")
    var id: String

    @Flag(name: [.long, .customLong("unread")], help: "Mark it unread instead.")
    var undo = false

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, self.id, [.article]).id
        try library.setRead(id, !undo)
        print("marked \(undo ? "unread" : "read") \(LibraryAccess.short(id))  \(try library.article(id).title ?? "")")
    }
}
