import ArgumentParser
import Foundation
import GlossStorage

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an article's details, text and notes.")

    @Argument(help: "The article's id (or a unique prefix).")
    var id: String

    @Flag(help: "Print the article, its text and its notes as JSON.")
    var json = false

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, self.id, [.article]).id
        let article = try library.article(id)
        let notes = try library.notes(article: id)
        if json {
            try JSONOutput.print(ArticleOutput.Listed(article, notes: notes))
            return
        }
        var lines: [String] = []
        lines.append(Terminal.style(article.title ?? "(untitled)", "1"))
        func field(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("\(name.padding(toLength: 10, withPad: " ", startingAt: 0))\(value)") }
        }
        field("id", article.id)
        field("url", article.url)
        if article.canonicalUrl != article.url { field("canonical", article.canonicalUrl) }
        field("author", article.byline)
        field("site", article.siteName)
        field("published", article.published)
        field("language", article.language)
        field("words", article.wordCount.map(String.init))
        field("tags", article.tags.isEmpty ? nil : article.tags.map { "#\($0)" }.joined(separator: " "))
        field("state", [article.read ? "read" : "unread", article.archived ? "archived" : nil].compactMap { $0 }.joined(separator: ", "))
        field("added", LibraryAccess.date(article.createdAt))
        lines.append("")
        lines.append(article.text ?? "")
        if !notes.isEmpty {
            lines.append("")
            lines.append(Terminal.style("Notes", "1"))
            for note in notes {
                let quote = note.anchor.map { "“\(LibraryAccess.line($0.exact, width: 60))” " } ?? ""
                let body = note.body.isEmpty ? "(highlight)" : LibraryAccess.line(note.body, width: 70)
                lines.append("\(LibraryAccess.short(note.id))  \(quote)\(body)")
            }
        }
        print(lines.joined(separator: "\n"))
    }
}
