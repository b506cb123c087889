import ArgumentParser
import GlossStorage

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags", abstract: "List tags with how many notes and articles carry each.")

    @Flag(help: "Print a JSON array of {\"name\",\"count\"}.")
    var json = false

    func run() throws {
        let tags = try LibraryAccess.open().tags()
        if json { return try JSONOutput.print(tags) }
        LibraryAccess.printLines(LibraryAccess.table(tags.map { [Terminal.style($0.name, "36"), String($0.count)] }))
    }
}
