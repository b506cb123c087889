import ArgumentParser

/// The root command. Subcommands are registered per area in `Registry+*.swift`, one file each,
/// so areas grow without touching each other.
struct Gloss: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Offline-first notes on the articles you read, synced across your machines.",
        discussion: """
            The library lives in $GLOSS_HOME, else $XDG_DATA_HOME/gloss, else ~/.local/share/gloss. \
            Every listing accepts --json. IDs may be abbreviated to any unique prefix.
            """,
        version: "0.1.0",
        subcommands: libraryCommands + importCommands + syncCommands + serverCommands
    )
}
