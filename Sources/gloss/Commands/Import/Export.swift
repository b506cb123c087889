import ArgumentParser
import Foundation
import GlossStorage

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the library: Markdown files (one per article) or a JSON backup.",
        discussion: """
            --format markdown writes one file per article into the folder PATH: YAML front matter \
            (title, url, author, date, tags), then its highlights and notes as quoted passages — \
            ready for an Obsidian vault. --format json writes the library's whole change log \
            (every site, seq and stamp) to the file PATH (- for stdout); `gloss import --backup` \
            restores it.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, json
    }

    @Option(help: "markdown or json.")
    var format: Format

    @Option(help: "The folder (markdown) or file (json; - for stdout) to write.")
    var out: String

    func run() throws {
        let library = try LibraryAccess.open()
        switch format {
        case .json:
            let backup = try Backup.make(from: library)
            let data = try JSONOutput.encoder().encode(backup) + Data("\n".utf8)
            if out == "-" {
                FileHandle.standardOutput.write(data)
            } else {
                do {
                    try data.write(to: URL(fileURLWithPath: out), options: .atomic)
                } catch {
                    throw CLIError("cannot write \(out)", hint: "check that its folder exists and is writable")
                }
                Terminal.writeStderr("exported \(backup.changes.count) changes to \(out)\n")
            }
        case .markdown:
            let folder = URL(fileURLWithPath: out, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw CLIError("cannot create the folder \(out)", hint: "check the path and its permissions")
            }
            var used: Set<String> = []
            let articles = try library.articles(archived: nil)
            for article in articles.sorted(by: { $0.createdAt < $1.createdAt }) {
                let name = MarkdownExport.fileName(for: article, avoiding: used)
                used.insert(name.lowercased())
                let notes = try library.notes(article: article.id)
                let text = MarkdownExport.render(article, notes: notes)
                do {
                    try Data(text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
                } catch {
                    throw CLIError("cannot write \(name) in \(out)", hint: "check the folder's permissions")
                }
            }
            Terminal.writeStderr("exported \(articles.count) article\(articles.count == 1 ? "" : "s") to \(out)\n")
        }
    }
}
