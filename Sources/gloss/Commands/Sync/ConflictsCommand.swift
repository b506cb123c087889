import ArgumentParser

/// `gloss conflicts [--json]` and `gloss conflicts resolve`.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List notes whose concurrent edits could not be merged, and resolve them.",
        subcommands: [ConflictsList.self, ConflictsResolve.self],
        defaultSubcommand: ConflictsList.self)
}
