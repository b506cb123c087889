import ArgumentParser
import Foundation
import GlossStorage

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the articles in the library, newest first.")

    @Option(help: "Only articles with this tag.")
    var tag: String?

    @Flag(help: "Only articles not yet read.")
    var unread = false

    @Flag(help: "Only archived articles (by default archived articles are hidden).")
    var archived = false

    @Flag(help: "Print a JSON array of articles.")
    var json = false

    func run() throws {
        let library = try LibraryAccess.open()
        let articles = try library.articles(tag: tag, unread: unread ? true : nil, archived: archived)
        if json {
            try JSONOutput.print(articles.map { ArticleOutput.Listed($0) })
            return
        }
        guard !articles.isEmpty else {
            Terminal.writeStderr(tag == nil && !unread && !archived
                ? "no articles yet (import one with gloss import URL)\n" : "no articles match\n")
            return
        }
        let rows = articles.map { article -> [String] in
            let state = article.read ? " " : Terminal.style("•", "1;34")
            let site = article.siteName ?? URL(string: article.url ?? "")?.host ?? ""
            let tags = article.tags.map { "#\($0)" }.joined(separator: " ")
            return [LibraryAccess.short(article.id), state, LibraryAccess.line(article.title ?? article.url ?? "", width: 56), site, tags]
        }
        LibraryAccess.printLines(LibraryAccess.table(rows))
    }
}
