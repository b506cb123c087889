import ArgumentParser

extension Gloss {
    /// Subcommands of this area, in the order `gloss --help` lists them.
    static var importCommands: [any ParsableCommand.Type] {
        [
            ImportCommand.self, ListCommand.self, ShowCommand.self, ReadCommand.self, ArchiveCommand.self,
            MarkReadCommand.self, HighlightCommand.self, ExportCommand.self,
        ]
    }
}
