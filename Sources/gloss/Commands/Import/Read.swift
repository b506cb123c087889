import ArgumentParser
import Foundation
import GlossStorage

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read an article in the terminal, with its highlights and notes at their passages.",
        discussion: "Uses $PAGER (default `less -R`) on a terminal. Does not mark the article read: use gloss mark-read.")

    @Argument(help: "The article's id (or a unique prefix).")
    var id: String

    @Option(help: "Wrap to this many columns (default: the terminal's width, at most 100).")
    var width: Int?

    func validate() throws {
        if let width, width < 20 { throw ValidationError("--width must be at least 20") }
    }

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, self.id, [.article]).id
        let article = try library.article(id)
        let notes = try library.notes(article: id)
        let text = ReadingLayout.render(
            article: article, notes: notes, width: width ?? Pager.terminalWidth, color: Terminal.useColor)
        Pager.show(text)
    }
}
