import ArgumentParser
import GlossStorage

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the library (if it does not exist yet) and print its folder.")

    func run() throws {
        let library = try LibraryAccess.open()
        print(library.folder.path)
    }
}
