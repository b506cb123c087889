import ArgumentParser
import GlossStorage

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search notes and articles (best matches first, with snippets).")

    @Argument(help: "Words to look for (all must match).")
    var query: [String]

    @Option(help: "At most this many results.")
    var limit = 20

    @Flag(help: "Print a JSON array of hits.")
    var json = false

    func run() throws {
        let hits = try LibraryAccess.open().search(query.joined(separator: " "), limit: limit)
        if json { return try JSONOutput.print(hits) }
        for hit in hits {
            print("\(Terminal.style(hit.kind.rawValue, "2")) \(Terminal.style(LibraryAccess.short(hit.id), "33"))  \(hit.title)")
            let snippet = LibraryAccess.line(hit.snippet, width: 200)
            print("    " + (Terminal.useColor
                ? snippet.replacingOccurrences(of: "[", with: "\u{1B}[1m").replacingOccurrences(of: "]", with: "\u{1B}[0m")
                : snippet))
        }
    }
}
