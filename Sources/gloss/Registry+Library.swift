import ArgumentParser

extension Gloss {
    /// Subcommands of this area, in the order `gloss --help` lists them.
    static var libraryCommands: [any ParsableCommand.Type] {
        [InitCommand.self, NoteCommand.self, TrashCommand.self, RestoreCommand.self, TagCommand.self, TagsCommand.self, SearchCommand.self, LogCommand.self, WriteManyCommand.self]
    }
}
