import ArgumentParser
import GlossStorage

struct NoteAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Write a new note (TEXT, `-` for stdin, or nothing to open $EDITOR); prints its id.")

    @Argument(help: "The note's text (Markdown). `-` reads stdin; omit it to write in $EDITOR.")
    var text: String?

    @Option(help: "The article the note is about (id or unique prefix).")
    var article: String?

    @Option(help: "A passage of the article to anchor the note to (a highlight when TEXT is empty).")
    var quote: String?

    @Option(name: .customLong("tag"), help: "A tag (repeatable).")
    var tags: [String] = []

    @Flag(help: "Print the whole note as JSON.")
    var json = false

    func validate() throws {
        if quote != nil && article == nil {
            throw ValidationError("--quote needs --article: the passage is looked up in that article")
        }
    }

    func run() throws {
        let library = try LibraryAccess.open()
        var articleId: String?
        var anchor: Anchor?
        if let article {
            articleId = try LibraryAccess.resolve(library, article, [.article]).id
        }
        if let quote, let articleId {
            let text = try library.article(articleId).text ?? ""
            guard let located = Anchor.locate(quote: quote, in: text) else {
                throw CLIError("the passage \"\(LibraryAccess.line(quote, width: 40))\" is not in the article", hint: "quote the article's text exactly, e.g. from `gloss show \(LibraryAccess.short(articleId))`")
            }
            anchor = located
        }
        let body = try Editor.text(text)
        let note = try library.createNote(body: body, articleId: articleId, anchor: anchor, tags: tags)
        if json { try JSONOutput.print(note) } else { print(note.id) }
    }
}
