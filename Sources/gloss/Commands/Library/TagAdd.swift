import ArgumentParser
import GlossStorage

struct TagAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add tags to a note or an article.")

    @Argument(help: "The note's or article's id or a unique prefix.")
    var id: String

    @Argument(help: "Tags to add.")
    var tags: [String]

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag") }
    }

    func run() throws {
        let library = try LibraryAccess.open()
        let id = try LibraryAccess.resolve(library, id).id
        try library.addTags(tags, to: id)
    }
}
