import ArgumentParser
import GlossStorage

struct NoteListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List notes, newest first.")

    @Option(help: "Only notes on this article (id or unique prefix).")
    var article: String?

    @Option(help: "Only notes with this tag.")
    var tag: String?

    @Flag(help: "Print a JSON array of notes.")
    var json = false

    func run() throws {
        let library = try LibraryAccess.open()
        let articleId = try article.map { try LibraryAccess.resolve(library, $0, [.article]).id }
        let notes = try library.notes(article: articleId, tag: tag)
        if json { return try JSONOutput.print(notes) }
        LibraryAccess.printLines(NoteListCommand.render(notes))
    }

    /// `<id>  <updated>  <first line>  #tags`, aligned.
    static func render(_ notes: [GlossStorage.Note]) -> String {
        LibraryAccess.table(notes.map { note in
            let text = note.body.isEmpty ? (note.anchor.map { "“\($0.exact)”" } ?? "") : note.body
            let tags = note.tags.map { "#\($0)" }.joined(separator: " ")
            let conflict = note.conflictCount > 0 ? Terminal.style(" [conflict]", "31") : ""
            return [
                Terminal.style(LibraryAccess.short(note.id), "33"), LibraryAccess.date(note.updatedAt),
                LibraryAccess.line(text) + conflict + (tags.isEmpty ? "" : "  " + Terminal.style(tags, "36")),
            ]
        })
    }
}
