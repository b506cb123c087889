import ArgumentParser
import GlossStorage

struct HighlightCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "highlight",
        abstract: "Highlight a passage of an article (a note with an anchor and no body); prints its id.")

    @Argument(help: "The article's id (or a unique prefix).")
    var id: String

    @Argument(help: "The passage, quoted exactly as in the article's text.")
    var passage: String

    @Option(name: .customLong("tag"), help: "A tag (repeatable).")
    var tags: [String] = []

    @Flag(help: "Print the note as JSON.")
    var json = false

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, self.id, [.article]).id
        let text = try library.article(id).text ?? ""
        guard let anchor = Anchor.locate(quote: passage, in: text) else {
            throw CLIError(
                "the passage \"\(LibraryAccess.line(passage, width: 40))\" is not in the article",
                hint: "quote the article's text exactly, e.g. from `gloss show \(LibraryAccess.short(id))`")
        }
        let note = try library.createNote(body: "", articleId: id, anchor: anchor, tags: tags)
        if json { try JSONOutput.print(note) } else { print(note.id) }
    }
}
